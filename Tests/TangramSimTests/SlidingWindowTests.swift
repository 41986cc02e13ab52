import GPUModel
import Testing

@testable import TangramSim

@Suite struct SlidingWindowTests {
    /// Brute-force sum of min(i, w) over queries, against the closed form the scheduler uses.
    @Test(arguments: [(0, 10, 4), (0, 3, 8), (5, 9, 8), (10, 30, 8), (3, 20, 128), (100, 200, 128)])
    func slidingPairsClosedForm(start: Int, end: Int, window: Int) {
        let brute = (start + 1...end).reduce(0) { $0 + min($1, window) }
        #expect(AttentionWork.slidingPairs(start: start, end: end, window: window) == Double(brute))
    }

    /// A sliding-window group holds at most its window (plus partial blocks) of a long request.
    @Test func slidingGroupReleasesOldBlocks() throws {
        let model = ModelSpec(name: "hybrid", hiddenSize: 64, layers: [.full, .slidingWindow(windowTokens: 32)],
                              queryHeads: 2, kvHeads: 1, headDim: 32, intermediateSize: 128, vocabSize: 100,
                              tiedEmbeddings: true, source: "test fixture")
        let groups = KVMemoryPlan.kvGroups(for: model)
        let plan = KVMemoryPlan(weightBytesPerGPU: 0, activationBytesPerGPU: 0, budgetBytesPerGPU: 0, groups: groups,
                                blockBytesPerGPU: 2048, blockCount: 200, tensorParallel: 1, blockSizeTokens: 16)
        var kv = PagedKVCache(plan: plan, prefixCaching: true)
        var r = RequestState(id: 0, sessionSlot: 0, sessionID: 0, turn: 0, streamKey: 9, arrivalNanoseconds: 0,
                             promptTokens: 400, maxOutputTokens: 1, groupCount: groups.count)
        var done = 0
        while done < 400 {
            let n = min(64, 400 - done)
            #expect(kv.allocate(&r, newTokens: n))
            r.computedTokens += n
            kv.didCompute(&r, from: done)
            done += n
        }
        let fullHeld = r.blockTables[0].filter { $0 >= 0 }.count
        let slidingHeld = r.blockTables[1].filter { $0 >= 0 }.count
        #expect(fullHeld == 25)
        // Last chunk started at 384: it needs positions from 384 - 32 + 1 = 353 on, blocks 22...24.
        #expect(slidingHeld == 3)
        try kv.pool.checkInvariants()
        kv.free(&r)
        #expect(kv.pool.allocatedCount == 0)
    }
}
