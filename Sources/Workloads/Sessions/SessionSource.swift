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
}
