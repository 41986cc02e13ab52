import Testing
import Workloads

@testable import TangramSim

/// A small synthetic chat shape for capacity tests: 1 to 4 turns, think times of seconds.
enum CapacityFixtures {
    static func config(rate: Double = 1) -> SyntheticChatConfig {
        SyntheticChatConfig(
            sessionCount: 1_000, arrival: .poisson(ratePerSecond: rate),
            turnsPerSession: Distribution(.uniformInteger(min: 1, max: 4)),
            thinkTimeSeconds: Distribution(.uniform(min: 1, max: 5)),
            firstInputTokens: Distribution(.uniformInteger(min: 200, max: 1_200)),
            followUpInputTokens: Distribution(.uniformInteger(min: 10, max: 100)),
            outputTokens: Distribution(.uniformInteger(min: 20, max: 120)))
    }
}

@Suite struct CapacityWorkloadTests {
    /// Hand-built population, origin 1000, history 120 s, window [10, 60):
    /// - S0 starts at -100 with turns at offsets 0, 50, 130 (times -100, -50, +30): it enters at
    ///   30 with one turn whose prompt is its history (100 + 10 + 20 + 5) plus the new 30 tokens.
    /// - S1 starts at -500, turns at -500 and -400: over before the probe, dropped.
    /// - S2 starts at +5: kept as it is.
    /// - S3 starts at 61, after the window: reading stops there.
    /// Coverage: 6 turns read, one (offset 130) beyond the 120 s history: 5/6.
    @Test func sessionsActiveAtTheStartEnterWithTheirNextTurnAndTheirHistory() throws {
        let population = [
            SessionSpec(id: 0, arrivalSeconds: 900, turns: [
                TurnSpec(newInputTokens: 100, outputTokens: 10),
                TurnSpec(newInputTokens: 20, outputTokens: 5, thinkTimeSeconds: 50),
                TurnSpec(newInputTokens: 30, outputTokens: 6, thinkTimeSeconds: 80),
            ]),
            SessionSpec(id: 1, arrivalSeconds: 500, turns: [
                TurnSpec(newInputTokens: 10, outputTokens: 1), TurnSpec(newInputTokens: 10, outputTokens: 1, thinkTimeSeconds: 100),
            ]),
            SessionSpec(id: 2, arrivalSeconds: 1005, turns: [TurnSpec(newInputTokens: 40, outputTokens: 4)]),
            SessionSpec(id: 3, arrivalSeconds: 1061, turns: [TurnSpec(newInputTokens: 40, outputTokens: 4)]),
        ]
        var source = ArraySessionSource(population)
        let window = ObservationWindow(measureFromSeconds: 10, stopArrivalsAtSeconds: 60)
        let probe = try ProbeWorkload.build(population: &source, origin: 1000, historySeconds: 120, window: window,
                                            ratePerSecond: 0.5)
        #expect(probe.sessions.map(\.id) == [2, 0])
        #expect(probe.sessions.map(\.arrivalSeconds) == [5, 30])
        #expect(probe.sessions[1].turns == [TurnSpec(newInputTokens: 165, outputTokens: 6)])
        #expect(probe.sessions[0].turns == population[2].turns)
        #expect(probe.carriedSessions == 1)
        #expect(probe.historyCoverage == 5.0 / 6.0)
    }

    /// Common random numbers: at twice the rate the same sessions arrive at half the times, and
    /// the window (a fixed number of sessions) is half as long.
    @Test func aSyntheticWorkloadKeepsItsSessionsAtEveryRate() throws {
        let workload = try RateScalableWorkload.configurations([CapacityFixtures.config()], label: "test")
        #expect(workload.nativeRatePerSecond == 1)
        let slow = try workload.probe(ratePerSecond: 2, seed: 7, replicate: 0, warmupSessions: 10, measuredSessions: 40,
                                      historySeconds: 0)
        let fast = try workload.probe(ratePerSecond: 4, seed: 7, replicate: 0, warmupSessions: 10, measuredSessions: 40,
                                      historySeconds: 0)
        #expect(slow.window.stopArrivalsAtSeconds == 25)
        #expect(fast.window.stopArrivalsAtSeconds == 12.5)
        #expect(slow.window.measureFromSeconds == 5)
        #expect(slow.carriedSessions == 0)
        #expect(abs(slow.sessions.count - 50) <= 25)  // Poisson count, mean 2/s x 25 s, within 3.5 SD
        #expect(slow.sessions.count == fast.sessions.count)
        for (a, b) in zip(slow.sessions, fast.sessions) {
            #expect(a.turns == b.turns)
            #expect(abs(a.arrivalSeconds / 2 - b.arrivalSeconds) <= 1e-9 * a.arrivalSeconds)
        }
        let otherSeed = try workload.probe(ratePerSecond: 2, seed: 8, replicate: 0, warmupSessions: 10,
                                           measuredSessions: 40, historySeconds: 0)
        #expect(otherSeed.sessions.map(\.turns) != slow.sessions.map(\.turns))
    }

    /// With a history, sessions started before the probe are carried in; without one none are.
    @Test func aHistoryCarriesActiveSessionsIntoTheProbe() throws {
        let workload = try RateScalableWorkload.configurations([CapacityFixtures.config()], label: "test")
        let probe = try workload.probe(ratePerSecond: 5, seed: 1, replicate: 0, warmupSessions: 5, measuredSessions: 20,
                                       historySeconds: 60)
        // Sessions span at most 3 think times of at most 5 s, so a 60 s history covers every turn.
        #expect(probe.historyCoverage == 1)
        #expect(probe.carriedSessions > 0)
        #expect(probe.sessions.allSatisfy { $0.arrivalSeconds >= 0 && $0.arrivalSeconds < probe.window.stopArrivalsAtSeconds })
        #expect(zip(probe.sessions, probe.sessions.dropFirst()).allSatisfy { $0.arrivalSeconds <= $1.arrivalSeconds })
    }

    /// Mixture components keep their proportions when the total rate is set.
    @Test func componentsShareTheRateInTheirOwnProportions() throws {
        let workload = try RateScalableWorkload.configurations(
            [CapacityFixtures.config(rate: 1), CapacityFixtures.config(rate: 3)], label: "mix")
        #expect(workload.nativeRatePerSecond == 4)
        let configs = workload.configs(ratePerSecond: 8, seed: 1)
        #expect(configs.map { $0.arrival.meanRatePerSecond! } == [2, 6])
    }

    /// A batch (SCBench-like) workload has no rate of its own; at a rate it becomes Poisson,
    /// split by session shares.
    @Test func batchWorkloadsBecomePoissonAtARate() throws {
        var batch = CapacityFixtures.config()
        batch.arrival = .batch(atSeconds: 0)
        let workload = try RateScalableWorkload.configurations([batch, batch], label: "batch")
        #expect(workload.nativeRatePerSecond == nil)
        let configs = workload.configs(ratePerSecond: 3, seed: 1)
        #expect(configs.map(\.arrival) == [.poisson(ratePerSecond: 1.5), .poisson(ratePerSecond: 1.5)])
    }

    /// A trace's rate is n - 1 gaps over its span; at another rate its session starts scale and
    /// it repeats with one mean gap between copies; think times are untouched.
    @Test func aTraceScalesItsSessionStartsAndRepeats() throws {
        let trace = (0..<4).map { i in
            SessionSpec(id: 100 + i, arrivalSeconds: 50 + 10 * Double(i), turns: [
                TurnSpec(newInputTokens: 10, outputTokens: 2), TurnSpec(newInputTokens: 5, outputTokens: 2, thinkTimeSeconds: 7),
            ])
        }
        let workload = try RateScalableWorkload.trace(trace.reversed(), label: "t")
        #expect(workload.nativeRatePerSecond == 0.1)
        var looped = LoopedTrace(sessions: { if case .trace(let l) = workload.body { return l } else { return [] } }(),
                                 scale: 0.5)
        var starts: [Double] = []
        for _ in 0..<8 {
            let next = looped.nextSession()
            let s = try #require(next)
            starts.append(s.arrivalSeconds)
            #expect(s.turns[1].thinkTimeSeconds == 7)
        }
        #expect(starts == [0, 5, 10, 15, 20, 25, 30, 35])
        #expect(throws: CapacityInputError.self) { try RateScalableWorkload.trace([], label: "empty") }
        #expect(throws: CapacityInputError.self) {
            try RateScalableWorkload.trace([trace[0], trace[0]], label: "one instant")
        }
    }

    /// A trace's seeds measure different windows of it.
    @Test func traceReplicatesSeeDifferentSessions() throws {
        let trace = (0..<200).map { i in
            SessionSpec(id: i, arrivalSeconds: Double(i), turns: [TurnSpec(newInputTokens: 10 + i, outputTokens: 2)])
        }
        let workload = try RateScalableWorkload.trace(trace, label: "t")
        let first = try workload.probe(ratePerSecond: 1, seed: 1, replicate: 0, warmupSessions: 0, measuredSessions: 20,
                                       historySeconds: 0)
        let second = try workload.probe(ratePerSecond: 1, seed: 1, replicate: 1, warmupSessions: 0, measuredSessions: 20,
                                        historySeconds: 0)
        #expect(first.sessions.count == 20)
        #expect(second.sessions.count == 20)
        // Replicate k starts k windows (20 s at 1 session/s) later in the trace.
        #expect(first.sessions.map { $0.turns[0].newInputTokens } == Array(10..<30))
        #expect(second.sessions.map { $0.turns[0].newInputTokens } == Array(30..<50))
    }

    @Test(arguments: [(2.28, 1.5, 2), (3.0, 1.0, 3), (3.000_000_000_1, 1.0, 3), (3.01, 1.0, 4), (0.5, 2.0, 1), (10.0, 0.1, 100)])
    func replicasAreTheCeilingOfTargetOverCapacity(target: Double, perReplica: Double, replicas: Int) {
        #expect(CapacityPlanner.replicasNeeded(target: target, perReplica: perReplica) == replicas)
    }

    @Test func firstSessionsOfATraceSkipWholeBlocksForLaterReplicates() throws {
        let trace = (0..<10).map { i in
            SessionSpec(id: i, arrivalSeconds: 2 * Double(i), turns: [TurnSpec(newInputTokens: 1 + i, outputTokens: 1)])
        }
        let workload = try RateScalableWorkload.trace(trace, label: "t")
        var source = workload.firstSessions(3, ratePerSecond: nil, seed: 1, replicate: 1)
        var got: [SessionSpec] = []
        while let s = try source.nextSession() { got.append(s) }
        #expect(got.map { $0.turns[0].newInputTokens } == [4, 5, 6])
        #expect(got.map(\.arrivalSeconds) == [0, 2, 4])
    }
}
