import Testing
import Workloads

@testable import TangramSim

/// Greedy chunked admission against admission that needs the whole sequence to fit
/// (``EngineConfig/reserveFullSequenceAtAdmission``), on a 26-block pool (16 tokens a block).
///
/// Three requests of 160 prompt tokens (10 blocks) and 20 output tokens (12 blocks at the end),
/// 64 tokens of budget a step, no prefix caching. Two requests hold at most 24 blocks, so with
/// full-sequence admission the third (10 blocks) waits until one of them is done, and no two of
/// them ever need more than 24: nothing is preempted. Greedy admission lets the third in as soon
/// as its first 4-block chunk fits next to the first two (11 + 10 blocks, 5 free); its second
/// chunk then finds 1 block free, and it preempts itself.
@Suite struct FullSequenceAdmissionTests {
    static let sessions = (0..<3).map { i in
        SessionSpec(id: i, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 160, outputTokens: 20)])
    }

    @Test func greedyAdmissionOverAdmitsAndPreempts() throws {
        let (records, summary) = try TinySetup.run(
            TinySetup.setup(blocks: 26, maxBatchedTokens: 64, prefixCaching: false), Self.sessions)
        #expect(records.count == 3)
        #expect(summary.preemptions >= 1)
        #expect(records.allSatisfy { $0.outputTokens == 20 })
    }

    @Test func fullSequenceAdmissionNeverPreemptsHere() throws {
        let (records, summary) = try TinySetup.run(
            TinySetup.setup(blocks: 26, maxBatchedTokens: 64, prefixCaching: false, reserveFullSequence: true),
            Self.sessions)
        #expect(records.count == 3)
        #expect(summary.preemptions == 0)
        #expect(records.allSatisfy { $0.outputTokens == 20 && $0.preemptions == 0 })
        // The third request starts only after one of the first two has finished and freed its blocks.
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.sessionID, $0) })
        let firstFinish = min(byID[0]!.finishSeconds, byID[1]!.finishSeconds)
        #expect(byID[2]!.firstTokenSeconds > firstFinish)
    }
}
