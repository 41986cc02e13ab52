/// Shared pieces of the charts: titles, legends, axes and grid lines.
enum ChartDrawing {
    /// One legend entry: a line sample (with dash) or a filled square.
    struct LegendItem {
        var label: String
        var color: String
        var dash: String = ""
        var isLine = true
    }

    /// Title font size, px.
    static let titleSize = 15.0
    /// Subtitle, legend and axis-title font size, px.
    static let textSize = 12.0
    /// Tick label font size, px.
    static let tickSize = 11.0

    /// Draws the title and subtitle at the top left; returns the y below them.
    static func title(_ title: String, subtitle: String, into svg: inout SVGWriter, x: Double = 16) -> Double {
        svg.text(title, x: x, y: 24, className: "chart-title")
        if subtitle.isEmpty { return 34 }
        svg.text(subtitle, x: x, y: 42, className: "chart-subtitle")
        return 52
    }

    /// Height in px that ``legend(_:into:x:y:maxWidth:)`` will use.
    static func legendHeight(_ items: [LegendItem], maxWidth: Double) -> Double {
        items.isEmpty ? 0 : Double(legendRows(items, maxWidth: maxWidth).count) * 18 + 4
    }

    /// Draws legend entries flowing left to right from (`x`, `y`), wrapping at `maxWidth`.
    static func legend(_ items: [LegendItem], into svg: inout SVGWriter, x: Double, y: Double, maxWidth: Double) {
        for (row, entries) in legendRows(items, maxWidth: maxWidth).enumerated() {
            var cx = x
            let cy = y + Double(row) * 18 + 9
            for item in entries {
                if item.isLine {
                    svg.line(x1: cx, y1: cy, x2: cx + 22, y2: cy, stroke: item.color, width: 2.5, dash: item.dash)
                } else {
                    svg.rect(x: cx + 5, y: cy - 6, width: 12, height: 12, fill: item.color, radius: 2)
                }
                svg.text(item.label, x: cx + 28, y: cy + 4, className: "legend")
                cx += itemWidth(item)
            }
        }
    }

    private static func itemWidth(_ item: LegendItem) -> Double {
        28 + SVGWriter.textWidth(item.label, size: textSize) + 18
    }

    private static func legendRows(_ items: [LegendItem], maxWidth: Double) -> [[LegendItem]] {
        var rows: [[LegendItem]] = [[]]
        var used = 0.0
        for item in items {
            let w = itemWidth(item)
            if used + w > maxWidth && !rows[rows.count - 1].isEmpty {
                rows.append([])
                used = 0
            }
            rows[rows.count - 1].append(item)
            used += w
        }
        return rows
    }

    /// Vertical grid lines and labels of an x axis at `y` (the bottom of the plot), from `top`.
    static func xAxis(
        _ scale: ChartScale, into svg: inout SVGWriter, top: Double, bottom: Double, title: String,
        labelFormatter: ((Double) -> String)? = nil
    ) {
        for tick in scale.ticks {
            let x = scale.position(tick)
            let major = scale.isMajor(tick)
            svg.line(x1: x, y1: top, x2: x, y2: bottom, stroke: ChartPalette.grid, width: major ? 1 : 0.6)
            svg.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: ChartPalette.axis)
            if major || scale.ticks.count <= 12 {
                svg.text(
                    labelFormatter?(tick) ?? scale.label(tick), x: x, y: bottom + 17, anchor: "middle",
                    className: "tick")
            }
        }
        svg.line(x1: scale.range.0, y1: bottom, x2: scale.range.1, y2: bottom, stroke: ChartPalette.axis)
        svg.text(
            title, x: (scale.range.0 + scale.range.1) / 2, y: bottom + 36, anchor: "middle", className: "axis-title")
    }

    /// Horizontal grid lines and labels of a y axis at `left`, across to `right`.
    static func yAxis(
        _ scale: ChartScale, into svg: inout SVGWriter, left: Double, right: Double, title: String,
        labelFormatter: ((Double) -> String)? = nil
    ) {
        for tick in scale.ticks {
            let y = scale.position(tick)
            svg.line(x1: left, y1: y, x2: right, y2: y, stroke: ChartPalette.grid, width: scale.isMajor(tick) ? 1 : 0.6)
            svg.line(x1: left - 4, y1: y, x2: left, y2: y, stroke: ChartPalette.axis)
            svg.text(
                labelFormatter?(tick) ?? scale.label(tick), x: left - 8, y: y + 4, anchor: "end", className: "tick")
        }
        svg.line(x1: left, y1: scale.range.0, x2: left, y2: scale.range.1, stroke: ChartPalette.axis)
        let middle = (scale.range.0 + scale.range.1) / 2
        svg.text(
            title, x: 16, y: middle, anchor: "middle", className: "axis-title",
            extra: "transform=\"rotate(-90 16 \(SVGWriter.number(middle)))\"")
    }
}
