import GPUModel
import Testing
import Workloads

@testable import TangramSim

@Suite struct SimulationTests {
    /// Three turns of one session: each later turn's prompt starts with the previous turn's
    /// stream, whose full blocks are cached. Turn 1 computes 100 prompt + 19 output tokens (the
    /// last sampled token's KV is never computed): 7 full blocks = 112 tokens. Turn 2's stream
    /// holds 170 prompt + 9 output computed tokens: 11 full blocks = 176 tokens.
    @Test func prefixCacheHitsAcrossThreeTurns() throws {
        let session = SessionSpec(id: 1, arrivalSeconds: 0, turns: [
            TurnSpec(newInputTokens: 100, outputTokens: 20),
            TurnSpec(newInputTokens: 50, outputTokens: 10, thinkTimeSeconds: 1),
            TurnSpec(newInputTokens: 30, outputTokens: 10, thinkTimeSeconds: 1),
        ])
        let (records, summary) = try TinySetup.run(TinySetup.setup(blocks: 100), [session])
        #expect(records.map(\.promptTokens) == [100, 170, 210])
        #expect(records.map(\.cachedTokens) == [0, 112, 176])
        #expect(summary.completedSessions == 1)
        #expect(summary.cachedPromptTokens == 288)
    }

    @Test func withoutPrefixCachingNothingIsReused() throws {
        let session = SessionSpec(id: 1, arrivalSeconds: 0, turns: [
            TurnSpec(newInputTokens: 100, outputTokens: 20),
            TurnSpec(newInputTokens: 50, outputTokens: 10, thinkTimeSeconds: 1),
        ])
        let (records, _) = try TinySetup.run(TinySetup.setup(blocks: 100, prefixCaching: false), [session])
        #expect(records.map(\.cachedTokens) == [0, 0])
    }

    /// A 200-token prompt under a 64-token budget prefills in chunks of 64, 64, 64 and 8 tokens;
    /// the fourth step samples the first token, and each of the 4 remaining tokens takes one step.
    @Test func chunkedPrefillRespectsTheTokenBudget() throws {
        let session = SessionSpec(id: 1, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 200, outputTokens: 5)])
        let (records, summary) = try TinySetup.run(TinySetup.setup(blocks: 100, maxBatchedTokens: 64), [session])
        #expect(summary.simIterations == 8)
        #expect(records.count == 1 && records[0].outputTokens == 5)
    }

    /// Driving the replica directly: no step ever schedules more than the token budget or more
    /// than max_num_seqs requests, and the block pool stays consistent after every step.
    @Test func everyStepStaysWithinBudgetAndSequenceLimit() throws {
        let setup = TinySetup.setup(blocks: 40, maxBatchedTokens: 48, maxSeqs: 3)
        let plan = try KVMemoryPlan.vllm(model: setup.model, gpu: setup.gpu, tensorParallel: 1, engine: setup.engine)
        var replica = Replica(engine: setup.engine, kv: PagedKVCache(plan: plan, prefixCaching: true))
        for i in 0..<8 {
            replica.enqueue(RequestState(id: i, sessionSlot: i, sessionID: i, turn: 0, streamKey: UInt64(i + 1),
                                         arrivalNanoseconds: 0, promptTokens: 30 + 7 * i, maxOutputTokens: 6 + i,
                                         groupCount: plan.groups.count))
        }
        var finished = 0, steps = 0
        while let work = replica.scheduleStep() {
            #expect(work.forwardTokens <= 48)
            #expect(replica.runningCount <= 3)
            try replica.kv.pool.checkInvariants()
            #expect(replica.kv.usedBytes <= replica.kv.allocatedBytes)
            finished += replica.completeStep(now: Int64(steps)).count
            #expect(replica.kv.usedBytes <= replica.kv.allocatedBytes)
            steps += 1
            #expect(steps < 10_000)
        }
        #expect(finished == 8)
        #expect(replica.kv.pool.allocatedCount == 0)
        #expect(replica.kv.usedTokenSlots == 0)
    }

    /// Two requests that each grow to 8 blocks share a 10-block pool: when decoding runs out of
    /// blocks the later one is preempted, recomputed after the first finishes, and both complete
    /// with all their output.
    @Test(arguments: [true, false])
    func preemptionByRecompute(prefixCaching: Bool) throws {
        let sessions = (0..<2).map { i in
            SessionSpec(id: i, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 64, outputTokens: 64)])
        }
        let (records, summary) = try TinySetup.run(
            TinySetup.setup(blocks: 10, maxBatchedTokens: 256, prefixCaching: prefixCaching), sessions)
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.sessionID, $0) })
        #expect(records.count == 2)
        #expect(byID[0]?.preemptions == 0)
        #expect((byID[1]?.preemptions ?? 0) >= 1)
        #expect(summary.preemptions >= 1)
        #expect(records.allSatisfy { $0.outputTokens == 64 })
        // The preempted request finishes after the other one.
        #expect(records.first?.sessionID == 0)
    }

    @Test func requestsThatCanNeverFitAreRejected() throws {
        let sessions = [
            SessionSpec(id: 0, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 400, outputTokens: 10)]),
            SessionSpec(id: 1, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 40, outputTokens: 10)]),
        ]
        let (records, summary) = try TinySetup.run(TinySetup.setup(blocks: 10), sessions)
        #expect(summary.rejectedRequests == 1)
        #expect(records.map(\.sessionID) == [1])
    }

    /// Times beyond the integer-nanosecond clock's range are refused with an error naming them,
    /// never a trap: an arrival, a think time that pushes a later turn out, a window's end.
    @Test func timesBeyondTheClockAreAnError() throws {
        let late = [SessionSpec(id: 7, arrivalSeconds: 1e10, turns: [TurnSpec(newInputTokens: 40, outputTokens: 4)])]
        #expect(throws: SimulationError.beyondTimeRange(what: "the last turn of session 7", seconds: 1e10)) {
            _ = try TinySetup.run(TinySetup.setup(blocks: 10), late)
        }
        let thinker = [SessionSpec(id: 3, arrivalSeconds: 5, turns: [
            TurnSpec(newInputTokens: 40, outputTokens: 4),
            TurnSpec(newInputTokens: 8, outputTokens: 4, thinkTimeSeconds: 9.5e9),
        ])]
        #expect(throws: SimulationError.beyondTimeRange(what: "the last turn of session 3", seconds: 5 + 9.5e9)) {
            _ = try TinySetup.run(TinySetup.setup(blocks: 10), thinker)
        }
        let cluster = try ClusterSimulation(setup: TinySetup.setup(blocks: 10), replicas: 1, routing: .roundRobin)
        var source = ArraySessionSource([])
        let window = ObservationWindow(measureFromSeconds: 0, stopArrivalsAtSeconds: 2e10)
        #expect(throws: SimulationError.beyondTimeRange(what: "the observation window's end", seconds: 2e10)) {
            _ = try cluster.run(&source, window: window)
        }
    }

    /// Heads that cannot be split over the tensor-parallel GPUs are refused (Llama-3.1-8B: 32
    /// query heads, 8 KV heads): 3 divides neither; 16 divides the query heads and is a multiple
    /// of the KV heads (replicated), so it is accepted up to memory.
    @Test func tensorParallelMustSplitTheHeads() throws {
        let llama = ModelCatalog.llama3_1_8b
        #expect(throws: SimulationSetupError.self) {
            _ = try Simulation(setup: SimulationSetup(model: llama, gpu: GPUCatalog.h200, tensorParallel: 3))
        }
        do {
            _ = try Simulation(setup: SimulationSetup(model: llama, gpu: GPUCatalog.h200, tensorParallel: 3))
        } catch {
            #expect(error.description.contains("32 query heads must divide evenly by 3"), "\(error)")
        }
        _ = try Simulation(setup: SimulationSetup(model: llama, gpu: GPUCatalog.h200, tensorParallel: 16))
        _ = try Simulation(setup: SimulationSetup(model: llama, gpu: GPUCatalog.h200, tensorParallel: 2))
    }

    @Test func unsortedArrivalsAreAnError() throws {
        struct Unsorted: SessionSource {
            var sent = 0
            mutating func nextSession() throws -> SessionSpec? {
                defer { sent += 1 }
                guard sent < 2 else { return nil }
                return SessionSpec(id: sent, arrivalSeconds: sent == 0 ? 5 : 1, turns: [TurnSpec(newInputTokens: 8, outputTokens: 2)])
            }
        }
        var source = Unsorted()
        #expect(throws: SimulationError.unsortedArrival(sessionID: 1, seconds: 1)) {
            _ = try Simulation(setup: TinySetup.setup(blocks: 20)).run(&source) { _ in }
        }
    }

    @Test func sameInputsGiveIdenticalRecords() throws {
        let sessions = (0..<20).map { i in
            SessionSpec(id: i, arrivalSeconds: Double(i) * 0.01, turns: [
                TurnSpec(newInputTokens: 20 + i * 3, outputTokens: 5 + i % 7),
                TurnSpec(newInputTokens: 10, outputTokens: 4, thinkTimeSeconds: 0.05),
            ])
        }
        let a = try TinySetup.run(TinySetup.setup(blocks: 30), sessions)
        let b = try TinySetup.run(TinySetup.setup(blocks: 30), sessions)
        #expect(a.0 == b.0)
        #expect(a.1.simIterations == b.1.simIterations)
    }
}

@Suite struct SharedPrefixTests {
    /// Two sessions whose first prompts start with the same 512-token block (Mooncake-style ids)
    /// share its 32 KV blocks; a third with a different id shares nothing. Each arrives after the
    /// previous one finished, so the blocks are cached but free.
    @Test func sessionsSharingAPrefixHitEachOthersBlocks() throws {
        func session(_ id: Int, at t: Double, block: Int) -> SessionSpec {
            SessionSpec(id: id, arrivalSeconds: t, turns: [TurnSpec(newInputTokens: 600, outputTokens: 4)],
                        sharedPrefix: SharedPrefix(blockTokens: 512, blockIDs: [block]))
        }
        let (records, _) = try TinySetup.run(
            TinySetup.setup(blocks: 200, maxBatchedTokens: 1024),
            [session(0, at: 0, block: 7), session(1, at: 10, block: 7), session(2, at: 20, block: 8)])
        #expect(records.map(\.cachedTokens) == [0, 512, 0])
    }

    /// Concurrent sessions sharing a prefix share its blocks: used bytes count each block once,
    /// so they never exceed allocated bytes, which never exceed capacity.
    @Test func sharedBlocksAreCountedOnce() throws {
        let sessions = (0..<6).map { i in
            SessionSpec(id: i, arrivalSeconds: 0.001 * Double(i), turns: [TurnSpec(newInputTokens: 1100, outputTokens: 30)],
                        sharedPrefix: SharedPrefix(blockTokens: 512, blockIDs: [1, 2]))
        }
        let (records, summary) = try TinySetup.run(TinySetup.setup(blocks: 400, maxBatchedTokens: 2048), sessions)
        #expect(records.count == 6)
        #expect(records.dropFirst().allSatisfy { $0.cachedTokens == 1024 })
        #expect(summary.kvPeakUsedBytes <= summary.kvPeakAllocatedBytes)
        #expect(summary.kvPeakAllocatedBytes <= summary.kvCapacityBytes)
    }
}

@Suite struct ClosedLoopTests {
    /// Two users and six sessions with a constant one-second think time: never more than two
    /// sessions are in flight, and every session after the first two starts exactly one second
    /// after an earlier session ended.
    @Test func usersStartTheirNextSessionAfterTheLastEnds() throws {
        let bodies = ArraySessionSource((0..<6).map { i in
            SessionSpec(id: 100 + i, arrivalSeconds: 0, turns: [
                TurnSpec(newInputTokens: 40 + 10 * i, outputTokens: 8),
                TurnSpec(newInputTokens: 10, outputTokens: 4, thinkTimeSeconds: 0.5),
            ])
        })
        var source = ClosedLoopUsers(bodies: bodies, users: 2, thinkTimeSeconds: .constant(1), seed: 3)
        var records: [RequestRecord] = []
        _ = try Simulation(setup: TinySetup.setup(blocks: 100)).run(&source) { records.append($0) }
        #expect(records.count == 12)
        let bySession = Dictionary(grouping: records, by: \.sessionID)
        let spans = bySession.values.map { rs in
            (start: rs.map(\.arrivalSeconds).min()!, end: rs.map(\.finishSeconds).max()!)
        }.sorted { $0.start < $1.start }
        #expect(spans.count == 6)
        for s in spans {
            let overlapping = spans.filter { $0.start <= s.start && $0.end > s.start }.count
            #expect(overlapping <= 2)
        }
        for s in spans.dropFirst(2) {
            #expect(spans.contains { abs($0.end + 1 - s.start) < 1e-6 }, "session at \(s.start) follows no end")
        }
    }
}
