/// One row of the measurement CSV: the device, the point's parameters and what was measured.
/// Columns are listed in ``MeasurementCSV/columns``; times are seconds, sizes are bytes.
public struct MeasurementRecord: Sendable, Hashable {
    /// GPU name, e.g. "NVIDIA H200".
    public var gpuName: String
    /// NVIDIA driver version string, e.g. "580.159.04".
    public var driverVersion: String
    /// CUDA driver API version, e.g. 13000.
    public var cudaDriverVersion: Int
    /// Streaming multiprocessors.
    public var smCount: Int
    /// SM clock right after the timed calls, MHz.
    public var smClockMHz: Int
    /// Memory clock right after the timed calls, MHz.
    public var memClockMHz: Int
    /// Kernel class.
    public var kernelClass: KernelClass
    /// `check` (correctness run) or `measure` (timed run).
    public var phase: String
    /// Series label.
    public var label: String
    /// Head-budget profile, or empty.
    public var profile: String
    /// Overall kept ratio (1 = full KV).
    public var keptRatio: Double
    /// Model layer of the budgets, or -1.
    public var layer: Int
    /// Requests.
    public var batch: Int
    /// Prompt tokens per request before compression (prefill: history + chunk).
    public var contextTokens: Int
    /// KV token-heads read per call (attention) or copied (compaction).
    public var kvTokensRead: Int
    /// Query heads.
    public var qHeads: Int
    /// KV heads.
    public var kvHeads: Int
    /// Head dimension.
    public var headDim: Int
    /// KV heads per page (H_p).
    public var headsPerPage: Int
    /// Tokens per page.
    public var pageTokens: Int
    /// Split mode (`uniform`, `planner`, `ahead_of_time`) or empty.
    public var splitMode: String
    /// Largest split count of one (request, KV head) actually used.
    public var splits: Int
    /// Thread blocks of the main kernel per call.
    public var ctas: Int
    /// Prefill chunk tokens.
    public var chunkTokens: Int
    /// Prefill history tokens.
    public var historyTokens: Int
    /// GEMM m (tokens).
    public var m: Int
    /// GEMM n.
    public var n: Int
    /// GEMM k.
    public var k: Int
    /// Least bytes moved per call.
    public var bytes: Int
    /// Floating-point operations per call.
    public var flops: Int
    /// Median time per call, s.
    public var medianSeconds: Double
    /// 90th percentile time per call, s.
    public var p90Seconds: Double
    /// Fastest call, s.
    public var minSeconds: Double
    /// Mean call, s.
    public var meanSeconds: Double
    /// Host planning time per call, s.
    public var planSeconds: Double
    /// Timed calls.
    public var repeats: Int
    /// Rotated input sets.
    public var rotations: Int
    /// Relative error of a check, or nil.
    public var checkRelativeError: Double?
    /// `ok`, `check-failed`, `error: ...` or `skipped: ...`.
    public var status: String

    /// A row for `point` on `device` with result `result` (nil: nothing ran) and `status`.
    public init(device: DeviceInfo, point: MeasurementPoint, phase: String, result: KernelResult?, status: String) {
        gpuName = device.name
        driverVersion = device.driverString
        cudaDriverVersion = device.cudaDriverVersion
        smCount = device.smCount
        smClockMHz = result?.smClockMHz ?? 0
        memClockMHz = result?.memClockMHz ?? 0
        kernelClass = point.kernelClass
        self.phase = phase
        label = point.label
        profile = point.profile
        keptRatio = point.keptRatio
        layer = point.layer
        batch = point.batch
        contextTokens = point.contextTokens
        kvTokensRead = result?.kvTokens ?? 0
        qHeads = point.qHeads
        kvHeads = point.kvHeads
        headDim = point.headDim
        headsPerPage = point.headsPerPage
        pageTokens = point.pageTokens
        splitMode = point.splitMode?.rawValue ?? ""
        splits = result?.maxSplits ?? 0
        ctas = result?.ctas ?? 0
        chunkTokens = point.chunkTokens
        historyTokens = point.historyTokens
        m = point.m
        n = point.n
        k = point.k
        bytes = result?.bytes ?? 0
        flops = result?.flops ?? 0
        medianSeconds = result?.medianSeconds ?? 0
        p90Seconds = result?.p90Seconds ?? 0
        minSeconds = result?.minSeconds ?? 0
        meanSeconds = result?.meanSeconds ?? 0
        planSeconds = result?.planSeconds ?? 0
        repeats = result?.repeats ?? 0
        rotations = result?.rotations ?? 0
        checkRelativeError = result?.checkRelativeError
        self.status = status
    }
}
