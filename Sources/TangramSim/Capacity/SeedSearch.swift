/// The search for one seed's highest sustainable session rate: bracketing by doubling or
/// halving from the start rate, then bisection.
public struct SeedSearch: Sendable, Hashable {
    /// How the search ended.
    public enum Outcome: String, Sendable, Hashable {
        /// A passing and a failing rate were found and the bracket bisected.
        case bracketed
        /// Every rate up to the largest tried passed: the result is a lower bound.
        case aboveRange = "above_range"
        /// Every rate down to the smallest tried failed: no rate was found (result 0).
        case belowRange = "below_range"
    }

    /// The workload seed.
    public var seed: UInt64
    /// Position of the seed in the plan's seed list.
    public var replicate: Int
    /// The highest rate that passed (0 when none did).
    public var maxRatePerSecond: Double
    /// The lowest rate that failed, if any.
    public var failedRatePerSecond: Double?
    /// How the search ended.
    public var outcome: Outcome
    /// Every probe, in the order run.
    public var probes: [RateProbe]

    /// Creates a search result.
    public init(seed: UInt64, replicate: Int, maxRatePerSecond: Double, failedRatePerSecond: Double?,
                outcome: Outcome, probes: [RateProbe]) {
        self.seed = seed
        self.replicate = replicate
        self.maxRatePerSecond = maxRatePerSecond
        self.failedRatePerSecond = failedRatePerSecond
        self.outcome = outcome
        self.probes = probes
    }
}
