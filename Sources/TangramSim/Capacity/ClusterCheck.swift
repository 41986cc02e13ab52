/// A cluster of the planned size, run at the target rate, checked against the objectives.
public struct ClusterCheck: Sendable, Hashable {
    /// Replicas in the cluster.
    public var replicas: Int
    /// The router's name.
    public var routing: String
    /// Target session rate of the cluster, sessions per second.
    public var ratePerSecond: Double
    /// One probe per seed.
    public var probes: [RateProbe]

    /// Creates a check.
    public init(replicas: Int, routing: String, ratePerSecond: Double, probes: [RateProbe]) {
        self.replicas = replicas
        self.routing = routing
        self.ratePerSecond = ratePerSecond
        self.probes = probes
    }

    /// Whether every seed met every objective.
    public var passed: Bool { probes.allSatisfy(\.passed) }
}
