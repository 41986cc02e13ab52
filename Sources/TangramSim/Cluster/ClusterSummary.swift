/// The results of simulating a cluster of identical replicas behind a router.
public struct ClusterSummary: Sendable, Hashable {
    /// The routing rule's name.
    public var routing: String
    /// Replicas in the cluster.
    public var replicaCount: Int
    /// The whole cluster as one summary: request counts, throughput and latency over every
    /// request; preemptions, evictions, stalls, KV capacity and peaks summed over replicas (a
    /// peak sum is an upper bound on the cluster's simultaneous peak); memory means summed.
    /// With one replica it equals what ``Simulation/run(_:sampleIntervalSeconds:onStep:onRequest:)``
    /// reports for the same workload.
    public var total: PolicySummary
    /// One summary per replica, over the requests it served.
    public var replicas: [PolicySummary]
    /// The measured window, when the run had one.
    public var window: WindowSummary?
    /// Later turns served on another replica than the session's previous turn (their history is
    /// recomputed there).
    public var movedTurns: Int

    /// Creates a summary.
    public init(routing: String, replicaCount: Int, total: PolicySummary, replicas: [PolicySummary],
                window: WindowSummary?, movedTurns: Int) {
        self.routing = routing
        self.replicaCount = replicaCount
        self.total = total
        self.replicas = replicas
        self.window = window
        self.movedTurns = movedTurns
    }
}
