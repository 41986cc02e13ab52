/// What a trace reader did with its input: rows read, rows skipped and why, values adjusted.
public struct TraceReadReport: Sendable, Hashable {
    /// How many skipped-row errors are kept for display.
    public static let keptErrorLimit = 20

    /// Data rows seen (not counting a header line or blank lines).
    public var rowsRead = 0
    /// Rows rejected and skipped (only with `skipBadRows`; otherwise the first bad row throws).
    public var rowsSkipped = 0
    /// The first ``keptErrorLimit`` errors of skipped rows, in file order.
    public var skippedErrors: [TraceParseError] = []
    /// Rows dropped on purpose, not as errors, by reason (for example BurstGPT failures with
    /// zero response tokens).
    public var rowsDropped: [String: Int] = [:]
    /// Values changed to fit the session model, by reason (for example
    /// "output_tokens 0 raised to 1").
    public var adjustments: [String: Int] = [:]
    /// Sessions handed out so far.
    public var sessionsProduced = 0

    /// Creates an empty report.
    public init() {}

    mutating func skip(_ error: TraceParseError) {
        rowsSkipped += 1
        if skippedErrors.count < Self.keptErrorLimit { skippedErrors.append(error) }
    }

    mutating func adjust(_ reason: String, by count: Int = 1) {
        adjustments[reason, default: 0] += count
    }

    mutating func drop(_ reason: String) {
        rowsDropped[reason, default: 0] += 1
    }
}

/// A ``SessionSource`` that reads a file and reports what it skipped or adjusted.
public protocol TraceReader: SessionSource {
    /// What the reader has done so far; complete once ``SessionSource/nextSession()`` has
    /// returned `nil`.
    var report: TraceReadReport { get }
}
