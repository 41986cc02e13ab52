import GPUModel

/// The serving engine's knobs, with vLLM 0.11 (V1 engine) defaults for `vllm serve`.
///
/// Sources of the defaults:
/// - ``blockSizeTokens`` 16: `CacheConfig.block_size` default on CUDA.
/// - ``gpuMemoryUtilization`` 0.9: `CacheConfig.gpu_memory_utilization` default.
/// - ``maxNumBatchedTokens`` and ``maxNumSeqs``: `EngineArgs.get_batch_defaults` for the OpenAI
///   server usage context: 8192 tokens and 1024 sequences on GPUs with at least 70 GiB that are
///   not A100s (H100, H200, B200), 2048 and 256 otherwise (A100, L40S).
/// - ``enablePrefixCaching`` true: V1 enables prefix caching by default.
/// - Chunked prefill is always on in V1; ``longPrefillTokenThreshold`` 0 means no per-request cap
///   below the token budget (`SchedulerConfig.long_prefill_token_threshold` default).
/// - ``reserveFullSequenceAtAdmission`` false: vLLM 0.11 admits a waiting request as soon as its
///   next chunk fits. Later vLLM adds `scheduler_reserve_full_isl` (vllm-project/vllm pull
///   request 37307, 2026: admit only if the whole current sequence fits, to stop the preemption
///   thrash of over-admitted long prompts) and makes it the default (as ai-dynamo/dynamo pull
///   request 9721 mirrors it); set it to model those versions.
/// - ``maxModelLenTokens`` 131,072: vLLM's `max_model_len` defaults to the model's
///   `max_position_embeddings`, 131,072 in the config.json of Llama-3.1-8B, Gemma-3-12B and
///   GPT-OSS-20B. The simulator uses it only for the width of the block-table rows that the
///   released Tangram code's reclaim scans (docs/cost-model.md); longer requests are not rejected.
/// - ``nonTorchMemoryBytes``: allowance for memory outside PyTorch's allocator (CUDA context
///   extras, cuBLAS/NCCL workspaces) that vLLM's profiler subtracts. 0.5 GiB lies inside the
///   "non_torch_memory" vLLM's profiler logs for single-GPU runs: 0.16 GiB (Llama-3.2-11B-Vision
///   on an H100, vllm-project/vllm pull request 12126), 0.20 GiB (a 24 GB GPU, pull request 14447)
///   and 1.79 GiB (Llama-3-8B on an H100, pull request 10511, before 12126 refined the
///   accounting); it was not measured for the simulated setups, and it moves the KV capacity by
///   well under 1 % on 80 GB GPUs.
public struct EngineConfig: Sendable, Hashable {
    public var blockSizeTokens: Int
    public var gpuMemoryUtilization: Double
    public var maxNumBatchedTokens: Int
    public var maxNumSeqs: Int
    public var enablePrefixCaching: Bool
    public var longPrefillTokenThreshold: Int
    public var nonTorchMemoryBytes: Double
    /// Admit a waiting (or preempted) request only when its whole current sequence fits in free
    /// KV memory, not just its next chunk (vLLM's `scheduler_reserve_full_isl`). Future output is
    /// not reserved.
    public var reserveFullSequenceAtAdmission: Bool
    /// The engine's `max_model_len`, tokens: a request's block-table row holds this many tokens'
    /// blocks (only the reclaim cost reads it).
    public var maxModelLenTokens: Int

    public init(blockSizeTokens: Int = 16, gpuMemoryUtilization: Double = 0.9, maxNumBatchedTokens: Int = 8192,
                maxNumSeqs: Int = 1024, enablePrefixCaching: Bool = true, longPrefillTokenThreshold: Int = 0,
                nonTorchMemoryBytes: Double = 0.5 * 1_073_741_824, reserveFullSequenceAtAdmission: Bool = false,
                maxModelLenTokens: Int = 131_072) {
        self.blockSizeTokens = blockSizeTokens
        self.gpuMemoryUtilization = gpuMemoryUtilization
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.maxNumSeqs = maxNumSeqs
        self.enablePrefixCaching = enablePrefixCaching
        self.longPrefillTokenThreshold = longPrefillTokenThreshold
        self.nonTorchMemoryBytes = nonTorchMemoryBytes
        self.reserveFullSequenceAtAdmission = reserveFullSequenceAtAdmission
        self.maxModelLenTokens = maxModelLenTokens
    }

    /// vLLM 0.11's defaults for `vllm serve` on `gpu`.
    public static func vllmDefaults(for gpu: GPUSpec) -> EngineConfig {
        let large = gpu.memoryBytes >= 70 * 1_073_741_824 && !gpu.name.contains("a100")
        return EngineConfig(maxNumBatchedTokens: large ? 8192 : 2048, maxNumSeqs: large ? 1024 : 256)
    }
}
