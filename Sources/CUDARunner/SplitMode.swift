import CTangramKernelABI

/// How decode attention splits each (request, KV head) across thread blocks.
public enum SplitMode: String, Sendable, Hashable, CaseIterable {
    /// FlashDecoding-style: one split count for every head (FlashAttention's heuristic).
    case uniform
    /// A host planner balances tokens per block on every call (FlashInfer-like); its time is `plan_s`.
    case planner
    /// Tangram's ahead-of-time table: splits per head proportional to its static budget, computed once.
    case aheadOfTime = "ahead_of_time"

    /// The `TK_SPLIT_*` value.
    public var abiValue: UInt32 {
        switch self {
        case .uniform: return TK_SPLIT_UNIFORM
        case .planner: return TK_SPLIT_PLANNER
        case .aheadOfTime: return TK_SPLIT_AHEAD_OF_TIME
        }
    }
}
