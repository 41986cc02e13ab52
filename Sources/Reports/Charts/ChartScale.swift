#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A linear or base-10 logarithmic map from data values to pixels, with "nice" ticks.
struct ChartScale {
    /// Linear or logarithmic.
    enum Kind { case linear, log }

    var kind: Kind
    /// Data domain (positive for log scales).
    var domain: (Double, Double)
    /// Pixel range the domain maps to (may be reversed, for y).
    var range: (Double, Double)
    /// Tick values inside the domain, ascending.
    var ticks: [Double]
    /// Decimals for tick labels of a linear scale.
    var tickDecimals: Int

    /// A linear scale from `0` (or `minimum`) to a nice value at or above `maximum`, with about
    /// `tickCount` ticks at 1, 2, 2.5 or 5 × 10^k.
    ///
    /// With `integers`, steps are whole numbers (counts), at least 1.
    static func linear(
        minimum: Double = 0, maximum: Double, range: (Double, Double), tickCount: Int = 5, integers: Bool = false
    ) -> ChartScale {
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if high <= low { high = low == 0 ? 1 : low + abs(low) }
        var step = niceStep((high - low) / Double(max(1, tickCount)))
        if integers {
            step = max(1, step.rounded(.up))
            if step == 2.5 { step = 5 }
        }
        low = (low / step).rounded(.down) * step
        high = (high / step - 1e-9).rounded(.up) * step
        if high <= low { high = low + step }
        var ticks: [Double] = []
        var k = 0
        while true {
            let value = low + Double(k) * step
            if value > high + step * 1e-6 { break }
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            k += 1
        }
        return ChartScale(
            kind: .linear, domain: (low, high), range: range, ticks: ticks,
            tickDecimals: NumberText.decimals(forStep: step))
    }

    /// A log scale over whole decades covering `minimum…maximum` (both positive), with ticks at
    /// 1, 2 and 5 × 10^k when it spans at most three decades, else at powers of ten.
    static func log(minimum: Double, maximum: Double, range: (Double, Double)) -> ChartScale {
        let low = floor(log10(max(minimum, 1e-12)))
        var high = ceil(log10(max(maximum, minimum * 10)))
        if high <= low { high = low + 1 }
        var ticks: [Double] = []
        let multipliers: [Double] = high - low <= 3 ? [1, 2, 5] : [1]
        var e = low
        while e <= high {
            for m in multipliers {
                let value = m * pow(10, e)
                if value <= pow(10, high) * (1 + 1e-9) { ticks.append(value) }
            }
            e += 1
        }
        return ChartScale(
            kind: .log, domain: (pow(10, low), pow(10, high)), range: range, ticks: ticks, tickDecimals: 0)
    }

    /// The pixel position of `value` (clamped to a small margin outside the range).
    func position(_ value: Double) -> Double {
        let t: Double
        switch kind {
        case .linear:
            t = (value - domain.0) / (domain.1 - domain.0)
        case .log:
            let v = max(value, domain.0 / 10)
            t = (log10(v) - log10(domain.0)) / (log10(domain.1) - log10(domain.0))
        }
        let clamped = min(max(t, -0.05), 1.05)
        return range.0 + clamped * (range.1 - range.0)
    }

    /// The label of a tick value.
    func label(_ value: Double) -> String {
        switch kind {
        case .linear:
            return NumberText.grouped(value, decimals: tickDecimals)
        case .log:
            return NumberText.grouped(value, decimals: max(0, -Int(floor(log10(value) + 1e-9))))
        }
    }

    /// Whether a log tick is a power of ten (major) rather than a 2 or 5 multiple.
    func isMajor(_ value: Double) -> Bool {
        kind == .linear || abs(log10(value) - log10(value).rounded()) < 1e-9
    }

    /// The nice step at or above `raw`: 1, 2, 2.5 or 5 × 10^k.
    static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let power = pow(10, floor(log10(raw)))
        let fraction = raw / power
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        return nice * power
    }
}
