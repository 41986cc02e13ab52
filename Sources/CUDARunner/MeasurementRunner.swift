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

    /// Times the host planner of every point (class ``KernelClass/decodePlanner``) round by round:
    /// each round visits every point once and takes one sample (2 untimed warm-up calls, then
    /// `TK_PLANNER_CALLS_PER_SAMPLE` back-to-back calls, their mean), so that each point's samples
    /// are spread over the whole measurement and a slow spell of the host CPU hits every point
    /// alike instead of a few neighbouring ones. Each row's times are the median, nearest-rank
    /// p90, minimum and mean of its `rounds` samples (``summarize(_:)``); `plan_s` is the median.
    ///
    /// - Parameter rounds: samples per point (default ``repeats``).
    public func measurePlanner(_ points: [MeasurementPoint], rounds: Int? = nil) -> [(MeasurementRecord, error: KernelLibraryError?)] {
        let n = max(1, rounds ?? repeats)
        var samples = Array(repeating: [Double](), count: points.count)
        var last = [KernelResult?](repeating: nil, count: points.count)
        var errors = [KernelLibraryError?](repeating: nil, count: points.count)
        let options = tk_timing_options(warmup: 2, repeats: 1, rotate_bytes: 0, seed: seed, check: 0, time: 1)
        for _ in 0..<n {
            for (i, point) in points.enumerated() where errors[i] == nil {
                do {
                    let r = try run(point, options: options)
                    samples[i].append(r.medianSeconds)
                    last[i] = r
                } catch {
                    errors[i] = error
                }
            }
        }
        return points.indices.map { i in
            if let error = errors[i] {
                return (MeasurementRecord(device: device, point: points[i], phase: "measure", result: nil,
                                          status: "error: \(error)"), error)
            }
            var r = last[i]!
            let s = Self.summarize(samples[i])
            r.medianSeconds = s.median
            r.p90Seconds = s.p90
            r.minSeconds = s.min
            r.meanSeconds = s.mean
            r.planSeconds = s.median
            r.repeats = samples[i].count
            return (MeasurementRecord(device: device, point: points[i], phase: "measure", result: r, status: "ok"), nil)
        }
    }

    /// Median (mean of the middle two for an even count), nearest-rank p90, minimum and mean of
    /// `samples` (all 0 when empty), as the kernel library summarises timed calls.
    public static func summarize(_ samples: [Double]) -> (median: Double, p90: Double, min: Double, mean: Double) {
        guard !samples.isEmpty else { return (0, 0, 0, 0) }
        let t = samples.sorted(), n = t.count
        let median = n % 2 == 1 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2])
        let rank = Int((0.9 * Double(n)).rounded(.up))
        let p90 = t[min(max(rank - 1, 0), n - 1)]
        return (median, p90, t[0], t.reduce(0, +) / Double(n))
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
        case .decodePlanner:
            let problem = tk_decode_problem(
                batch: u32(point.batch), q_heads: u32(point.qHeads), kv_heads: u32(point.kvHeads),
                head_dim: u32(point.headDim), heads_per_page: u32(point.headsPerPage), page_tokens: u32(point.pageTokens),
                split_mode: SplitMode.planner.abiValue, splits: u32(point.requestedSplits))
            return try library.decodePlanner(problem, lengths: point.lengths, options: options)
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
