import Foundation

/// A probability distribution of a non-negative quantity (tokens, turns, seconds), drawn
/// through ``GSLRandom``, with an optional offset and clamp.
///
/// A draw is `clamp(base + offset, minimum, maximum)`. Integer draws
/// (``sampleInteger(using:)``) round the base draw to the nearest integer (ties to even, as
/// numpy's `round`) before the offset and clamp.
///
/// ```swift
/// // 1 + Poisson(4) turns, at most 20
/// let turns = Distribution(.poisson(mean: 4), offset: 1, maximum: 20)
/// let n = turns.sampleInteger(using: rng)
/// ```
public struct Distribution: Sendable, Hashable {
    /// The shape of the base draw.
    public enum Kind: Sendable, Hashable {
        /// Always `value`.
        case constant(Double)
        /// Continuous uniform on `[min, max)`.
        case uniform(min: Double, max: Double)
        /// Uniform on the integers `min ... max` (numpy `randint(min, max + 1)`).
        case uniformInteger(min: Int, max: Int)
        /// Exponential with the given mean.
        case exponential(mean: Double)
        /// `exp(N(mu, sigma^2))`: `mu` is the log of the median.
        case lognormal(mu: Double, sigma: Double)
        /// Gamma with `shape` and `scale` (mean `shape * scale`).
        case gamma(shape: Double, scale: Double)
        /// Weibull with `shape` and `scale`.
        case weibull(shape: Double, scale: Double)
        /// Poisson with the given mean.
        case poisson(mean: Double)
        /// Geometric on `1, 2, ...` with the given mean (success probability `1 / mean`).
        case geometric(mean: Double)
        /// Zipf on `1, 2, ...` with `P(k) ~ k^-exponent` (numpy `zipf`); `exponent > 1`.
        case zipf(exponent: Double)
        /// Draws from a list of values with weights.
        case empirical(EmpiricalDistribution)
    }

    /// The base draw.
    public var kind: Kind
    /// Added to every base draw (for example the 1 of "1 + Poisson").
    public var offset: Double
    /// Lower clamp applied after the offset, or `nil`.
    public var minimum: Double?
    /// Upper clamp applied after the offset, or `nil`.
    public var maximum: Double?

    /// Creates a distribution.
    public init(_ kind: Kind, offset: Double = 0, minimum: Double? = nil, maximum: Double? = nil) {
        self.kind = kind
        self.offset = offset
        self.minimum = minimum
        self.maximum = maximum
    }

    /// A distribution that always yields `value`.
    public static func constant(_ value: Double) -> Distribution {
        Distribution(.constant(value))
    }

    /// A lognormal distribution with the given median and log-space standard deviation.
    public static func lognormal(median: Double, sigma: Double, minimum: Double? = nil, maximum: Double? = nil)
        -> Distribution
    {
        Distribution(.lognormal(mu: log(median), sigma: sigma), minimum: minimum, maximum: maximum)
    }

    /// A lognormal distribution with the given mean and log-space standard deviation
    /// (`mu = ln(mean) - sigma^2 / 2`).
    public static func lognormal(mean: Double, sigma: Double, minimum: Double? = nil, maximum: Double? = nil)
        -> Distribution
    {
        Distribution(.lognormal(mu: log(mean) - sigma * sigma / 2, sigma: sigma), minimum: minimum, maximum: maximum)
    }

    /// One draw, offset and clamped.
    public func sample(using rng: GSLRandom) -> Double {
        clamp(baseSample(using: rng) + offset)
    }

    /// One draw rounded to the nearest integer (ties to even), then offset and clamped.
    ///
    /// Non-finite or out-of-range draws saturate at `Int` bounds before the clamp.
    public func sampleInteger(using rng: GSLRandom) -> Int {
        let rounded = (baseSample(using: rng)).rounded(.toNearestOrEven) + offset.rounded(.toNearestOrEven)
        let clamped = clamp(rounded)
        if clamped.isNaN { return Int(minimum ?? 0) }
        if clamped >= 9.2e18 { return Int.max / 4 }
        if clamped <= -9.2e18 { return Int.min / 4 }
        return Int(clamped.rounded(.toNearestOrEven))
    }

    /// The mean of the base draw plus the offset, ignoring the clamp, when it has a closed form.
    public var unclampedMean: Double? {
        let base: Double?
        switch kind {
        case .constant(let v): base = v
        case .uniform(let lo, let hi): base = (lo + hi) / 2
        case .uniformInteger(let lo, let hi): base = Double(lo + hi) / 2
        case .exponential(let m): base = m
        case .lognormal(let mu, let sigma): base = exp(mu + sigma * sigma / 2)
        case .gamma(let shape, let scale): base = shape * scale
        case .weibull(let shape, let scale): base = scale * tgamma(1 + 1 / shape)
        case .poisson(let m): base = m
        case .geometric(let m): base = m
        case .zipf(let s): base = s > 2 ? zeta(s - 1) / zeta(s) : nil
        case .empirical(let e): base = e.mean
        }
        return base.map { $0 + offset }
    }

    private func clamp(_ x: Double) -> Double {
        var y = x
        if let lo = minimum, y < lo { y = lo }
        if let hi = maximum, y > hi { y = hi }
        return y
    }

    private func baseSample(using rng: GSLRandom) -> Double {
        switch kind {
        case .constant(let v):
            return v
        case .uniform(let lo, let hi):
            return lo + (hi - lo) * rng.uniform()
        case .uniformInteger(let lo, let hi):
            let width = hi - lo + 1
            if width <= 1 { return Double(lo) }
            if width <= 4_294_967_295 { return Double(lo + rng.uniformInteger(below: width)) }
            return (Double(lo) + Double(width) * rng.uniform()).rounded(.down)
        case .exponential(let m):
            return rng.exponential(mean: m)
        case .lognormal(let mu, let sigma):
            return rng.lognormal(mu: mu, sigma: sigma)
        case .gamma(let shape, let scale):
            return rng.gamma(shape: shape, scale: scale)
        case .weibull(let shape, let scale):
            return rng.weibull(shape: shape, scale: scale)
        case .poisson(let m):
            return Double(rng.poisson(mean: m))
        case .geometric(let m):
            return Double(rng.geometric(successProbability: 1 / m))
        case .zipf(let s):
            return Double(rng.zipf(exponent: s))
        case .empirical(let e):
            return e.sample(using: rng)
        }
    }

    /// Riemann zeta by direct summation with an Euler-Maclaurin tail; only used for means.
    private func zeta(_ s: Double) -> Double {
        let n = 1_000
        var sum = 0.0
        for k in 1..<n { sum += pow(Double(k), -s) }
        let nd = Double(n)
        return sum + pow(nd, 1 - s) / (s - 1) + pow(nd, -s) / 2
    }
}
