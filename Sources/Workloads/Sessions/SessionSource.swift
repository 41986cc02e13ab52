/// A stream of sessions in non-decreasing arrival order.
///
/// Sources are pulled one session at a time so that a simulation holds only the sessions that
/// are active, never the whole workload: a trace of millions of sessions streams in constant
/// memory.
public protocol SessionSource {
    /// Returns the next session, or `nil` when the workload is exhausted.
    ///
    /// - Throws: an error naming the file, line and field when the input is malformed.
    mutating func nextSession() throws -> SessionSpec?

    /// Tells the source that a session it produced has ended (its last turn finished or it was
    /// refused) at `atSeconds` of simulated time.
    ///
    /// Open-loop sources ignore it (the default). Closed-loop sources (``ClosedLoopUsers``) use it
    /// to schedule the user's next session; such a source may return `nil` from
    /// ``nextSession()`` while every user is busy and produce more after a session ends.
    mutating func sessionEnded(id: Int, atSeconds: Double)

    /// Whether arrivals depend on completions (the consumer then takes every session the source
    /// can give after each ``sessionEnded(id:atSeconds:)``, rather than one at a time).
    var isClosedLoop: Bool { get }
}

extension SessionSource {
    public mutating func sessionEnded(id: Int, atSeconds: Double) {}
    public var isClosedLoop: Bool { false }
}
