/// How sessions start over time (open loop: arrivals do not wait for the system).
public enum ArrivalProcess: Sendable, Hashable {
    /// Poisson arrivals: exponential gaps with mean `1 / ratePerSecond`.
    case poisson(ratePerSecond: Double)
    /// Gamma-distributed gaps with mean `1 / ratePerSecond` and the given coefficient of
    /// variation (CV > 1 is burstier than Poisson; CV = 1 is Poisson).
    case gamma(ratePerSecond: Double, coefficientOfVariation: Double)
    /// Evenly spaced arrivals, `1 / ratePerSecond` apart, the first at time 0.
    case uniform(ratePerSecond: Double)
    /// Every session arrives at `atSeconds` (an offline batch, as in the Tangram paper's runs).
    case batch(atSeconds: Double)
    /// A rate that changes per time window (for example a ServeGen client's curve).
    case rateCurve(RateCurve)

    /// The same process with its rate multiplied by `factor` (used to split a rate among the
    /// components of a mixture).
    public func scaled(by factor: Double) -> ArrivalProcess {
        switch self {
        case .poisson(let r): return .poisson(ratePerSecond: r * factor)
        case .gamma(let r, let cv): return .gamma(ratePerSecond: r * factor, coefficientOfVariation: cv)
        case .uniform(let r): return .uniform(ratePerSecond: r * factor)
        case .batch: return self
        case .rateCurve(let c): return .rateCurve(c.scaled(by: factor))
        }
    }

    /// The long-run mean arrival rate in sessions per second, or `nil` for a batch.
    public var meanRatePerSecond: Double? {
        switch self {
        case .poisson(let r), .gamma(let r, _), .uniform(let r): return r
        case .batch: return nil
        case .rateCurve(let c): return c.meanRatePerSecond
        }
    }
}
