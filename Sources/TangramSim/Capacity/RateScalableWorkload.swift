import Workloads

/// A workload whose session arrival rate can be set: a preset, a spec file, synthetic
/// configurations, or the sessions of a trace.
///
/// - Synthetic workloads (presets, specs, configurations) are re-drawn at each rate: every
///   component keeps its arrival process's shape (Poisson, gamma with its CV, a rate curve's
///   profile) with its mean rate scaled so that the components add up to the rate, in the
///   proportions of their own mean rates (of their session shares when they arrive in one
///   batch, as SCBench presets do; a batch becomes Poisson). Session bodies come from their own
///   random stream, so a seed gives the same sessions at every rate, only their arrival times
///   change.
/// - A trace keeps its sessions and their think times and scales the gaps between session
///   starts: at rate `r` the session starts of a trace recorded at `r0` sessions/s are
///   `t x r0 / r`. More users means more sessions at once, not faster typing. The trace is
///   repeated end to end (its sessions again, with new ids) as often as a probe needs, and seed
///   `k` measures the `k`-th window of sessions, so seeds see different sessions of the trace.
public struct RateScalableWorkload: Sendable {
    /// Where the sessions come from.
    public enum Body: Sendable {
        case preset(WorkloadPreset)
        case spec(WorkloadSpec)
        /// Synthetic components: one configuration is used as is (its seed replaced); several
        /// are seeded from the master seed like a spec's mixture components.
        case configurations([SyntheticChatConfig])
        /// A trace's sessions, sorted by arrival, the first at time 0.
        case trace([SessionSpec])
    }

    /// A short description for reports.
    public var label: String
    /// The sessions' source.
    public var body: Body
    /// The workload's own mean session rate, when it has one (a batch has none).
    public let nativeRatePerSecond: Double?
    /// For a trace, the longest span from a session's start to its last turn (think times only).
    let longestSessionSeconds: Double

    /// Sessions drawn per component when asking a preset or spec for its configurations (any
    /// count beyond what a probe reads works: generators stream).
    static let unboundedSessions = 1 << 40

    /// A built-in preset.
    public static func preset(_ preset: WorkloadPreset) -> RateScalableWorkload {
        RateScalableWorkload(label: "preset:\(preset.rawValue)", body: .preset(preset))
    }

    /// A workload spec.
    public static func spec(_ spec: WorkloadSpec, label: String) -> RateScalableWorkload {
        RateScalableWorkload(label: label, body: .spec(spec))
    }

    /// Synthetic configurations (their session counts and seeds are replaced).
    ///
    /// - Throws: ``CapacityInputError/noComponents(label:)`` for an empty list.
    public static func configurations(_ configs: [SyntheticChatConfig], label: String) throws(CapacityInputError)
        -> RateScalableWorkload
    {
        guard !configs.isEmpty else { throw .noComponents(label: label) }
        return RateScalableWorkload(label: label, body: .configurations(configs))
    }

    /// A trace's sessions, in any order; arrivals are shifted so that the first is at 0.
    ///
    /// - Throws: ``CapacityInputError`` for an empty trace or one whose sessions all start at
    ///   once.
    public static func trace(_ sessions: [SessionSpec], label: String) throws(CapacityInputError) -> RateScalableWorkload {
        guard !sessions.isEmpty else { throw .emptyTrace(label: label) }
        var sorted = ArraySessionSource(sessions)
        var list: [SessionSpec] = []
        list.reserveCapacity(sessions.count)
        while let s = try? sorted.nextSession() { list.append(s) }
        let first = list[0].arrivalSeconds
        for i in list.indices { list[i].arrivalSeconds -= first }
        guard list.count > 1, let last = list.last, last.arrivalSeconds > 0 else { throw .traceWithoutRate(label: label) }
        return RateScalableWorkload(label: label, body: .trace(list))
    }

    private init(label: String, body: Body) {
        self.label = label
        self.body = body
        switch body {
        case .trace(let list):
            // n sessions over (n - 1) gaps.
            nativeRatePerSecond = Double(list.count - 1) / list[list.count - 1].arrivalSeconds
            longestSessionSeconds = list.map { s in s.turns.dropFirst().reduce(0) { $0 + max(0, $1.thinkTimeSeconds) } }
                .max() ?? 0
        default:
            let configs = Self.configs(body, seed: 1)
            let rates = configs.map(\.arrival.meanRatePerSecond)
            nativeRatePerSecond = rates.contains(where: { $0 == nil }) ? nil : rates.reduce(0) { $0 + ($1 ?? 0) }
            longestSessionSeconds = 0
        }
    }

    /// Whether the workload is a trace.
    public var isTrace: Bool {
        if case .trace = body { return true }
        return false
    }

    /// The synthetic components for a seed, at their own rates.
    static func configs(_ body: Body, seed: UInt64) -> [SyntheticChatConfig] {
        switch body {
        case .preset(let p): return p.configs(sessions: unboundedSessions, seed: seed)
        case .spec(let s): return s.configs(sessions: unboundedSessions, seed: seed)
        case .configurations(let list):
            return list.enumerated().map { i, c in
                var c = c
                c.sessionCount = unboundedSessions
                c.seed = list.count == 1 ? seed : GSLRandom.derivedSeed(master: seed, stream: RandomStream.mixtureBase + UInt64(i))
                return c
            }
        case .trace: return []
        }
    }

    /// The synthetic components for a seed, with their arrival rates set to add up to `rate`.
    func configs(ratePerSecond rate: Double, seed: UInt64) -> [SyntheticChatConfig] {
        var configs = Self.configs(body, seed: seed)
        let means = configs.map(\.arrival.meanRatePerSecond)
        let useRates = !means.contains { $0 == nil || $0! <= 0 }
        let weights: [Double] = useRates ? means.map { $0! } : configs.map { Double(max(1, $0.sessionCount)) }
        let sum = weights.reduce(0, +)
        for i in configs.indices {
            let share = rate * weights[i] / sum
            if useRates, let m = means[i] {
                configs[i].arrival = configs[i].arrival.scaled(by: share / m)
            } else {
                configs[i].arrival = .poisson(ratePerSecond: share)
            }
        }
        return configs
    }

    /// The sessions of one probe at `rate` sessions/s.
    ///
    /// - Parameters:
    ///   - rate: Session arrival rate, sessions per second.
    ///   - seed: The workload seed (synthetic workloads).
    ///   - replicate: The replicate index (a trace measures its `replicate`-th window).
    ///   - warmupSessions: New sessions arriving before the measured window.
    ///   - measuredSessions: New sessions arriving in the measured window.
    ///   - historySeconds: How long before the probe sessions may have started (synthetic
    ///     workloads; a trace uses its longest session).
    /// - Throws: What the generators throw (nothing for built-in ones).
    public func probe(ratePerSecond rate: Double, seed: UInt64, replicate: Int, warmupSessions: Int,
                      measuredSessions: Int, historySeconds: Double) throws -> ProbeWorkload {
        precondition(rate > 0 && rate.isFinite, "the session rate must be positive")
        precondition(measuredSessions >= 1 && warmupSessions >= 0, "a probe measures at least one session")
        let warmup = Double(warmupSessions) / rate
        let window = ObservationWindow(measureFromSeconds: warmup,
                                       stopArrivalsAtSeconds: warmup + Double(measuredSessions) / rate)
        switch body {
        case .trace(let list):
            let history = longestSessionSeconds
            let origin = history + Double(replicate) * window.stopArrivalsAtSeconds
            var population = LoopedTrace(sessions: list, scale: nativeRatePerSecond! / rate)
            return try ProbeWorkload.build(population: &population, origin: origin, historySeconds: history,
                                           window: window, ratePerSecond: rate)
        default:
            let generators: [any SessionSource] = configs(ratePerSecond: rate, seed: seed).map {
                SyntheticChatGenerator(config: $0)
            }
            var population = MergedSessionSource(generators)
            return try ProbeWorkload.build(population: &population, origin: historySeconds,
                                           historySeconds: historySeconds, window: window, ratePerSecond: rate)
        }
    }
}
