/// How the host writes new block-table entries each step (DOMAIN.md section 2: the cost is
/// proportional to requests x head groups; a vectorized table keeps it small).
public enum BlockTableUpdateMode: String, Sendable, Hashable, CaseIterable {
    /// One interpreted update per entry (a Python-level loop over requests and groups).
    case naive
    /// One vectorized update per step (threads across groups, SIMD within).
    case vectorized
}
