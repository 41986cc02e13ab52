import Workloads

extension RateScalableWorkload {
    /// The first `count` sessions of the workload at `rate` sessions/s (`nil`: its own arrival
    /// process), from an empty start: what a plain run simulates.
    ///
    /// For a trace, replicate `k` skips the first `k x count` sessions of the (repeated,
    /// rescaled) trace and starts its clock at the first session kept.
    ///
    /// - Precondition: `rate` is `nil` or positive.
    public func firstSessions(_ count: Int, ratePerSecond rate: Double?, seed: UInt64, replicate: Int) -> any SessionSource {
        precondition(rate.map { $0 > 0 && $0.isFinite } ?? true, "the session rate must be positive")
        switch body {
        case .trace(let list):
            let scale = rate.map { nativeRatePerSecond! / $0 } ?? 1
            return SessionPrefix(LoopedTrace(sessions: list, scale: scale), skip: replicate * count, count: count)
        default:
            let configs = rate.map { self.configs(ratePerSecond: $0, seed: seed) } ?? Self.configs(body, seed: seed)
            let generators: [any SessionSource] = configs.map { SyntheticChatGenerator(config: $0) }
            return SessionPrefix(MergedSessionSource(generators), skip: 0, count: count)
        }
    }
}

extension RateScalableWorkload {
    /// Mean output tokens of a session: over the trace's sessions, or over `sessionsPerSeed`
    /// sessions drawn with each seed. At a steady session rate `r` a cluster produces
    /// `r x` this many output tokens per second (less what it refuses).
    public func meanOutputTokensPerSession(seeds: [UInt64], sessionsPerSeed: Int = 10_000) throws -> Double {
        var tokens = 0.0, sessions = 0
        if case .trace(let list) = body {
            for s in list { tokens += Double(s.turns.reduce(0) { $0 + max(1, $1.outputTokens) }); sessions += 1 }
        } else {
            for seed in seeds {
                var source = firstSessions(sessionsPerSeed, ratePerSecond: nil, seed: seed, replicate: 0)
                while let s = try source.nextSession() {
                    tokens += Double(s.turns.reduce(0) { $0 + max(1, $1.outputTokens) })
                    sessions += 1
                }
            }
        }
        return sessions > 0 ? tokens / Double(sessions) : 0
    }
}
