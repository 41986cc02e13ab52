/// How the capacity planner searches: seeds, probe size, bisection, parallelism.
public struct PlanSettings: Sendable, Hashable {
    /// Workload seeds; a rate passes only if the probe of every seed meets every objective. For
    /// a trace, seed `k` (0-based position in this list) selects the trace's `k`-th window.
    public var seeds: [UInt64] = [1, 2, 3]
    /// New sessions arriving in each probe's measured window.
    public var measuredSessions = 300
    /// New sessions arriving before the measured window (warm-up of caches and queues).
    public var warmupSessions = 150
    /// How long before a probe synthetic sessions may have started; sessions still active at the
    /// probe's start enter with their next turn. The default, 4 hours, covers 98% of the turns
    /// of the `chat` preset (whose think times have a median of 125 s); probes report the
    /// coverage they reached.
    public var historySeconds = 14_400.0
    /// Bisection steps after the rate is bracketed (each halves the bracket).
    public var bisectionSteps = 8
    /// First rate probed (`nil`: the workload's own rate, else 1 session/s).
    public var startRatePerSecond: Double?
    /// Most doublings (or halvings) of the rate while looking for a bracket.
    public var maximumBracketSteps = 12
    /// Most probes run at once.
    public var jobs = 1
    /// How a confirming cluster routes turns.
    public var routing = RoutingPolicy.sessionAffinity

    /// The defaults above.
    public init() {}

    /// Checks every value.
    ///
    /// - Throws: ``CapacityInputError/setting(name:reason:)`` naming the first bad value.
    public func validate() throws(CapacityInputError) {
        guard !seeds.isEmpty else { throw .setting(name: "seeds", reason: "give at least one seed") }
        guard Set(seeds).count == seeds.count else { throw .setting(name: "seeds", reason: "seeds must differ") }
        guard measuredSessions >= 1 else { throw .setting(name: "sessions", reason: "must be at least 1, got \(measuredSessions)") }
        guard warmupSessions >= 0 else { throw .setting(name: "warmup-sessions", reason: "must not be negative, got \(warmupSessions)") }
        guard historySeconds.isFinite, historySeconds >= 0 else {
            throw .setting(name: "history", reason: "must be a non-negative number of seconds, got \(historySeconds)")
        }
        guard (0...40).contains(bisectionSteps) else {
            throw .setting(name: "iterations", reason: "must be in 0...40, got \(bisectionSteps)")
        }
        if let r = startRatePerSecond, !(r > 0 && r.isFinite) {
            throw .setting(name: "start-rate", reason: "must be a positive number, got \(r)")
        }
        guard (0...40).contains(maximumBracketSteps) else {
            throw .setting(name: "bracket-steps", reason: "must be in 0...40, got \(maximumBracketSteps)")
        }
        guard jobs >= 1 else { throw .setting(name: "jobs", reason: "must be at least 1, got \(jobs)") }
    }
}
