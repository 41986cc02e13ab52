import GPUModel
import Testing
import Workloads

@testable import TangramSim

/// A small multi-turn workload: `count` sessions, 1 to 3 turns, arrivals every `gap` seconds.
private func sessions(_ count: Int, gap: Double, input: Int = 300, output: Int = 40, think: Double = 0.5)
    -> [SessionSpec]
{
    (0..<count).map { i in
        let turns = (0...(i % 3)).map { t in
            TurnSpec(newInputTokens: t == 0 ? input + 7 * i : 30 + i % 5, outputTokens: output + i % 7,
                     thinkTimeSeconds: t == 0 ? 0 : think)
        }
        return SessionSpec(id: i, arrivalSeconds: Double(i) * gap, turns: turns)
    }
}

@Suite struct ClusterRouterTests {
    @Test func roundRobinCyclesThroughTheReplicas() {
        var router = Router(policy: .roundRobin, replicaCount: 3)
        let picks = (0..<7).map { _ in router.route(previousReplica: 2, activeRequests: [9, 0, 5]) }
        #expect(picks == [0, 1, 2, 0, 1, 2, 0])
    }

    @Test func leastLoadedPicksTheSmallestLoadAndTheLowestIndexOnTies() {
        var router = Router(policy: .leastLoaded, replicaCount: 4)
        #expect(router.route(previousReplica: nil, activeRequests: [3, 1, 2, 1]) == 1)
        #expect(router.route(previousReplica: 0, activeRequests: [0, 1, 0, 1]) == 0)
        #expect(router.route(previousReplica: 3, activeRequests: [5, 5, 5, 4]) == 3)
    }

    @Test func affinityKeepsTheReplicaOfTheSessionsPreviousTurn() {
        var router = Router(policy: .sessionAffinity, replicaCount: 3)
        #expect(router.route(previousReplica: nil, activeRequests: [2, 0, 1]) == 1)
        #expect(router.route(previousReplica: 2, activeRequests: [0, 0, 9]) == 2)
    }

    @Test func routerNamesParse() throws {
        #expect(try RoutingPolicy.named("Round-Robin") == .roundRobin)
        #expect(try RoutingPolicy.named("ll") == .leastLoaded)
        #expect(try RoutingPolicy.named("affinity") == .sessionAffinity)
        #expect(throws: UnknownRoutingPolicyError.self) { try RoutingPolicy.named("random") }
    }
}

@Suite struct ClusterRunTests {
    /// One replica behind any router is the single-replica engine: same records, same summary.
    @Test(arguments: ["vllm", "tangram", "dynamic-fd"])
    func oneReplicaEqualsTheSingleReplicaSimulation(policy: String) throws {
        let setup = SimulationSetup(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200, policy: try Policy.named(policy))
        let workload = sessions(40, gap: 0.05)
        var a = ArraySessionSource(workload)
        var expected: [RequestRecord] = []
        let simulation = try Simulation(setup: setup)
        let single = try simulation.run(&a) { expected.append($0) }
        for routing in RoutingPolicy.allCases {
            var b = ArraySessionSource(workload)
            var got: [RequestRecord] = []
            let cluster = try ClusterSimulation(simulation: simulation, replicas: 1, routing: routing)
            let summary = try cluster.run(&b) { r, replica in
                got.append(r)
                #expect(replica == 0)
            }
            #expect(got == expected)
            #expect(summary.total == single)
            #expect(summary.replicas == [single])
            #expect(summary.movedTurns == 0)
        }
    }

    /// Closed-loop users (arrivals that depend on completions) run the same on one replica.
    @Test func oneReplicaEqualsTheSingleReplicaSimulationWithClosedLoopUsers() throws {
        let setup = SimulationSetup(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200)
        func users() -> ClosedLoopUsers {
            ClosedLoopUsers(bodies: ArraySessionSource(sessions(30, gap: 0)), users: 4,
                            thinkTimeSeconds: Distribution(.uniform(min: 0.1, max: 0.5)), seed: 3)
        }
        var a = users()
        var expected: [RequestRecord] = []
        let simulation = try Simulation(setup: setup)
        let single = try simulation.run(&a) { expected.append($0) }
        var b = users()
        var got: [RequestRecord] = []
        let summary = try ClusterSimulation(simulation: simulation, replicas: 1, routing: .leastLoaded).run(&b) { r, _ in
            got.append(r)
        }
        #expect(expected.count > 30)
        #expect(got == expected)
        #expect(summary.total == single)
    }

    /// The same tiny-cache workload under preemption pressure, on the toy model.
    @Test func oneReplicaEqualsTheSingleReplicaSimulationUnderPreemption() throws {
        let setup = TinySetup.setup(blocks: 12, maxBatchedTokens: 32, maxSeqs: 4)
        let workload = (0..<6).map { i in
            SessionSpec(id: i, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 40, outputTokens: 30),
                                                          TurnSpec(newInputTokens: 8, outputTokens: 10, thinkTimeSeconds: 0.001)])
        }
        let (expected, single) = try TinySetup.run(setup, workload)
        #expect(single.preemptions > 0)
        var source = ArraySessionSource(workload)
        var got: [RequestRecord] = []
        let summary = try ClusterSimulation(setup: setup, replicas: 1, routing: .roundRobin).run(&source) { r, _ in got.append(r) }
        #expect(got == expected)
        #expect(summary.total == single)
    }

    /// Session affinity: every turn of a session is served by one replica, and no turn moves.
    @Test(arguments: ["vllm", "tangram"])
    func affinityKeepsEveryConversationOnOneReplica(policy: String) throws {
        let setup = SimulationSetup(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200, policy: try Policy.named(policy))
        var source = ArraySessionSource(sessions(60, gap: 0.02))
        var replicaOf: [Int: Set<Int>] = [:]
        let summary = try ClusterSimulation(setup: setup, replicas: 3, routing: .sessionAffinity).run(&source) { r, replica in
            replicaOf[r.sessionID, default: []].insert(replica)
        }
        #expect(replicaOf.count == 60)
        #expect(replicaOf.values.allSatisfy { $0.count == 1 })
        #expect(summary.movedTurns == 0)
        // Least-loaded first turns spread the sessions: every replica serves some.
        #expect(Set(replicaOf.values.flatMap { $0 }) == [0, 1, 2])
        #expect(summary.replicas.map(\.completedRequests).reduce(0, +) == summary.total.completedRequests)
    }

    /// One session of three turns, round-robin over two replicas: turns go to replicas 0, 1, 0,
    /// so two turns move. The second turn finds no cached history on replica 1, while under
    /// affinity it hits the 7 full blocks (112 tokens) its first turn computed (100 prompt + 19
    /// output tokens; the last sampled token's KV is never computed).
    @Test func roundRobinMovesTurnsAndLosesTheCachedHistory() throws {
        let session = SessionSpec(id: 1, arrivalSeconds: 0, turns: [
            TurnSpec(newInputTokens: 100, outputTokens: 20),
            TurnSpec(newInputTokens: 50, outputTokens: 10, thinkTimeSeconds: 1),
            TurnSpec(newInputTokens: 30, outputTokens: 10, thinkTimeSeconds: 1),
        ])
        let setup = TinySetup.setup(blocks: 100)
        var records: [(RequestRecord, Int)] = []
        var source = ArraySessionSource([session])
        let rr = try ClusterSimulation(setup: setup, replicas: 2, routing: .roundRobin).run(&source) { records.append(($0, $1)) }
        #expect(records.map(\.1) == [0, 1, 0])
        #expect(rr.movedTurns == 2)
        #expect(records.map(\.0.promptTokens) == [100, 170, 210])
        #expect(records[1].0.cachedTokens == 0)

        var affinity: [RequestRecord] = []
        source = ArraySessionSource([session])
        _ = try ClusterSimulation(setup: setup, replicas: 2, routing: .sessionAffinity).run(&source) { r, _ in affinity.append(r) }
        #expect(affinity.map(\.cachedTokens) == [0, 112, 176])
    }

    /// A resident conversation left on a replica by a moved turn is never resumed out of date:
    /// when the session comes back, its history is recomputed in full (cached 0, prompt = the
    /// whole history), and the record matches the history the session really has.
    @Test func movedResidentConversationsAreRecomputedNotResumed() throws {
        let setup = SimulationSetup(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200, policy: try Policy.named("tangram"))
        let session = SessionSpec(id: 1, arrivalSeconds: 0, turns: [
            TurnSpec(newInputTokens: 400, outputTokens: 20),
            TurnSpec(newInputTokens: 50, outputTokens: 10, thinkTimeSeconds: 1),
            TurnSpec(newInputTokens: 30, outputTokens: 10, thinkTimeSeconds: 1),
        ])
        var records: [(RequestRecord, Int)] = []
        var source = ArraySessionSource([session])
        _ = try ClusterSimulation(setup: setup, replicas: 2, routing: .roundRobin).run(&source) { records.append(($0, $1)) }
        #expect(records.map(\.1) == [0, 1, 0])
        // History: 400 + 20, then + 50 + 10, then + 30.
        #expect(records.map(\.0.promptTokens) == [400, 470, 510])
    }

    /// Least-loaded routing of simultaneous first turns fills the idle replicas in index order.
    @Test func leastLoadedSpreadsSimultaneousArrivals() throws {
        let setup = TinySetup.setup(blocks: 200)
        let workload = (0..<3).map { SessionSpec(id: $0, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 20, outputTokens: 5)]) }
        var source = ArraySessionSource(workload)
        var replicaOf: [Int: Int] = [:]
        _ = try ClusterSimulation(setup: setup, replicas: 3, routing: .leastLoaded).run(&source) { replicaOf[$0.sessionID] = $1 }
        #expect(replicaOf == [0: 0, 1: 1, 2: 2])
    }

    /// The window measures requests that arrive in it and starts no turn at or after its end.
    @Test func windowMeasuresItsArrivalsAndStopsNewTurns() throws {
        let setup = TinySetup.setup(blocks: 200)
        let workload = [
            SessionSpec(id: 0, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 20, outputTokens: 5)]),
            // Its second turn would arrive 5 s after the first finishes (just after 10 s): not started.
            SessionSpec(id: 1, arrivalSeconds: 5, turns: [TurnSpec(newInputTokens: 20, outputTokens: 7),
                                                          TurnSpec(newInputTokens: 4, outputTokens: 5, thinkTimeSeconds: 5)]),
            SessionSpec(id: 2, arrivalSeconds: 6, turns: [TurnSpec(newInputTokens: 20, outputTokens: 9)]),
            SessionSpec(id: 3, arrivalSeconds: 12, turns: [TurnSpec(newInputTokens: 20, outputTokens: 5)]),
        ]
        var source = ArraySessionSource(workload)
        var seen: [Int] = []
        let window = ObservationWindow(measureFromSeconds: 4, stopArrivalsAtSeconds: 10)
        let summary = try ClusterSimulation(setup: setup, replicas: 1, routing: .sessionAffinity)
            .run(&source, window: window) { r, _ in seen.append(r.sessionID) }
        #expect(seen.sorted() == [0, 1, 2])
        let w = try #require(summary.window)
        #expect(w.completedRequests == 2)
        #expect(w.outputTokens == 7 + 9)
        #expect(summary.total.completedRequests == 3)
        #expect(summary.total.completedSessions == 2)  // session 1 never reached its second turn
    }

    @Test func aClusterNeedsAReplica() {
        #expect(throws: ClusterSetupError.replicaCount(0)) {
            try ClusterSimulation(setup: TinySetup.setup(blocks: 10), replicas: 0, routing: .roundRobin)
        }
    }
}
