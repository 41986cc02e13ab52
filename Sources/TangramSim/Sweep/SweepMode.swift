/// What each point of a sweep simulates.
public enum SweepMode: String, Sendable, Hashable {
    /// A capacity probe: the workload at the point's rate, started in steady state, measured over
    /// its window (``RateScalableWorkload/probe(ratePerSecond:seed:replicate:warmupSessions:measuredSessions:historySeconds:)``).
    case steady
    /// A plain run: the first `sessions` sessions at the point's rate, every turn, from an
    /// empty system (what `tangram-sim simulate` does).
    case full
}
