import Testing

@testable import Reports

@Suite struct ChartScaleTests {
    @Test(arguments: [
        (0.7, 1.0), (1.0, 1.0), (1.3, 2.0), (2.2, 2.5), (3.0, 5.0), (7.0, 10.0), (0.013, 0.02), (460.0, 500.0),
    ])
    func niceSteps(raw: Double, expected: Double) {
        #expect(abs(ChartScale.niceStep(raw) - expected) < expected * 1e-12)
    }

    /// 0…7.3 in about 5 ticks: raw step 1.46 rounds up to 2, so ticks 0, 2, 4, 6, 8.
    @Test func linearTicksCoverTheData() {
        let scale = ChartScale.linear(maximum: 7.3, range: (0, 100), tickCount: 5)
        #expect(scale.ticks == [0, 2, 4, 6, 8])
        #expect(scale.domain == (0, 8))
        #expect(scale.position(4) == 50)
        #expect(scale.label(4) == "4")
    }

    @Test func linearTickLabelsHaveEnoughDecimals() {
        let scale = ChartScale.linear(maximum: 1, range: (0, 100), tickCount: 4)
        #expect(scale.ticks == [0, 0.25, 0.5, 0.75, 1])
        #expect(scale.ticks.map(scale.label) == ["0.00", "0.25", "0.50", "0.75", "1.00"])
        let big = ChartScale.linear(maximum: 12_000, range: (0, 100), tickCount: 4)
        #expect(big.label(10_000) == "10,000")
    }

    /// 0.013…4.2 spans decades 10^-2…10^1: three decades, so 1-2-5 ticks.
    @Test func logTicks() {
        let scale = ChartScale.log(minimum: 0.013, maximum: 4.2, range: (0, 300))
        #expect(scale.domain == (0.01, 10))
        #expect(scale.ticks.first == 0.01)
        #expect(scale.ticks.last == 10)
        #expect(scale.ticks.count == 10)  // 0.01 0.02 0.05 0.1 0.2 0.5 1 2 5 10
        #expect(abs(scale.position(0.1) - 100) < 1e-9)
        #expect(abs(scale.position(1) - 200) < 1e-9)
        #expect(scale.label(0.01) == "0.01")
        #expect(scale.label(10) == "10")
        #expect(scale.isMajor(1) && !scale.isMajor(2))
    }

    @Test func numberText() {
        #expect(NumberText.grouped(1_234_567.891, decimals: 2) == "1,234,567.89")
        #expect(NumberText.grouped(-1234, decimals: 0) == "-1,234")
        #expect(NumberText.grouped(999, decimals: 1) == "999.0")
        #expect(NumberText.significant(0.012345, digits: 3) == "0.0123")
        #expect(NumberText.significant(1234.5, digits: 3) == "1,235")
        #expect(NumberText.decimals(forStep: 0.25) == 2)
        #expect(NumberText.decimals(forStep: 5) == 0)
        #expect(NumberText.factor(1.5) == "1.50×")
        #expect(NumberText.factor(nil) == "–")
    }

    @Test func svgTextIsEscaped() {
        #expect(SVGWriter.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
        #expect(SVGWriter.number(12) == "12")
        #expect(SVGWriter.number(12.25) == "12.3")
        #expect(SVGWriter.number(-0.04) == "0")
    }
}
