/// A horizontal stacked bar chart: one bar per category, split into components with a legend,
/// the total at the end of each bar.
struct StackedBarChart {
    /// One stacked part.
    struct Component {
        var label: String
        var color: String
    }

    var id: String
    var title: String
    var subtitle: String
    var axisTitle: String
    var components: [Component]
    /// Category labels, one per bar.
    var categories: [String]
    /// `values[category][component]`.
    var values: [[Double]]
    /// Text after each total, e.g. `ms`.
    var totalSuffix: String = ""
    var valueDecimals: Int = 2
    var width: Double = 1140

    /// The `<svg>` element.
    func render() -> String {
        var svg = SVGWriter()
        var top = ChartDrawing.title(title, subtitle: subtitle, into: &svg)
        let items = components.map { ChartDrawing.LegendItem(label: $0.label, color: $0.color, isLine: false) }
        let labelWidth = min(
            220, (categories.map { SVGWriter.textWidth($0, size: ChartDrawing.textSize) }.max() ?? 40) + 12)
        let left = 16 + labelWidth
        ChartDrawing.legend(items, into: &svg, x: left, y: top, maxWidth: width - left - 16)
        top += ChartDrawing.legendHeight(items, maxWidth: width - left - 16) + 6
        let totals = values.map { $0.filter(\.isFinite).reduce(0, +) }
        let totalTexts = totals.map { NumberText.grouped($0, decimals: valueDecimals) + totalSuffix }
        let right = width - 24 - (totalTexts.map { SVGWriter.textWidth($0, size: ChartDrawing.textSize) }.max() ?? 0)
        let barHeight = 24.0, gap = 12.0
        let plotBottom = top + Double(categories.count) * (barHeight + gap) + gap / 2
        let scale = ChartScale.linear(maximum: max(totals.max() ?? 1, 1e-12), range: (left, right), tickCount: 8)
        ChartDrawing.xAxis(scale, into: &svg, top: top, bottom: plotBottom, title: axisTitle)
        for (index, category) in categories.enumerated() {
            let y = top + gap / 2 + Double(index) * (barHeight + gap)
            var start = 0.0
            for (c, component) in components.enumerated() {
                let value = index < values.count && c < values[index].count ? values[index][c] : 0
                guard value.isFinite, value > 0 else { continue }
                let x0 = scale.position(start), x1 = scale.position(start + value)
                let share = totals[index] > 0 ? value / totals[index] * 100 : 0
                svg.rect(
                    x: x0, y: y, width: x1 - x0, height: barHeight, fill: component.color, stroke: "#FFFFFF",
                    title:
                        "\(category), \(component.label): \(NumberText.grouped(value, decimals: valueDecimals + 1))\(totalSuffix) (\(NumberText.fixed(share, decimals: 1)) %)"
                )
                if x1 - x0 > 44 && share >= 8 {
                    svg.text(
                        NumberText.fixed(share, decimals: 0) + "%", x: (x0 + x1) / 2, y: y + barHeight / 2 + 4,
                        anchor: "middle", className: "inbar")
                }
                start += value
            }
            svg.text(category, x: left - 8, y: y + barHeight / 2 + 4, anchor: "end", className: "category")
            svg.text(
                totalTexts[index], x: scale.position(totals[index]) + 6, y: y + barHeight / 2 + 4, className: "value")
        }
        return svg.svg(
            width: width, height: plotBottom + 48, title: title,
            description: subtitle + ". Components: " + components.map(\.label).joined(separator: ", "), id: id)
    }
}
