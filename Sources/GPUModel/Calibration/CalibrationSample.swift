/// One measured kernel call as the fitter sees it.
public struct CalibrationSample: Sendable, Hashable {
    /// The kernel class.
    public var kernelClass: CalibrationKernelClass
    /// The measured median time per call, seconds.
    public var measuredSeconds: Double
    /// Least bytes the kernel moves (the CSV's `bytes`).
    public var bytes: Double
    /// FLOPs (the CSV's `flops`).
    public var flops: Double
    /// Host planning time per call (decode planner rows), seconds; 0 otherwise.
    public var planSeconds: Double
    /// The decode problem, for decode-attention and decode-planner rows.
    public var decode: DecodeCalibrationProblem?
    /// Line in the measurement file (for messages).
    public var line: Int
    /// The row's series label (the CSV's `label`): for prefill attention it tells the runner's
    /// own kernel (`chunked-prefill`) from production kernels (`sdpa-...`, ``PrefillSeries``).
    public var label: String
    /// Prefill chunk and history tokens (prefill rows; 0 otherwise).
    public var chunkTokens: Int
    public var historyTokens: Int

    public init(
        kernelClass: CalibrationKernelClass, measuredSeconds: Double, bytes: Double, flops: Double,
        planSeconds: Double = 0, decode: DecodeCalibrationProblem? = nil, line: Int = 0, label: String = "",
        chunkTokens: Int = 0, historyTokens: Int = 0
    ) {
        self.kernelClass = kernelClass
        self.measuredSeconds = measuredSeconds
        self.bytes = bytes
        self.flops = flops
        self.planSeconds = planSeconds
        self.decode = decode
        self.line = line
        self.label = label
        self.chunkTokens = chunkTokens
        self.historyTokens = historyTokens
    }
}
