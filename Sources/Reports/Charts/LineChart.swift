/// A line chart of one or more series on linear or logarithmic x and a linear y axis, with a
/// legend, optional horizontal guide lines (percentiles, capacity) and an optional filled area
/// under a series.
struct LineChart {
    /// One line.
    struct Series {
        var label: String
        var color: String
        var dash: String = ""
        /// Points in x order.
        var points: [(Double, Double)]
        var width: Double = 2
        /// Opacity of the area between the line and y = 0 (0: no area).
        var areaOpacity: Double = 0
        /// Lines with a higher layer are drawn over the others (the legend keeps list order).
        var layer = 0
    }

    /// A dashed horizontal line across the plot with a label at its right end.
    struct Guide {
        var value: Double
        var label: String
        var color: String = ChartPalette.muted
    }

    var id: String
    var title: String
    var subtitle: String
    var xTitle: String
    var yTitle: String
    /// Formats x tick labels (default: the scale's own).
    var xFormatter: ((Double) -> String)?
    var series: [Series]
    var xKind: ChartScale.Kind = .linear
    /// Fixed x domain; by default 0 (or the smallest positive x on a log axis) to the largest x.
    var xDomain: (Double, Double)?
    /// Fixed y maximum; by default the largest y (and guide).
    var yMaximum: Double?
    var yTickCount = 5
    /// Whether y values are counts: whole-number ticks.
    var yIntegers = false
    var yFormatter: ((Double) -> String)?
    var guides: [Guide] = []
    var width: Double = 560
    var height: Double = 380
    /// Text shown in the middle of the plot when there are no points.
    var emptyMessage = "no data"

    /// The `<svg>` element.
    func render() -> String {
        var svg = SVGWriter()
        var top = ChartDrawing.title(title, subtitle: subtitle, into: &svg)
        let left = 72.0
        let guideLabelWidth = (guides.map { SVGWriter.textWidth($0.label, size: ChartDrawing.tickSize) }.max() ?? 0)
        // Room on the right for guide labels, or for half of the last x tick label.
        let right = width - 16 - max(guideLabelWidth > 0 ? guideLabelWidth + 6 : 0, 18)
        let items = series.map { ChartDrawing.LegendItem(label: $0.label, color: $0.color, dash: $0.dash) }
        ChartDrawing.legend(items, into: &svg, x: left, y: top, maxWidth: width - left - 16)
        top += ChartDrawing.legendHeight(items, maxWidth: width - left - 16) + 8
        let bottom = height - 50

        let xs = series.flatMap { $0.points.map(\.0) }.filter(\.isFinite)
        let ys = series.flatMap { $0.points.map(\.1) }.filter(\.isFinite)
        let xScale: ChartScale
        switch xKind {
        case .log:
            let positive = xs.filter { $0 > 0 }
            let low = xDomain?.0 ?? positive.min() ?? 0.001
            let high = xDomain?.1 ?? positive.max() ?? 1
            xScale = ChartScale.log(minimum: low, maximum: high, range: (left, right))
        case .linear:
            xScale = ChartScale.linear(
                minimum: xDomain?.0 ?? 0, maximum: xDomain?.1 ?? (xs.max() ?? 1), range: (left, right), tickCount: 6)
        }
        let yMax = yMaximum ?? max(ys.max() ?? 1, guides.map(\.value).max() ?? 0)
        let yScale = ChartScale.linear(
            maximum: yMax > 0 ? yMax : 1, range: (bottom, top), tickCount: yTickCount, integers: yIntegers)
        ChartDrawing.yAxis(yScale, into: &svg, left: left, right: right, title: yTitle, labelFormatter: yFormatter)
        ChartDrawing.xAxis(xScale, into: &svg, top: top, bottom: bottom, title: xTitle, labelFormatter: xFormatter)

        for guide in guides {
            let y = yScale.position(guide.value)
            svg.line(x1: left, y1: y, x2: right, y2: y, stroke: guide.color, width: 1, dash: "4 4")
            svg.text(guide.label, x: right + 4, y: y + 4, className: "guide")
        }
        let clip = "\(id)-clip"
        svg.raw(
            "<clipPath id=\"\(SVGWriter.escape(clip))\"><rect x=\"\(SVGWriter.number(left))\" y=\"\(SVGWriter.number(top - 2))\" width=\"\(SVGWriter.number(right - left))\" height=\"\(SVGWriter.number(bottom - top + 4))\"/></clipPath>\n"
        )
        svg.raw("<g clip-path=\"url(#\(SVGWriter.escape(clip)))\">\n")
        for s in series where s.areaOpacity > 0 && s.points.count > 1 {
            let pixels = s.points.map { (xScale.position($0.0), yScale.position($0.1)) }
            let area = pixels + [(pixels.last!.0, bottom), (pixels.first!.0, bottom)]
            svg.polyline(area, stroke: "none", width: 0, fill: s.color, opacity: s.areaOpacity, className: "area")
        }
        let layered = series.enumerated().sorted { ($0.element.layer, $0.offset) < ($1.element.layer, $1.offset) }
        for s in layered.map(\.element) {
            svg.polyline(
                s.points.map { (xScale.position($0.0), yScale.position($0.1)) }, stroke: s.color, width: s.width,
                dash: s.dash)
        }
        svg.raw("</g>\n")
        if xs.isEmpty {
            svg.text(emptyMessage, x: (left + right) / 2, y: (top + bottom) / 2, anchor: "middle", className: "note")
        }
        return svg.svg(
            width: width, height: height, title: title,
            description: subtitle + ". Series: " + series.map(\.label).joined(separator: ", "), id: id)
    }
}
