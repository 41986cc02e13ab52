/// What can happen at an instant of simulated time.
enum SimulationEvent: Sendable {
    /// The next session of the workload arrives with its first turn.
    case sessionArrival
    /// A session's next turn arrives after the user's think time.
    case turnArrival(sessionSlot: Int)
    /// The replica's running step ends.
    case stepComplete
}
