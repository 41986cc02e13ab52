/// What can happen at an instant of a cluster simulation.
enum ClusterEvent: Sendable {
    /// A session of the workload (held under this token until then) arrives with its first turn.
    case sessionArrival(token: Int)
    /// A session's next turn arrives after the user's think time.
    case turnArrival(sessionSlot: Int)
    /// A replica's running step ends.
    case stepComplete(replica: Int)
}
