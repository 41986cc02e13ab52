import CTangramKernelABI

/// What one kernel measurement produced (the Swift view of `tk_result`).
public struct KernelResult: Sendable, Hashable {
    /// Median device time of one call between CUDA events, in seconds.
    public var medianSeconds: Double
    /// 90th percentile (nearest rank) of the call times, in seconds.
    public var p90Seconds: Double
    /// Fastest call, in seconds.
    public var minSeconds: Double
    /// Mean call time, in seconds.
    public var meanSeconds: Double
    /// Median host-side planning time per call, in seconds (decode planner, compaction page tables; else 0).
    public var planSeconds: Double
    /// ||out - ref|| / ||ref|| (mismatch fraction for exact copies), `nil` when not checked, NaN if outputs stayed poisoned.
    public var checkRelativeError: Double?
    /// Least bytes the kernel must move through device memory.
    public var bytes: Int
    /// Floating-point operations (a multiply-add counts 2).
    public var flops: Int
    /// KV token-heads read (attention) or copied (compaction).
    public var kvTokens: Int
    /// Output elements that were not finite after a checked run.
    public var nonfiniteOutputs: Int
    /// Thread blocks of the main kernel per call (0 for cuBLAS and copies).
    public var ctas: Int
    /// Largest split count of one (request, KV head).
    public var maxSplits: Int
    /// Timed calls.
    public var repeats: Int
    /// Input sets rotated through (to defeat the L2 cache).
    public var rotations: Int
    /// SM clock read through NVML right after the timed calls, in MHz (0 if unavailable).
    public var smClockMHz: Int
    /// Memory clock read through NVML right after the timed calls, in MHz (0 if unavailable).
    public var memClockMHz: Int

    /// Converts the C result.
    public init(_ r: tk_result) {
        medianSeconds = r.median_s
        p90Seconds = r.p90_s
        minSeconds = r.min_s
        meanSeconds = r.mean_s
        planSeconds = r.plan_s
        checkRelativeError = r.check_rel_error < 0 ? nil : r.check_rel_error
        bytes = Int(r.bytes)
        flops = Int(r.flops)
        kvTokens = Int(r.kv_tokens)
        nonfiniteOutputs = Int(r.nonfinite_outputs)
        ctas = Int(r.ctas)
        maxSplits = Int(r.max_splits)
        repeats = Int(r.repeats)
        rotations = Int(r.rotations)
        smClockMHz = Int(r.sm_clock_mhz)
        memClockMHz = Int(r.mem_clock_mhz)
    }
}
