/// The capacity plan of one policy: its highest sustainable session rate per replica, the
/// replicas and GPUs a target rate needs, and what an output token costs.
public struct PolicyPlan: Sendable, Hashable {
    /// The policy's name.
    public var policy: String
    /// The highest session rate every seed sustains on one replica (sessions/s), 0 when none.
    public var maxSessionRatePerSecond: Double
    /// One search per seed.
    public var searches: [SeedSearch]
    /// Probes of every seed at ``maxSessionRatePerSecond`` (the seed that set it reuses its own).
    public var verification: [RateProbe]
    /// Whether every seed met the objectives at ``maxSessionRatePerSecond``; `false` only when
    /// no rate passed.
    public var verified: Bool
    /// Whether the per-seed maxima were not monotone and a joint bisection (all seeds at each
    /// rate) set the result instead of their minimum.
    public var jointSearch: Bool
    /// Mean output tokens per session of the workload
    /// (``RateScalableWorkload/meanOutputTokensPerSession(seeds:sessionsPerSeed:)``).
    public var outputTokensPerSession: Double?
    /// Replicas needed for the target rate (`nil` without a target or when no rate passed).
    public var replicasNeeded: Int?
    /// GPUs needed: replicas x tensor-parallel degree.
    public var gpusNeeded: Int?
    /// Dollars per million output tokens of the cluster at the target rate, replicas rounded up.
    public var usdPerMillionOutputTokens: Double?
    /// Dollars per million output tokens of one replica running at the planned rate.
    public var usdPerMillionOutputTokensAtCapacity: Double?
    /// The cluster run at the planned size, when asked for.
    public var confirmation: ClusterCheck?

    /// Creates a plan; replicas, GPUs, costs and the confirmation start empty.
    public init(policy: String, maxSessionRatePerSecond: Double, searches: [SeedSearch], verification: [RateProbe],
                verified: Bool, jointSearch: Bool) {
        self.policy = policy
        self.maxSessionRatePerSecond = maxSessionRatePerSecond
        self.searches = searches
        self.verification = verification
        self.verified = verified
        self.jointSearch = jointSearch
    }

    /// Per-seed maxima, in seed order.
    public var perSeedMaxRatesPerSecond: [Double] { searches.map(\.maxRatePerSecond) }

    /// `(max - min) / min` of the per-seed maxima (0 for one seed; `nil` when a seed found none).
    public var seedSpreadFraction: Double? {
        let rates = perSeedMaxRatesPerSecond
        guard let lo = rates.min(), let hi = rates.max(), lo > 0 else { return nil }
        return (hi - lo) / lo
    }

    /// The worst observed value of each objective over the verification probes.
    public var worstObservedSeconds: [Double] {
        guard let first = verification.first else { return [] }
        return first.observedSeconds.indices.map { i in verification.map { $0.observedSeconds[i] }.max()! }
    }
}
