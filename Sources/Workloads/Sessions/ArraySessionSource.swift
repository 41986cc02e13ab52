/// A ``SessionSource`` over sessions already in memory, sorted by arrival.
///
/// Meant for small workloads built in code (tests, examples); traces and generators stream instead.
public struct ArraySessionSource: SessionSource, Sendable {
    private var sessions: [SessionSpec]
    private var index = 0

    /// Creates a source; the sessions are sorted by arrival time (stable, so equal times keep their order).
    public init(_ sessions: [SessionSpec]) {
        self.sessions = sessions.enumerated()
            .sorted { ($0.element.arrivalSeconds, $0.offset) < ($1.element.arrivalSeconds, $1.offset) }
            .map(\.element)
    }

    public mutating func nextSession() throws -> SessionSpec? {
        guard index < sessions.count else { return nil }
        defer { index += 1 }
        return sessions[index]
    }
}
