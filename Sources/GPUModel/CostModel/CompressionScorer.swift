/// The compression method whose scoring and top-k selection a step pays for (cost only; which
/// tokens it keeps does not matter here). Costs per scorer are in docs/cost-model.md.
public enum CompressionScorer: String, Sendable, Hashable, CaseIterable {
    /// No compression: nothing is scored.
    case none
    /// SnapKV: attention of an observation window of 32 prompt queries against the chunk.
    case snapkv
    /// KeyDiff: each key's distance to the mean key; one pass over the keys.
    case keydiff
    /// ExpectedAttention: attention anticipated for future queries.
    case ea
    /// Fast-KVzip: a learned gate over the chunk (costed like one pass over the keys).
    case fastkvzip
    /// StreamingLLM: sink and recent window only; no scoring, no selection.
    case streamingllm

    /// Parses a scorer name, ignoring case, `_`/`-`; accepts `expected-attention` for ``ea``.
    ///
    /// - Returns: `nil` when the name is unknown.
    public init?(name: String) {
        let key = String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
        switch key {
        case "none", "": self = .none
        case "snapkv": self = .snapkv
        case "keydiff": self = .keydiff
        case "ea", "expectedattention": self = .ea
        case "fastkvzip": self = .fastkvzip
        case "streamingllm", "streaming": self = .streamingllm
        default: return nil
        }
    }
}
