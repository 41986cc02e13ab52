/// One problem to check or time: a kernel class and its parameters. Fields that do not apply to
/// the class stay 0 (or empty).
public struct MeasurementPoint: Sendable, Hashable {
    /// Which kernel.
    public var kernelClass: KernelClass
    /// The series the point belongs to, e.g. `full-kv`, `layer 7`, `gate_up_proj`.
    public var label: String
    /// Head-budget profile name (compressed decode and compaction), else empty.
    public var profile: String = ""
    /// Overall kept ratio of the prompt (1 for full KV).
    public var keptRatio: Double = 1
    /// Model layer whose budgets were used, or -1.
    public var layer: Int = -1
    /// Requests in the batch.
    public var batch: Int = 0
    /// Prompt (context) tokens per request before compression.
    public var contextTokens: Int = 0
    /// Query heads.
    public var qHeads: Int = 0
    /// KV heads.
    public var kvHeads: Int = 0
    /// Head dimension.
    public var headDim: Int = 0
    /// KV heads per page (H_p); equal to ``kvHeads`` for monolithic pages.
    public var headsPerPage: Int = 0
    /// Tokens per page.
    public var pageTokens: Int = 0
    /// Split-KV mode (decode attention only).
    public var splitMode: SplitMode?
    /// Requested splits (uniform) or CTAs per call (planner, ahead-of-time); 0 = the heuristic.
    public var requestedSplits: Int = 0
    /// Prefill chunk tokens.
    public var chunkTokens: Int = 0
    /// Prefill history tokens already in the cache.
    public var historyTokens: Int = 0
    /// GEMM rows (tokens).
    public var m: Int = 0
    /// GEMM output features.
    public var n: Int = 0
    /// GEMM input features.
    public var k: Int = 0
    /// Bytes copied (copy only).
    public var copyBytes: Int = 0
    /// Decode: tokens of each (request, page group); compaction: kept tokens of each (request, page group).
    public var lengths: [UInt32] = []

    /// A point of `kernelClass` in series `label`; set the other fields as the class needs.
    public init(kernelClass: KernelClass, label: String) {
        self.kernelClass = kernelClass
        self.label = label
    }

    /// Page groups per request (KV heads / H_p), or 0 when H_p is unset.
    public var groups: Int { headsPerPage > 0 ? kvHeads / headsPerPage : 0 }

    /// Whether the pages are monolithic (all KV heads per page).
    public var isMonolithic: Bool { headsPerPage == kvHeads }

    /// KV bytes of one input set (K and V, bf16): what the point allocates before rotation.
    public var kvBytes: Int {
        switch kernelClass {
        case .decodeAttention:
            return lengths.reduce(0) { $0 + Int($1) } * headsPerPage * headDim * 4
        case .prefillAttention:
            return batch * (historyTokens + chunkTokens) * kvHeads * headDim * 4
        case .compaction:
            return batch * contextTokens * kvHeads * headDim * 4
        case .copy:
            return 2 * copyBytes
        case .gemm:
            return 2 * (m * k + n * k + m * n)
        case .decodePlanner:
            return 0
        }
    }
}
