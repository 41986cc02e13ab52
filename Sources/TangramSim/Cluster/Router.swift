/// The state of a cluster's router: picks a replica for each arriving turn under a
/// ``RoutingPolicy``.
///
/// The router sees only the replicas' active-request counts and the replica that served a
/// session's previous turn; it holds one counter, so routing the same arrivals against the same
/// loads always gives the same replicas.
///
/// ```swift
/// var router = Router(policy: .sessionAffinity, replicaCount: 4)
/// let r = router.route(previousReplica: nil, activeRequests: [3, 1, 1, 2])  // 1
/// ```
public struct Router: Sendable, Hashable {
    /// The routing rule.
    public let policy: RoutingPolicy
    /// Replicas to choose from.
    public let replicaCount: Int
    private var nextRoundRobin = 0

    /// Creates a router over `replicaCount` replicas (at least 1).
    public init(policy: RoutingPolicy, replicaCount: Int) {
        precondition(replicaCount >= 1, "a router needs at least one replica")
        self.policy = policy
        self.replicaCount = replicaCount
    }

    /// The replica that serves the next turn of a session.
    ///
    /// - Parameters:
    ///   - previousReplica: The replica that served the session's previous turn, or `nil` for a
    ///     session's first turn.
    ///   - activeRequests: Waiting plus running requests per replica, indexed by replica.
    /// - Returns: A replica index in `0..<replicaCount`.
    /// - Complexity: O(replicas) for the load-aware rules, O(1) otherwise.
    public mutating func route(previousReplica: Int?, activeRequests: [Int]) -> Int {
        switch policy {
        case .roundRobin:
            let r = nextRoundRobin
            nextRoundRobin = (nextRoundRobin + 1) % replicaCount
            return r
        case .leastLoaded:
            return Self.leastLoaded(activeRequests)
        case .sessionAffinity:
            if let previousReplica { return previousReplica }
            return Self.leastLoaded(activeRequests)
        }
    }

    /// The index of the smallest load, the lowest index among equals.
    static func leastLoaded(_ loads: [Int]) -> Int {
        var best = 0
        for i in loads.indices where loads[i] < loads[best] { best = i }
        return best
    }
}
