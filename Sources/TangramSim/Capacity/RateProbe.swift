/// One probe of the capacity search: a replica (or a cluster) at one session rate and seed.
public struct RateProbe: Sendable, Hashable {
    /// Session arrival rate, sessions per second.
    public var ratePerSecond: Double
    /// The workload seed.
    public var seed: UInt64
    /// Position of the seed in the plan's seed list (a trace's window index).
    public var replicate: Int
    /// Whether every objective was met.
    public var passed: Bool
    /// The observed value of each objective, in the order of the objectives, seconds.
    public var observedSeconds: [Double]
    /// The measured window's requests.
    public var window: WindowSummary
    /// Sessions in the probe (carried into it and new).
    public var sessions: Int
    /// Fraction of the steady-state turn load the probe reproduces (see ``ProbeWorkload``).
    public var historyCoverage: Double
    /// Later turns that the router moved to another replica (0 for one replica).
    public var movedTurns: Int
    /// Requests served per replica.
    public var requestsPerReplica: [Int]

    /// Creates a probe result.
    public init(ratePerSecond: Double, seed: UInt64, replicate: Int, passed: Bool, observedSeconds: [Double],
                window: WindowSummary, sessions: Int, historyCoverage: Double, movedTurns: Int = 0,
                requestsPerReplica: [Int] = []) {
        self.ratePerSecond = ratePerSecond
        self.seed = seed
        self.replicate = replicate
        self.passed = passed
        self.observedSeconds = observedSeconds
        self.window = window
        self.sessions = sessions
        self.historyCoverage = historyCoverage
        self.movedTurns = movedTurns
        self.requestsPerReplica = requestsPerReplica
    }

    /// Output tokens per session at this rate: the window's output rate over the session rate.
    public var outputTokensPerSession: Double { window.outputTokensPerSecond / ratePerSecond }
}
