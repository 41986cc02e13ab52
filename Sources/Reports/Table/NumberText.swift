#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Deterministic number formatting for tables and charts (no locale, no Foundation).
enum NumberText {
    /// `value` rounded half away from zero to `decimals` places, in plain decimal notation
    /// (`fixed(1.5, decimals: 2) == "1.50"`). Values whose scaled magnitude reaches 2^53, NaN and
    /// infinities fall back to `"\(value)"`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard value.isFinite, scaled < 9_007_199_254_740_992 else { return "\(value)" }
        let units = Int64(scaled)
        let divisor = Int64(scale)
        let whole = units / divisor
        var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// Like ``fixed(_:decimals:)`` with a comma between groups of three integer digits
    /// (`grouped(12345.6, decimals: 1) == "12,345.6"`).
    static func grouped(_ value: Double, decimals: Int) -> String {
        let text = fixed(value, decimals: decimals)
        guard value.isFinite else { return text }
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        let integer = Array(parts[0])
        var out = ""
        for (index, digit) in integer.enumerated() {
            if index > 0 && (integer.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        if parts.count == 2 { out += "." + parts[1] }
        return (negative ? "-" : "") + out
    }

    /// A value with about `digits` significant digits, grouped, without exponent notation
    /// (`significant(0.012345, digits: 3) == "0.0123"`, `significant(1234.5, digits: 3) == "1,235"`).
    static func significant(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return "\(value)" }
        if value == 0 { return "0" }
        let magnitude = Int((log10(abs(value))).rounded(.down))
        let decimals = max(0, digits - 1 - magnitude)
        return grouped(value, decimals: min(decimals, 9))
    }

    /// A table value: `decimals` fixed places, except that a non-zero value below 1 keeps three
    /// significant digits (`adaptive(0.0423, decimals: 2) == "0.0423"`), so small rates do not
    /// round to 0.
    static func adaptive(_ value: Double, decimals: Int) -> String {
        if value.isFinite, value != 0, abs(value) < 1, decimals > 0 {
            let magnitude = Int((log10(abs(value))).rounded(.down))
            let needed = min(9, 2 - magnitude)
            if needed > decimals { return fixed(value, decimals: needed) }
        }
        return grouped(value, decimals: decimals)
    }

    /// Decimals needed to tell ticks `step` apart (`decimals(forStep: 0.25) == 2`).
    static func decimals(forStep step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 0 }
        var decimals = 0
        var scaled = step
        while decimals < 9 && abs(scaled - scaled.rounded()) > 1e-9 * max(1, abs(scaled)) {
            scaled *= 10
            decimals += 1
        }
        return decimals
    }

    /// A speed-up factor: `1.42×`; `–` when not defined.
    static func factor(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return fixed(value, decimals: 2) + "×"
    }
}
