/// How a cluster's router picks the replica that serves a request (one turn of a session).
///
/// | name | first turn of a session | later turns |
/// |---|---|---|
/// | `round-robin` | the next replica in turn | the next replica in turn |
/// | `least-loaded` | the replica with the fewest active requests | the replica with the fewest active requests |
/// | `session-affinity` | the replica with the fewest active requests | the replica that served the session before |
///
/// Active requests are those waiting or running on the replica when the turn arrives; ties go to
/// the lowest replica index, so routing is deterministic. Only `session-affinity` keeps a
/// conversation's KV (its resident history or its prefix-cache blocks) useful for its next turn:
/// the other two routers move turns between replicas, and a moved turn recomputes its whole
/// history on the new replica while the old replica's copy waits to be evicted.
public enum RoutingPolicy: String, Sendable, Hashable, CaseIterable {
    case roundRobin = "round-robin"
    case leastLoaded = "least-loaded"
    case sessionAffinity = "session-affinity"

    /// Looks a router up by its command-line name (`round-robin`, `least-loaded`,
    /// `session-affinity`; also `rr`, `ll`, `affinity`).
    ///
    /// - Throws: ``UnknownRoutingPolicyError`` listing the known names.
    public static func named(_ name: String) throws(UnknownRoutingPolicyError) -> RoutingPolicy {
        let key = name.lowercased()
        if let p = RoutingPolicy(rawValue: key) { return p }
        switch key {
        case "rr": return .roundRobin
        case "ll": return .leastLoaded
        case "affinity": return .sessionAffinity
        default: throw UnknownRoutingPolicyError(name: name)
        }
    }
}
