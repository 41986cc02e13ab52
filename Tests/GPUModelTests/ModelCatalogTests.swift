import Testing

@testable import GPUModel

@Suite struct ModelCatalogTests {
    /// Parameter counts derived from the catalogued shapes match the totals the model publishers
    /// state on their model cards (independent of our arithmetic).
    @Test(arguments: [
        ("llama-3.1-8b", 8.03e9), ("llama-3.1-70b", 70.6e9), ("qwen3-4b", 4.02e9),
        ("qwen3-30b-a3b", 30.5e9), ("gpt-oss-20b", 20.9e9), ("gemma-3-12b", 12.2e9),
    ])
    func parameterCountsMatchPublishedTotals(name: String, published: Double) throws {
        let m = try ModelCatalog.model(named: name)
        let ratio = Double(m.totalParameters) / published
        #expect(abs(ratio - 1) < 0.02, "\(name): \(m.totalParameters) parameters vs \(published) published")
    }

    @Test func layerKindsFollowTheConfigs() throws {
        let gemma = ModelCatalog.gemma3_12b
        #expect(gemma.fullAttentionLayerCount == 8)
        #expect(gemma.layers[5] == .full && gemma.layers[4] == .slidingWindow(windowTokens: 1024))
        let oss = ModelCatalog.gptOSS20b
        #expect(oss.fullAttentionLayerCount == 12)
        #expect(oss.layers[0] == .slidingWindow(windowTokens: 128) && oss.layers[1] == .full)
    }

    @Test func lookupIsForgiving() throws {
        #expect(try ModelCatalog.model(named: "Llama-3.1-8B-Instruct").name == "llama-3.1-8b")
        #expect(try ModelCatalog.model(named: "gemma-3-12b-it").name == "gemma-3-12b")
        #expect(try GPUCatalog.gpu(named: "H100").name == "h100-sxm")
        #expect(throws: CatalogError.self) { try ModelCatalog.model(named: "gpt-5") }
    }

    /// GPT-OSS-20B stores experts in MXFP4; its checkpoint is about 13 GB (model card), far below
    /// 20.9B parameters at bf16.
    @Test func mxfp4ExpertsShrinkWeights() {
        let gib = ModelCatalog.gptOSS20b.weightBytes / 1e9
        #expect(gib > 11 && gib < 15, "gpt-oss-20b weights \(gib) GB")
    }

    /// The checkpoint each catalogued model's shapes come from (the Hugging Face repositories the
    /// paper's harness loads), read from the source line.
    @Test func checkpointsAreTheSourceRepositories() {
        #expect(ModelCatalog.all.map(\.checkpoint) == [
            "Qwen/Qwen3-4B", "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-70B-Instruct",
            "google/gemma-3-12b-it", "openai/gpt-oss-20b", "Qwen/Qwen3-30B-A3B",
        ])
        var m = ModelCatalog.qwen3_4b
        m.source = "measured by hand"
        #expect(m.checkpoint == "qwen3-4b")
    }
}
