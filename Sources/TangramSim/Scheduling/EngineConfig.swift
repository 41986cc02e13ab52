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
/// - ``nonTorchMemoryBytes``: allowance for memory outside PyTorch's allocator (CUDA context
///   extras, cuBLAS/NCCL workspaces) that vLLM's profiler subtracts; 0.5 GiB is an estimate of the
///   "non-torch memory" vLLM logs for single-GPU runs, not a measurement.
public struct EngineConfig: Sendable, Hashable {
    public var blockSizeTokens: Int
    public var gpuMemoryUtilization: Double
    public var maxNumBatchedTokens: Int
    public var maxNumSeqs: Int
    public var enablePrefixCaching: Bool
    public var longPrefillTokenThreshold: Int
    public var nonTorchMemoryBytes: Double

    public init(blockSizeTokens: Int = 16, gpuMemoryUtilization: Double = 0.9, maxNumBatchedTokens: Int = 8192,
                maxNumSeqs: Int = 1024, enablePrefixCaching: Bool = true, longPrefillTokenThreshold: Int = 0,
                nonTorchMemoryBytes: Double = 0.5 * 1_073_741_824) {
        self.blockSizeTokens = blockSizeTokens
        self.gpuMemoryUtilization = gpuMemoryUtilization
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.maxNumSeqs = maxNumSeqs
        self.enablePrefixCaching = enablePrefixCaching
        self.longPrefillTokenThreshold = longPrefillTokenThreshold
        self.nonTorchMemoryBytes = nonTorchMemoryBytes
    }

    /// vLLM 0.11's defaults for `vllm serve` on `gpu`.
    public static func vllmDefaults(for gpu: GPUSpec) -> EngineConfig {
        let large = gpu.memoryBytes >= 70 * 1_073_741_824 && !gpu.name.contains("a100")
        return EngineConfig(maxNumBatchedTokens: large ? 8192 : 2048, maxNumSeqs: large ? 1024 : 256)
    }
}
