import Testing

@testable import Reports

@Suite struct ProgressBarTests {
    @Test func barFillsInEighths() {
        let bar = ProgressBar(columns: 80, colour: false, barCells: 10)
        #expect(bar.bar(fraction: 0) == String(repeating: "·", count: 10))
        #expect(bar.bar(fraction: 1) == String(repeating: "█", count: 10))
        #expect(bar.bar(fraction: 0.5) == String(repeating: "█", count: 5) + String(repeating: "·", count: 5))
        // 0.0625 of 80 eighths = 5 eighths: one partial block ▋ then 9 dots.
        #expect(bar.bar(fraction: 0.0625) == "▋" + String(repeating: "·", count: 9))
        // Out-of-range and NaN are clamped.
        #expect(bar.bar(fraction: 7) == bar.bar(fraction: 1))
        #expect(bar.bar(fraction: .nan) == bar.bar(fraction: 0))
        for f in stride(from: 0.0, through: 1.0, by: 0.01) { #expect(bar.bar(fraction: f).count == 10) }
    }

    @Test func lineWithoutColour() {
        let bar = ProgressBar(columns: 80, colour: false, barCells: 4)
        let line = bar.line(label: "vllm", fraction: 0.5, detail: "12 requests")
        #expect(line == "\r\u{1B}[2Kvllm [██··]  50%  12 requests")
        #expect(!line.contains("\u{1B}[3"))
    }

    @Test func lineWithColourResetsAfterEachPiece() {
        let bar = ProgressBar(columns: 80, colour: true, barCells: 4)
        let line = bar.line(label: "vllm", fraction: 0.25, detail: "")
        #expect(line.contains("\u{1B}[36m█···\u{1B}[0m"))
        #expect(line.hasSuffix("\u{1B}[0m"))
    }

    @Test func lineNeverWraps() {
        let bar = ProgressBar(columns: 30, colour: false, barCells: 10)
        let line = bar.line(label: "tangram-sb-rp", fraction: 0.3, detail: "policy 2/3 · 123456 requests")
        let visible = line.dropFirst("\r\u{1B}[2K".count)
        #expect(visible.count == 29)
    }

    @Test func unknownProgressShowsASpinner() {
        let bar = ProgressBar(columns: 80, colour: false)
        let line = bar.line(label: "trace", fraction: nil, detail: "5 requests", phase: 1)
        #expect(line == "\r\u{1B}[2Ktrace ⠙  5 requests")
    }

    @Test func colourFollowsNoColorAndTerm() {
        #expect(ProgressBar.colourAllowed { ["TERM": "xterm"][$0] })
        #expect(!ProgressBar.colourAllowed { ["TERM": "xterm", "NO_COLOR": "1"][$0] })
        #expect(ProgressBar.colourAllowed { ["TERM": "xterm", "NO_COLOR": ""][$0] })  // empty means unset
        #expect(!ProgressBar.colourAllowed { ["TERM": "dumb"][$0] })
    }
}
