/// The models tangram-sim knows by name.
///
/// Every shape is copied from the model's `config.json` on its Hugging Face model card (the
/// repository named in ``ModelSpec/source``). Parameter counts derived from these shapes are
/// checked against the published totals in `Tests/GPUModelTests`.
public enum ModelCatalog {
    /// Qwen3-4B (and Qwen3-4B-Instruct-2507, same shapes). Source: Qwen/Qwen3-4B config.json:
    /// hidden_size 2560, num_hidden_layers 36, num_attention_heads 32, num_key_value_heads 8,
    /// head_dim 128, intermediate_size 9728, vocab_size 151936, tie_word_embeddings true.
    public static let qwen3_4b = ModelSpec(
        name: "qwen3-4b", hiddenSize: 2560, layers: Array(repeating: .full, count: 36), queryHeads: 32, kvHeads: 8,
        headDim: 128, intermediateSize: 9728, vocabSize: 151_936, tiedEmbeddings: true,
        source: "Qwen/Qwen3-4B config.json")

    /// Llama-3.1-8B. Source: meta-llama/Llama-3.1-8B-Instruct config.json: hidden_size 4096,
    /// num_hidden_layers 32, heads 32, KV heads 8, head_dim 128, intermediate_size 14336,
    /// vocab_size 128256, tie_word_embeddings false.
    public static let llama3_1_8b = ModelSpec(
        name: "llama-3.1-8b", hiddenSize: 4096, layers: Array(repeating: .full, count: 32), queryHeads: 32,
        kvHeads: 8, headDim: 128, intermediateSize: 14_336, vocabSize: 128_256, tiedEmbeddings: false,
        source: "meta-llama/Llama-3.1-8B-Instruct config.json")

    /// Llama-3.1-70B. Source: meta-llama/Llama-3.1-70B-Instruct config.json: hidden_size 8192,
    /// num_hidden_layers 80, heads 64, KV heads 8, head_dim 128, intermediate_size 28672,
    /// vocab_size 128256, tie_word_embeddings false.
    public static let llama3_1_70b = ModelSpec(
        name: "llama-3.1-70b", hiddenSize: 8192, layers: Array(repeating: .full, count: 80), queryHeads: 64,
        kvHeads: 8, headDim: 128, intermediateSize: 28_672, vocabSize: 128_256, tiedEmbeddings: false,
        source: "meta-llama/Llama-3.1-70B-Instruct config.json")

    /// Gemma-3-12B (instruction-tuned, multimodal). Source: google/gemma-3-12b-it config.json
    /// text_config: hidden_size 3840, num_hidden_layers 48, heads 16, KV heads 8, head_dim 256,
    /// intermediate_size 15360, vocab_size 262208, sliding_window 1024, sliding_window_pattern 6
    /// (every sixth layer global: 5 local : 1 global), tied embeddings. The SigLIP vision tower
    /// (417M parameters, Gemma 3 technical report, Table 1) is loaded by the server too.
    public static let gemma3_12b = ModelSpec(
        name: "gemma-3-12b", hiddenSize: 3840,
        layers: (0..<48).map { ($0 + 1) % 6 == 0 ? .full : .slidingWindow(windowTokens: 1024) },
        queryHeads: 16, kvHeads: 8, headDim: 256, intermediateSize: 15_360, vocabSize: 262_208,
        tiedEmbeddings: true, extraParameters: 417_000_000, source: "google/gemma-3-12b-it config.json")

    /// GPT-OSS-20B. Source: openai/gpt-oss-20b config.json: hidden_size 2880, num_hidden_layers 24,
    /// heads 64, KV heads 8, head_dim 64, num_local_experts 32, experts_per_token 4,
    /// intermediate_size 2880, vocab_size 201088, sliding_window 128 with layer_types alternating
    /// sliding/full (layer 0 sliding), attention biases, untied embeddings; experts stored in MXFP4
    /// (quantization_config: 4-bit values plus one 8-bit scale per 32 values = 4.25 bits).
    public static let gptOSS20b = ModelSpec(
        name: "gpt-oss-20b", hiddenSize: 2880,
        layers: (0..<24).map { $0 % 2 == 0 ? .slidingWindow(windowTokens: 128) : .full },
        queryHeads: 64, kvHeads: 8, headDim: 64, intermediateSize: 2880,
        moe: MoESpec(expertCount: 32, activeExpertsPerToken: 4, expertIntermediateSize: 2880,
                     bytesPerExpertParameter: 4.25 / 8),
        vocabSize: 201_088, tiedEmbeddings: false, attentionBias: true, source: "openai/gpt-oss-20b config.json")

    /// Qwen3-30B-A3B. Source: Qwen/Qwen3-30B-A3B config.json: hidden_size 2048,
    /// num_hidden_layers 48, heads 32, KV heads 4, head_dim 128, num_experts 128,
    /// num_experts_per_tok 8, moe_intermediate_size 768, vocab_size 151936, untied embeddings.
    public static let qwen3_30b_a3b = ModelSpec(
        name: "qwen3-30b-a3b", hiddenSize: 2048, layers: Array(repeating: .full, count: 48), queryHeads: 32,
        kvHeads: 4, headDim: 128, intermediateSize: 6144,
        moe: MoESpec(expertCount: 128, activeExpertsPerToken: 8, expertIntermediateSize: 768),
        vocabSize: 151_936, tiedEmbeddings: false, source: "Qwen/Qwen3-30B-A3B config.json")

    /// Every catalogued model.
    public static let all: [ModelSpec] = [qwen3_4b, llama3_1_8b, llama3_1_70b, gemma3_12b, gptOSS20b, qwen3_30b_a3b]

    /// Looks a model up by name, ignoring case, `_` vs `-`, and an `-instruct`/`-it` suffix.
    ///
    /// - Throws: ``CatalogError/unknownModel(_:known:)`` listing the known names.
    public static func model(named raw: String) throws(CatalogError) -> ModelSpec {
        let key = CatalogError.normalise(raw)
        for m in all where CatalogError.normalise(m.name) == key { return m }
        let stripped = key.replacingSuffixes(["-instruct-2507", "-instruct", "-it"])
        for m in all where CatalogError.normalise(m.name) == stripped { return m }
        throw .unknownModel(raw, known: all.map(\.name))
    }
}

extension String {
    fileprivate func replacingSuffixes(_ suffixes: [String]) -> String {
        for s in suffixes where hasSuffix(s) { return String(dropLast(s.count)) }
        return self
    }
}
