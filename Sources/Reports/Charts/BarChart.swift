/// A horizontal bar chart: one bar per category, labels on the left, the value (and an
/// annotation such as a speed-up) at the end of each bar.
struct BarChart {
    /// One bar.
    struct Bar {
        var label: String
        var value: Double
        var color: String
        /// Muted text after the value, e.g. `1.42× vllm`.
        var annotation: String = ""
    }

    var id: String
    var title: String
    var subtitle: String
    /// Axis title with the unit, e.g. `requests per second`.
    var axisTitle: String
    var bars: [Bar]
    /// Whether the values are counts: whole-number ticks and labels.
    var integers = false
    var width: Double = 560

    /// The `<svg>` element.
    func render() -> String {
        var svg = SVGWriter()
        let top = ChartDrawing.title(title, subtitle: subtitle, into: &svg) + 8
        let labelWidth = min(
            200, (bars.map { SVGWriter.textWidth($0.label, size: ChartDrawing.textSize) }.max() ?? 40) + 12)
        let left = 16 + labelWidth
        let valueTexts = bars.map { valueText($0) }
        let valueWidth = (valueTexts.map { SVGWriter.textWidth($0, size: ChartDrawing.textSize) }.max() ?? 0) + 14
        let right = width - 16 - valueWidth
        let barHeight = 22.0, gap = 12.0
        let plotBottom = top + Double(bars.count) * (barHeight + gap) + gap / 2
        let finite = bars.map(\.value).filter { $0.isFinite }
        let largest = finite.max() ?? 0
        let scale = ChartScale.linear(
            maximum: largest > 0 ? largest : 1, range: (left, right), tickCount: 5, integers: integers)
        ChartDrawing.xAxis(scale, into: &svg, top: top, bottom: plotBottom, title: axisTitle)
        for (index, bar) in bars.enumerated() {
            let y = top + gap / 2 + Double(index) * (barHeight + gap)
            let end = bar.value.isFinite ? scale.position(bar.value) : left
            svg.rect(
                x: left, y: y, width: end - left, height: barHeight, fill: bar.color, radius: 2,
                title: "\(bar.label): \(valueText(bar))")
            svg.text(
                truncated(bar.label, width: labelWidth - 8), x: left - 8, y: y + barHeight / 2 + 4, anchor: "end",
                className: "category")
            let value = format(bar.value)
            svg.raw(
                "<text x=\"\(SVGWriter.number(end + 6))\" y=\"\(SVGWriter.number(y + barHeight / 2 + 4))\" class=\"value\">"
                    + SVGWriter.escape(value)
                    + (bar.annotation.isEmpty
                        ? "" : "<tspan class=\"annotation\" dx=\"6\">\(SVGWriter.escape(bar.annotation))</tspan>")
                    + "</text>\n")
        }
        let height = plotBottom + 48
        return svg.svg(
            width: width, height: height, title: title,
            description: subtitle + ". " + bars.map { "\($0.label): \(valueText($0))" }.joined(separator: "; "), id: id)
    }

    private func valueText(_ bar: Bar) -> String {
        let value = format(bar.value)
        return bar.annotation.isEmpty ? value : value + "  " + bar.annotation
    }

    /// A value label: whole numbers for counts, else three significant digits.
    private func format(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return integers ? NumberText.grouped(value, decimals: 0) : NumberText.significant(value, digits: 3)
    }

    private func truncated(_ text: String, width: Double) -> String {
        let fits = Int(width / (ChartDrawing.textSize * 0.6))
        return text.count <= fits ? text : String(text.prefix(max(1, fits - 1))) + "…"
    }
}
