/// The compression scorer whose per-head retention a profile records.
///
/// A scorer decides *which* tokens a head keeps; under a threshold it also decides how many.
/// The raw values are the folder names of the measured profiles (`head_profiles/<scorer>/`).
public enum HeadScorer: String, Sendable, Hashable, CaseIterable {
    /// SnapKV: attention of the last 32 prompt queries (observation window), max-pooled.
    case snapkv
    /// KeyDiff: key-vector drift, no attention scores needed.
    case keydiff
    /// ExpectedAttention: attention anticipated for future queries.
    case ea
    /// Fast-KVzip: a learned gate over hidden states.
    case fastkvzip

    /// Parses a scorer name, ignoring case, `_`/`-`, and accepting `expected-attention` for ``ea``.
    ///
    /// - Returns: `nil` when the name is not a known scorer.
    public init?(name: String) {
        let key = String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
        switch key {
        case "snapkv": self = .snapkv
        case "keydiff": self = .keydiff
        case "ea", "expectedattention": self = .ea
        case "fastkvzip": self = .fastkvzip
        default: return nil
        }
    }
}

extension HeadScorer: CustomStringConvertible {
    public var description: String { rawValue }
}
