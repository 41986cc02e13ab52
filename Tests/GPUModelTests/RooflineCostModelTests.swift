import Testing

@testable import GPUModel

@Suite struct RooflineCostModelTests {
    /// Sanity check of issue 2: for Llama-3.1-8B on H200 at batch 1 with a 2K-token context, the
    /// modelled decode step is within 2x of the time to read the weights and the KV at HBM bandwidth.
    @Test func decodeStepNearMemoryRoofline() {
        let m = ModelCatalog.llama3_1_8b, g = GPUCatalog.h200
        var w = StepWorkload()
        w.decodeSequences = 1
        w.sampledSequences = 1
        w.fullDecodeKVTokens = 2048
        let modelled = RooflineCostModel(model: m, gpu: g).stepCost(w).totalSeconds
        // Hand roofline: 2 bytes per parameter, 128 KiB of KV per token (32 layers x 8 heads x 128 x K,V x 2 B).
        let bytes = 8.03e9 * 2 + 2048 * 32 * 8 * 128 * 2 * 2
        let roofline = bytes / 4.8e12
        #expect(modelled >= roofline && modelled <= 2 * roofline, "modelled \(modelled) s vs roofline \(roofline) s")
    }

    @Test func prefillIsComputeBoundAndGrowsWithChunk() {
        let model = RooflineCostModel(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200)
        var small = StepWorkload(), large = StepWorkload()
        small.prefillTokens = 1024; small.prefillSequences = 1; small.fullPrefillAttentionPairs = 1024 * 1025 / 2
        large.prefillTokens = 8192; large.prefillSequences = 1; large.fullPrefillAttentionPairs = 8192 * 8193 / 2
        let a = model.stepCost(small), b = model.stepCost(large)
        // 8x the tokens: GEMM time grows ~8x once compute-bound (weights read once either way).
        #expect(b.gemmSeconds > 6 * a.gemmSeconds)
        #expect(b.prefillAttentionSeconds > 50 * a.prefillAttentionSeconds)
    }

    @Test func tensorParallelAddsCommunicationAndSplitsWork() {
        var w = StepWorkload()
        w.decodeSequences = 64; w.sampledSequences = 64; w.fullDecodeKVTokens = 64 * 4096
        let one = RooflineCostModel(model: ModelCatalog.llama3_1_70b, gpu: GPUCatalog.h100_sxm, tensorParallel: 1)
        let four = RooflineCostModel(model: ModelCatalog.llama3_1_70b, gpu: GPUCatalog.h100_sxm, tensorParallel: 4)
        #expect(one.stepCost(w).communicationSeconds == 0)
        #expect(four.stepCost(w).communicationSeconds > 0)
        #expect(abs(four.stepCost(w).gemmSeconds * 4 - one.stepCost(w).gemmSeconds) < 1e-12)
    }

    @Test func expectedDistinctExpertsSaturates() {
        let moe = ModelCatalog.qwen3_30b_a3b.moe!
        #expect(RooflineCostModel.expectedDistinctExperts(tokens: 1, moe: moe) == 8)
        #expect(RooflineCostModel.expectedDistinctExperts(tokens: 4096, moe: moe) == 128)
    }
}
