import Workloads

/// The sessions of one capacity probe: a workload at one session rate, started in steady state.
///
/// Multi-turn sessions live long (the `chat` preset's think times have a median of 125 s; only
/// 81% of its turns happen within an hour of a session's start), so a run that starts empty
/// would need hours of simulated warm-up before its load is that of the rate. A probe starts
/// warm instead: sessions are drawn from `historySeconds` before the window, and each session
/// still active at time 0 enters with its next turn, whose prompt carries the session's whole
/// history so far (that history is not in any KV cache: it is prefilled, as after an eviction).
/// Turn times before time 0 are reconstructed from think times alone (the service time of those
/// turns, seconds against think times of minutes, is ignored). Sessions that would end before
/// time 0 are dropped.
///
/// Then `warmupSessions` new sessions arrive (the KV caches and queues fill), then
/// `measuredSessions` more, whose window of arrivals is measured. The work per probe is about
/// `(warmupSessions + measuredSessions) x turns per session` requests, whatever the rate.
public struct ProbeWorkload: Sendable {
    /// The probe's sessions, sorted by arrival, times in seconds from the start of the probe.
    public var sessions: [SessionSpec]
    /// Warm-up, then the measured arrivals; no turn starts after it.
    public var window: ObservationWindow
    /// The session rate.
    public var ratePerSecond: Double
    /// Fraction of the steady-state turn load the probe reproduces: the turns of a session
    /// that happen within `historySeconds` of its start, over all its turns (estimated over the
    /// sessions drawn). Below 1 when sessions can outlive the history.
    public var historyCoverage: Double
    /// Sessions already active when the probe starts (entering with a later turn).
    public var carriedSessions: Int

    /// Creates a probe workload.
    public init(sessions: [SessionSpec], window: ObservationWindow, ratePerSecond: Double, historyCoverage: Double,
                carriedSessions: Int) {
        self.sessions = sessions
        self.window = window
        self.ratePerSecond = ratePerSecond
        self.historyCoverage = historyCoverage
        self.carriedSessions = carriedSessions
    }

    /// Builds a probe from a stream of sessions in absolute time.
    ///
    /// - Parameters:
    ///   - population: Sessions in arrival order; read until the first one arriving at or after
    ///     `origin + window.stopArrivalsAtSeconds`.
    ///   - origin: The absolute time that becomes the probe's time 0.
    ///   - historySeconds: How far before `origin` sessions may have started (for the coverage
    ///     estimate; the population should start at `origin - historySeconds`).
    ///   - window: The probe's window (relative times).
    ///   - ratePerSecond: The session rate, recorded.
    static func build<S: SessionSource>(population: inout S, origin: Double, historySeconds: Double,
                                        window: ObservationWindow, ratePerSecond: Double) throws -> ProbeWorkload {
        let end = window.stopArrivalsAtSeconds
        var kept: [(spec: SessionSpec, order: Int)] = []
        var totalTurns = 0, lateTurns = 0, carried = 0
        var order = 0
        while let s = try population.nextSession() {
            let start = s.arrivalSeconds - origin
            if start >= end { break }
            var offset = 0.0
            var history = 0
            var first: Int?
            var firstTime = 0.0
            for (j, turn) in s.turns.enumerated() {
                if j > 0 { offset += max(0, turn.thinkTimeSeconds) }
                totalTurns += 1
                if offset > historySeconds { lateTurns += 1 }
                if first == nil {
                    if start + offset >= 0 {
                        first = j
                        firstTime = start + offset
                    } else {
                        history += turn.newInputTokens + turn.outputTokens
                    }
                }
            }
            guard let j = first, firstTime < end else { continue }
            var spec = s
            spec.arrivalSeconds = firstTime
            if j > 0 {
                var turns = Array(s.turns[j...])
                turns[0] = TurnSpec(newInputTokens: history + turns[0].newInputTokens, outputTokens: turns[0].outputTokens)
                spec.turns = turns
                carried += 1
            }
            kept.append((spec, order))
            order += 1
        }
        kept.sort { ($0.spec.arrivalSeconds, $0.order) < ($1.spec.arrivalSeconds, $1.order) }
        let coverage = totalTurns > 0 ? 1 - Double(lateTurns) / Double(totalTurns) : 1
        return ProbeWorkload(sessions: kept.map(\.spec), window: window, ratePerSecond: ratePerSecond,
                             historyCoverage: coverage, carriedSessions: carried)
    }
}
