import CTangramKernelABI

/// Runs correctness checks and timed measurements of grid points through a ``KernelLibrary``.
///
/// ```swift
/// let runner = MeasurementRunner(library: kernels, device: try kernels.deviceInfo())
/// let checks = MeasurementGrid.checkPoints().map { runner.check($0) }
/// let rows = MeasurementGrid.standard().points().map { runner.measure($0) }
/// ```
public struct MeasurementRunner: Sendable {
    /// The loaded kernel library.
    public var library: KernelLibrary
    /// Device 0, as reported by the library.
    public var device: DeviceInfo
    /// Untimed launches before the timed ones.
    public var warmupCalls: Int = 5
    /// Timed launches per point (median and p90 are taken over these).
    public var repeats: Int = 25
    /// Inputs are rotated among sets whose total size is at least this (several times the L2).
    public var rotateBytes: Int
    /// Seed of the on-device random inputs; each point adds its own index.
    public var seed: UInt64 = 20_251_129

    /// A runner with default repeats; rotation covers max(256 MiB, 4 x L2).
    public init(library: KernelLibrary, device: DeviceInfo) {
        self.library = library
        self.device = device
        self.rotateBytes = max(256 << 20, 4 * device.l2Bytes)
    }

    /// Runs `point` once against its reference with poisoned outputs. Returns the row (phase
    /// `check`) with status `ok` or `check-failed`, or `error: ...` if the call failed.
    public func check(_ point: MeasurementPoint, index: Int = 0) -> (MeasurementRecord, error: KernelLibraryError?) {
        let options = tk_timing_options(warmup: 0, repeats: 1, rotate_bytes: 0, seed: seed &+ UInt64(index) &* 7919,
                                        check: 1, time: 0)
        do {
            let result = try run(point, options: options)
            let passed = CheckBound.passes(result, kernelClass: point.kernelClass)
            return (MeasurementRecord(device: device, point: point, phase: "check", result: result,
                                      status: passed ? "ok" : "check-failed"), nil)
        } catch {
            return (MeasurementRecord(device: device, point: point, phase: "check", result: nil, status: "error: \(error)"), error)
        }
    }

    /// Times `point`: warm-up, then ``repeats`` calls between CUDA events over rotated inputs.
    public func measure(_ point: MeasurementPoint, index: Int = 0) -> (MeasurementRecord, error: KernelLibraryError?) {
        let options = tk_timing_options(warmup: UInt32(warmupCalls), repeats: UInt32(repeats),
                                        rotate_bytes: UInt64(rotateBytes), seed: seed &+ 1_000_003 &+ UInt64(index),
                                        check: 0, time: 1)
        do {
            let result = try run(point, options: options)
            return (MeasurementRecord(device: device, point: point, phase: "measure", result: result, status: "ok"), nil)
        } catch {
            return (MeasurementRecord(device: device, point: point, phase: "measure", result: nil, status: "error: \(error)"), error)
        }
    }

    /// Calls the library entry point for `point` with `options`.
    public func run(_ point: MeasurementPoint, options: tk_timing_options) throws(KernelLibraryError) -> KernelResult {
        func u32(_ v: Int) -> UInt32 { UInt32(clamping: v) }
        switch point.kernelClass {
        case .copy:
            return try library.copyBandwidth(tk_copy_problem(bytes: UInt64(point.copyBytes)), options: options)
        case .decodeAttention:
            let problem = tk_decode_problem(
                batch: u32(point.batch), q_heads: u32(point.qHeads), kv_heads: u32(point.kvHeads),
                head_dim: u32(point.headDim), heads_per_page: u32(point.headsPerPage), page_tokens: u32(point.pageTokens),
                split_mode: (point.splitMode ?? .uniform).abiValue, splits: u32(point.requestedSplits))
            return try library.decodeAttention(problem, lengths: point.lengths, options: options)
        case .prefillAttention:
            let problem = tk_prefill_problem(
                batch: u32(point.batch), q_heads: u32(point.qHeads), kv_heads: u32(point.kvHeads),
                head_dim: u32(point.headDim), page_tokens: u32(point.pageTokens), chunk_tokens: u32(point.chunkTokens),
                history_tokens: UInt64(point.historyTokens))
            return try library.prefillAttention(problem, options: options)
        case .compaction:
            let problem = tk_compaction_problem(
                batch: u32(point.batch), kv_heads: u32(point.kvHeads), head_dim: u32(point.headDim),
                page_tokens: u32(point.pageTokens), heads_per_page: u32(point.headsPerPage), reserved: 0,
                context_tokens: UInt64(point.contextTokens))
            return try library.compaction(problem, kept: point.lengths, options: options)
        case .gemm:
            return try library.gemm(tk_gemm_problem(m: u32(point.m), n: u32(point.n), k: u32(point.k), reserved: 0),
                                    options: options)
        }
    }
}
