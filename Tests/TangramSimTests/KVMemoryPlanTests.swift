import GPUModel
import Testing

@testable import TangramSim

@Suite struct KVMemoryPlanTests {
    /// vLLM reports roughly 0.9 M tokens of KV cache for Llama-3.1-8B on one H200 at 0.9 memory
    /// utilisation; independently, (0.9 x 141 GiB - 15 GiB of weights) / 128 KiB per token is about
    /// 0.92 M. The plan must land in that neighbourhood.
    @Test func llama8bOnH200HoldsAboutNineHundredThousandTokens() throws {
        let m = ModelCatalog.llama3_1_8b, g = GPUCatalog.h200
        let plan = try KVMemoryPlan.vllm(model: m, gpu: g, tensorParallel: 1, engine: .vllmDefaults(for: g))
        let tokens = plan.blockCount * plan.blockSizeTokens
        #expect(tokens > 850_000 && tokens < 950_000, "\(tokens) tokens")
        #expect(plan.blockBytesPerGPU == 16 * 32 * 8 * 128 * 2 * 2)
    }

    @Test func hybridModelsGetVLLMGroups() {
        let gemma = KVMemoryPlan.kvGroups(for: ModelCatalog.gemma3_12b)
        #expect(gemma.count == 6)
        #expect(gemma.filter { $0.windowTokens == nil }.count == 1)
        #expect(gemma.allSatisfy { $0.layerCount == 8 })
        let oss = KVMemoryPlan.kvGroups(for: ModelCatalog.gptOSS20b)
        #expect(oss == [KVGroup(layerCount: 12, windowTokens: nil), KVGroup(layerCount: 12, windowTokens: 128)])
        #expect(KVMemoryPlan.kvGroups(for: ModelCatalog.llama3_1_8b) == [KVGroup(layerCount: 32, windowTokens: nil)])
    }

    @Test func seventyBDoesNotFitOnOneGPU() {
        let g = GPUCatalog.h100_sxm
        #expect(throws: KVMemoryPlanError.self) {
            _ = try KVMemoryPlan.vllm(model: ModelCatalog.llama3_1_70b, gpu: g, tensorParallel: 1, engine: .vllmDefaults(for: g))
        }
        #expect(throws: Never.self) {
            _ = try KVMemoryPlan.vllm(model: ModelCatalog.llama3_1_70b, gpu: g, tensorParallel: 4, engine: .vllmDefaults(for: g))
        }
    }

    @Test func vllmDefaultsDependOnTheGPU() {
        #expect(EngineConfig.vllmDefaults(for: GPUCatalog.h200).maxNumBatchedTokens == 8192)
        #expect(EngineConfig.vllmDefaults(for: GPUCatalog.a100_80gb).maxNumBatchedTokens == 2048)
        #expect(EngineConfig.vllmDefaults(for: GPUCatalog.l40s).maxNumSeqs == 256)
    }
}
