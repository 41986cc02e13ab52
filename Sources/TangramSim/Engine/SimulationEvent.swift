/// What can happen at an instant of simulated time.
enum SimulationEvent: Sendable {
    /// A session of the workload (held under this token until then) arrives with its first turn.
    case sessionArrival(token: Int)
    /// A session's next turn arrives after the user's think time.
    case turnArrival(sessionSlot: Int)
    /// A replica's running step ends (replica 0 in a one-replica run).
    case stepComplete(replica: Int)
}
