/// Colours of the charts: the Okabe–Ito palette, distinguishable with the common forms of colour
/// blindness (Okabe and Ito, "Color Universal Design", 2008; Wong, Nature Methods 8:441, 2011),
/// plus dash patterns so lines also differ in grey scale.
enum ChartPalette {
    /// Series colours in order of use (yellow last: weak on white).
    static let series = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    /// Dash patterns for lines, in order of use; the first is solid.
    static let dashes = ["", "8 4", "2.5 3", "10 3 2.5 3"]

    /// Colour of series `index`.
    static func color(_ index: Int) -> String { series[index % series.count] }

    /// Dash pattern of series `index`: solid, dashed, dotted, dash-dot in turn, so that lines
    /// that coincide (policies with equal latency) all stay visible and differ in grey scale.
    static func dash(_ index: Int) -> String { dashes[index % dashes.count] }

    /// Colours of the step-time parts, in ``ReportSchema/stepTimeComponents`` order: Okabe–Ito
    /// first, then Paul Tol's colour-blind-safe "muted" scheme (Tol, SRON/EPS/TN/09-002, 2021),
    /// grey for fixed host work.
    static let components = [
        "#0072B2", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#D55E00", "#882255", "#44AA99", "#999933",
        "#332288", "#BBBBBB",
    ]

    /// Colour of step-time part `index`.
    static func component(_ index: Int) -> String { components[index % components.count] }

    /// Memory timeline colours.
    static let capacity = "#6B6B6B"
    static let allocated = "#0072B2"
    static let used = "#009E73"
    static let trapped = "#D55E00"
    static let reserved = "#E69F00"

    /// Axis, grid and text greys.
    static let axis = "#4D4D4D"
    static let grid = "#E3E3E3"
    static let muted = "#6B6B6B"
}
