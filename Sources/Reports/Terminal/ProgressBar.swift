/// The text of one progress line on a terminal: a label, a bar drawn with eighth blocks, the
/// percentage and a detail, fitted to the terminal width.
///
/// Rendering is pure (no clock, no I/O) so it can be tested; the executable's
/// `ProgressReporter` decides when to draw and writes the line to standard error.
///
/// ```swift
/// let bar = ProgressBar(columns: 60, colour: false)
/// bar.line(label: "vllm", fraction: 0.5, detail: "1,200 requests")
/// // "\r\u{1B}[2Kvllm [██████████··········]  50% 1,200 requests"
/// ```
public struct ProgressBar: Sendable, Hashable {
    /// Terminal width in columns; the line is cut to one less so it never wraps.
    public var columns: Int
    /// Whether to use ANSI colours.
    public var colour: Bool
    /// Cells of the bar itself.
    public var barCells: Int

    /// Creates a renderer.
    ///
    /// - Parameters:
    ///   - columns: Terminal width (at least 20 is assumed).
    ///   - colour: Use ANSI colours.
    ///   - barCells: Width of the bar in cells; by default a third of the width, 10 to 40.
    public init(columns: Int, colour: Bool, barCells: Int? = nil) {
        self.columns = max(20, columns)
        self.colour = colour
        self.barCells = barCells ?? min(40, max(10, self.columns / 3))
    }

    /// The bar alone for `fraction` (clamped to 0…1): full blocks, one partial eighth block,
    /// then `·` for the rest; always ``barCells`` characters.
    public func bar(fraction: Double) -> String {
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let eighths = Int((clamped * Double(barCells * 8)).rounded(.down))
        let full = eighths / 8
        let partial = eighths % 8
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: full)
        if full < barCells && partial > 0 { text += partials[partial] }
        let used = full + (full < barCells && partial > 0 ? 1 : 0)
        text += String(repeating: "·", count: barCells - used)
        return text
    }

    /// A spinner frame for unknown progress.
    public static func spinner(_ phase: Int) -> String {
        let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
        return frames[((phase % frames.count) + frames.count) % frames.count]
    }

    /// The full line: carriage return, erase-line, label, bar (or a spinner when `fraction` is
    /// `nil`), percentage and detail, cut to `columns - 1` visible characters.
    ///
    /// - Parameters:
    ///   - label: What is running, e.g. the policy.
    ///   - fraction: Progress in 0…1, or `nil` when unknown.
    ///   - detail: Counters, e.g. `1,200 requests · 35.2 s simulated`.
    ///   - phase: Spinner frame for unknown progress.
    public func line(label: String, fraction: Double?, detail: String, phase: Int = 0) -> String {
        var plain: [(String, String)] = []  // (text, colour code)
        plain.append((label + " ", "1"))
        if let fraction {
            let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
            let percent = Int((clamped * 100).rounded(.down))
            let percentText = String(repeating: " ", count: 3 - String(percent).count) + "\(percent)%"
            plain.append(("[", ""))
            plain.append((bar(fraction: clamped), "36"))
            plain.append(("] ", ""))
            plain.append((percentText, "1"))
        } else {
            plain.append((Self.spinner(phase), "36"))
        }
        if !detail.isEmpty { plain.append(("  " + detail, "2")) }
        // Cut to the width, counting characters (all used glyphs are one column wide).
        var remaining = columns - 1
        var out = "\r\u{1B}[2K"
        for (text, code) in plain where remaining > 0 {
            let piece = text.count <= remaining ? text : String(text.prefix(remaining))
            remaining -= piece.count
            out += colour && !code.isEmpty ? "\u{1B}[\(code)m" + piece + "\u{1B}[0m" : piece
        }
        return out
    }

    /// What ends the progress display: erases the line so the next output starts clean.
    public static let clearLine = "\r\u{1B}[2K"

    /// Whether colour may be used: `NO_COLOR` unset or empty (https://no-color.org), and `TERM`
    /// not `dumb`.
    ///
    /// - Parameter environment: Reads an environment variable (`nil` when unset).
    public static func colourAllowed(environment: (String) -> String?) -> Bool {
        if let noColour = environment("NO_COLOR"), !noColour.isEmpty { return false }
        return environment("TERM") != "dumb"
    }
}
