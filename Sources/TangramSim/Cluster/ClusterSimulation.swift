import GPUModel
import Workloads

/// A discrete-event simulation of a cluster of identical replicas behind a router.
///
/// Every replica is the engine of ``Simulation`` (same scheduler, KV cache and cost model);
/// all replicas share one event queue and one clock, and a ``Router`` sends each arriving turn
/// to a replica. With one replica the results equal ``Simulation``'s for the same workload.
///
/// ```swift
/// let cluster = try ClusterSimulation(setup: setup, replicas: 4, routing: .sessionAffinity)
/// var source = ArraySessionSource(sessions)
/// let summary = try cluster.run(&source)
/// print(summary.total.ttft.p99, summary.movedTurns)
/// ```
public struct ClusterSimulation: Sendable {
    /// One replica's planned memory and retention table (shared by all replicas).
    public let simulation: Simulation
    /// Replicas in the cluster.
    public let replicaCount: Int
    /// How turns are routed.
    public let routing: RoutingPolicy

    /// A cluster of `replicas` copies of an already planned replica.
    ///
    /// - Throws: ``ClusterSetupError/replicaCount(_:)`` when `replicas < 1`.
    public init(simulation: Simulation, replicas: Int, routing: RoutingPolicy) throws(ClusterSetupError) {
        guard replicas >= 1 else { throw .replicaCount(replicas) }
        self.simulation = simulation
        self.replicaCount = replicas
        self.routing = routing
    }

    /// Plans one replica for `setup` and builds a cluster of `replicas` copies.
    ///
    /// - Throws: ``ClusterSetupError``: the replica count is below 1, or the setup cannot be
    ///   simulated (``SimulationSetupError``'s description).
    public init(setup: SimulationSetup, replicas: Int, routing: RoutingPolicy) throws(ClusterSetupError) {
        guard replicas >= 1 else { throw .replicaCount(replicas) }
        let simulation: Simulation
        do { simulation = try Simulation(setup: setup) } catch { throw .setup(error.description) }
        try self.init(simulation: simulation, replicas: replicas, routing: routing)
    }

    /// The setup every replica runs.
    public var setup: SimulationSetup { simulation.setup }

    /// Runs the workload to completion (or, with a window, until the turns started before the
    /// window's end have finished).
    ///
    /// - Parameters:
    ///   - source: The sessions, in arrival order. With a window, the source is read only up to
    ///     the first session arriving at or after the window's end, so it may be endless.
    ///   - window: Which arrivals to measure and when to stop starting turns; `nil` runs every
    ///     turn of every session and measures nothing separately.
    ///   - onRequest: Called with each finished request and the replica that served it, in
    ///     finishing order.
    /// - Returns: The cluster's summary.
    /// - Throws: What `source` or `onRequest` throw, and ``SimulationError`` for inconsistent
    ///   workloads or times beyond ``SimTime/maximumSeconds`` (the window's end included).
    public func run<S: SessionSource>(
        _ source: inout S, window: ObservationWindow? = nil,
        onRequest: (RequestRecord, Int) throws -> Void = { _, _ in }
    ) throws -> ClusterSummary {
        if let w = window, !(w.stopArrivalsAtSeconds <= SimTime.maximumSeconds) {
            throw SimulationError.beyondTimeRange(what: "the observation window's end", seconds: w.stopArrivalsAtSeconds)
        }
        let setup = simulation.setup, plan = simulation.plan
        if let retention = simulation.retention {
            let kv = HeadwiseKVCache(plan: plan, model: setup.model, policy: setup.policy.spec,
                                     settings: setup.compression, table: retention,
                                     maxModelLenTokens: setup.engine.maxModelLenTokens)
            let replica = Replica(engine: setup.engine, kv: kv, compresses: true)
            var run = ClusterRun(setup: setup, plan: plan, replicas: Array(repeating: replica, count: replicaCount),
                                 routing: routing, window: window)
            return try run.execute(&source, onRequest: onRequest)
        }
        let kv = PagedKVCache(plan: plan, prefixCaching: setup.engine.enablePrefixCaching)
        let replica = Replica(engine: setup.engine, kv: kv)
        var run = ClusterRun(setup: setup, plan: plan, replicas: Array(repeating: replica, count: replicaCount),
                             routing: routing, window: window)
        return try run.execute(&source, onRequest: onRequest)
    }
}
