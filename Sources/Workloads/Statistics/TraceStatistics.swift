import CGSL

/// Summary statistics of a workload (`tangram-sim trace stats`): counts, turns per session,
/// arrival rate, token percentiles and how much of each prompt is reusable history.
///
/// A request is one turn. Its prompt is the session's history (every earlier turn's input and
/// output) plus its new input, as the engine sees it. Request arrival times assume zero
/// serving latency (session arrival plus the think times so far), so ``requestRatePerSecond``
/// is an upper bound of what a simulation will see.
///
/// Memory grows with the number of requests (exact percentiles keep every value), so this is
/// an offline tool, not part of a simulation's streaming path.
public struct TraceStatistics: Sendable, Hashable {
    /// Percentiles of one quantity.
    public struct Summary: Sendable, Hashable {
        /// Number of values.
        public var count: Int
        /// Arithmetic mean (0 when empty).
        public var mean: Double
        /// Median (interpolated between order statistics, as numpy's default).
        public var p50: Double
        /// 90th percentile.
        public var p90: Double
        /// 99th percentile.
        public var p99: Double
        /// Largest value.
        public var max: Double
        /// Sum of the values.
        public var total: Double

        /// Summarises `values` (sorted in place).
        public init(_ values: inout [Double]) {
            count = values.count
            guard !values.isEmpty else {
                mean = 0; p50 = 0; p90 = 0; p99 = 0; max = 0; total = 0
                return
            }
            values.sort()
            total = values.reduce(0, +)
            mean = total / Double(values.count)
            func q(_ f: Double) -> Double {
                values.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, f) }
            }
            p50 = q(0.5)
            p90 = q(0.9)
            p99 = q(0.99)
            max = values[values.count - 1]
        }
    }

    /// Requests (turns).
    public var requests: Int
    /// Sessions.
    public var sessions: Int
    /// Sessions with at least two turns.
    public var multiTurnSessions: Int
    /// Turns per session.
    public var turnsPerSession: Summary
    /// Seconds from the first to the last session arrival.
    public var sessionSpanSeconds: Double
    /// Sessions per second over ``sessionSpanSeconds`` (0 when all arrive at once).
    public var arrivalRatePerSecond: Double
    /// Requests per second over the span of zero-latency request times.
    public var requestRatePerSecond: Double
    /// Full prompt tokens per request (history plus new input).
    public var promptTokens: Summary
    /// New input tokens per request.
    public var newInputTokens: Summary
    /// Output tokens per request.
    public var outputTokens: Summary
    /// History tokens per request (0 for first turns).
    public var historyTokens: Summary
    /// Think time before each follow-up turn, in seconds.
    public var thinkTimeSeconds: Summary
    /// Largest context a session reaches (all its input and output), per session.
    public var finalContextTokens: Summary
    /// Share of all prompt tokens that is the session's own history (reusable when the
    /// conversation's KV stays cached).
    public var historyShare: Double
    /// Share of all prompt tokens that is a cross-session shared prefix already seen in an
    /// earlier session (ideal, infinite cache; by ``SessionSpec/sharedPrefix`` block ids).
    public var sharedPrefixHitShare: Double
    /// Sessions that carry a shared prefix.
    public var sessionsWithSharedPrefix: Int

    /// Reads `source` to the end and summarises it.
    ///
    /// - Throws: whatever the source throws.
    public static func collect<S: SessionSource>(from source: inout S) throws -> TraceStatistics {
        var turnsPer: [Double] = []
        var prompt: [Double] = []
        var newInput: [Double] = []
        var output: [Double] = []
        var history: [Double] = []
        var think: [Double] = []
        var finals: [Double] = []
        var firstArrival = Double.infinity
        var lastArrival = -Double.infinity
        var firstRequest = Double.infinity
        var lastRequest = -Double.infinity
        var multi = 0
        var withPrefix = 0
        var seenPrefixes = Set<UInt64>()
        var sharedHitTokens = 0.0
        while let s = try source.nextSession() {
            turnsPer.append(Double(s.turns.count))
            if s.turns.count > 1 { multi += 1 }
            firstArrival = Swift.min(firstArrival, s.arrivalSeconds)
            lastArrival = Swift.max(lastArrival, s.arrivalSeconds)
            var h = 0.0
            var t = s.arrivalSeconds
            for (k, turn) in s.turns.enumerated() {
                if k > 0 {
                    think.append(turn.thinkTimeSeconds)
                    t += turn.thinkTimeSeconds
                }
                firstRequest = Swift.min(firstRequest, t)
                lastRequest = Swift.max(lastRequest, t)
                let n = Double(turn.newInputTokens)
                prompt.append(h + n)
                history.append(h)
                newInput.append(n)
                output.append(Double(turn.outputTokens))
                h += n + Double(turn.outputTokens)
            }
            finals.append(h)
            if let p = s.sharedPrefix, !p.blockIDs.isEmpty {
                withPrefix += 1
                let hashes = PrefixHash.prefixHashes(p.blockIDs)
                var hit = 0
                for m in stride(from: p.blockIDs.count, through: 1, by: -1) where seenPrefixes.contains(hashes[m]) {
                    hit = m
                    break
                }
                sharedHitTokens += Double(hit * p.blockTokens)
                for m in 1...p.blockIDs.count { seenPrefixes.insert(hashes[m]) }
            }
        }
        let sessionSpan = lastArrival > firstArrival ? lastArrival - firstArrival : 0
        let requestSpan = lastRequest > firstRequest ? lastRequest - firstRequest : 0
        let promptSummary = Summary(&prompt)
        let historySummary = Summary(&history)
        return TraceStatistics(
            requests: newInput.count,
            sessions: turnsPer.count,
            multiTurnSessions: multi,
            turnsPerSession: Summary(&turnsPer),
            sessionSpanSeconds: sessionSpan,
            arrivalRatePerSecond: sessionSpan > 0 ? Double(turnsPer.count) / sessionSpan : 0,
            requestRatePerSecond: requestSpan > 0 ? Double(newInput.count) / requestSpan : 0,
            promptTokens: promptSummary,
            newInputTokens: Summary(&newInput),
            outputTokens: Summary(&output),
            historyTokens: historySummary,
            thinkTimeSeconds: Summary(&think),
            finalContextTokens: Summary(&finals),
            historyShare: promptSummary.total > 0 ? historySummary.total / promptSummary.total : 0,
            sharedPrefixHitShare: promptSummary.total > 0 ? sharedHitTokens / promptSummary.total : 0,
            sessionsWithSharedPrefix: withPrefix)
    }
}
