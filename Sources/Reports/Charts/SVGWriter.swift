/// Builds SVG markup as text, with coordinates rounded to 0.1 px so the output is compact and
/// deterministic.
struct SVGWriter {
    /// Markup of the elements added so far.
    private(set) var body = ""

    /// A coordinate or length as text: at most one decimal, no trailing `.0`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        if tenths == tenths.rounded(.towardZero) && Int64(tenths) % 10 == 0 { return String(Int64(tenths) / 10) }
        return NumberText.fixed(tenths / 10, decimals: 1)
    }

    /// Text escaped for XML character data and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Appends raw markup.
    mutating func raw(_ markup: String) { body += markup }

    /// A line segment.
    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String = "",
        extra: String = ""
    ) {
        body +=
            "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
            + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + (extra.isEmpty ? "" : " " + extra) + "/>\n"
    }

    /// A rectangle.
    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String = "none", radius: Double = 0,
        title: String? = nil
    ) {
        let attributes =
            "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(max(0, width)))\" height=\"\(Self.number(max(0, height)))\" fill=\"\(fill)\""
            + (stroke == "none" ? "" : " stroke=\"\(stroke)\"") + (radius > 0 ? " rx=\"\(Self.number(radius))\"" : "")
        if let title {
            body += "<rect \(attributes)><title>\(Self.escape(title))</title></rect>\n"
        } else {
            body += "<rect \(attributes)/>\n"
        }
    }

    /// Text. `anchor` is `start`, `middle` or `end`; `className` picks a style of the page.
    mutating func text(
        _ content: String, x: Double, y: Double, anchor: String = "start", className: String = "", extra: String = ""
    ) {
        body +=
            "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\""
            + (anchor == "start" ? "" : " text-anchor=\"\(anchor)\"")
            + (className.isEmpty ? "" : " class=\"\(className)\"") + (extra.isEmpty ? "" : " " + extra) + ">"
            + Self.escape(content) + "</text>\n"
    }

    /// A polyline through `points` (as a path, so it can be long).
    mutating func polyline(
        _ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String = "", fill: String = "none",
        opacity: Double = 1, className: String = "series"
    ) {
        guard let first = points.first else { return }
        var d = "M\(Self.number(first.0)),\(Self.number(first.1))"
        for point in points.dropFirst() { d += "L\(Self.number(point.0)),\(Self.number(point.1))" }
        if fill != "none" { d += "Z" }
        body +=
            "<path class=\"\(className)\" d=\"\(d)\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
            + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")
            + (opacity < 1 ? " opacity=\"\(NumberText.fixed(opacity, decimals: 2))\"" : "") + "/>\n"
    }

    /// The finished `<svg>` element: a `viewBox` of `width` × `height`, scaling to the page width,
    /// with an accessible `<title>` and `<desc>`.
    func svg(width: Double, height: Double, title: String, description: String, id: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"\(Self.escape(id))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" role=\"img\" aria-labelledby=\"\(Self.escape(id))-title\">\n"
            + "<title id=\"\(Self.escape(id))-title\">\(Self.escape(title))</title>\n"
            + "<desc>\(Self.escape(description))</desc>\n" + body + "</svg>\n"
    }

    /// Approximate width in px of `text` at `size` px in the page's sans-serif font (DejaVu
    /// Sans / Helvetica class: about 0.6 em per character), for layout.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.6
    }
}
