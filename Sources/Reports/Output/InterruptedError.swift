/// Thrown by ``InterruptHandler/checkInterrupted()`` once SIGINT or SIGTERM has arrived, to stop a
/// simulation at a safe point.
public struct InterruptedError: Error, Hashable, Sendable {
    /// The signal that arrived (`SIGINT` = 2, `SIGTERM` = 15).
    public var signal: Int32

    /// Creates an error.
    public init(signal: Int32) {
        self.signal = signal
    }
}

extension InterruptedError: CustomStringConvertible {
    /// `interrupted by SIGINT` (or `SIGTERM`, or `signal N`).
    public var description: String {
        switch signal {
        case 2: return "interrupted by SIGINT"
        case 15: return "interrupted by SIGTERM"
        default: return "interrupted by signal \(signal)"
        }
    }
}
