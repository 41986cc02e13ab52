/// Imports an Azure LLM inference trace (2023 Splitwise or 2024 one-week format): CSV with
/// columns `TIMESTAMP` (`YYYY-MM-DD HH:MM:SS.fffffff`), `ContextTokens`, `GeneratedTokens`.
///
/// The trace has no sessions, so each row is a single-turn session arriving at its timestamp,
/// measured from the first row. Rows must be sorted by time.
public struct AzureTraceReader: TraceReader {
    /// Column names.
    public static let columns = ["TIMESTAMP", "ContextTokens", "GeneratedTokens"]

    /// The file as given.
    public let path: String
    /// Options.
    public let options: TraceImportOptions
    /// What was read, skipped and adjusted.
    public private(set) var report = TraceReadReport()

    private var csv: CSVTraceFile
    private var origin: (seconds: Int, fraction: Double)?
    private var lastArrival = -Double.infinity

    /// Opens `path` and reads its header.
    ///
    /// - Throws: ``TraceParseError`` when the file cannot be opened or lacks a column.
    public init(path: String, options: TraceImportOptions = TraceImportOptions()) throws(TraceParseError) {
        self.path = path
        self.options = options
        csv = try CSVTraceFile(path: path)
        try csv.readHeader(required: Self.columns)
    }

    /// The next single-turn session.
    ///
    /// - Throws: ``TraceParseError`` for the first malformed row unless skipping.
    public mutating func nextSession() throws(TraceParseError) -> SessionSpec? {
        if let limit = options.sessionLimit, report.sessionsProduced >= limit { return nil }
        while true {
            do throws(TraceParseError) {
                guard let (fields, context) = try csv.nextRow(expectedFields: csv.header.count) else { return nil }
                report.rowsRead = csv.rowsSeen
                let stamp = csv.cell(fields, "TIMESTAMP")
                guard let time = CivilTime.parse(stamp) else {
                    throw context.error(
                        "TIMESTAMP", "must look like 2023-11-16 18:15:46.6805900, got \"\(stamp.prefix(40))\"")
                }
                let input = try context.integer(
                    csv: csv.cell(fields, "ContextTokens"), field: "ContextTokens", in: 1...TraceLimits.maximumTokens)
                var output = try context.integer(
                    csv: csv.cell(fields, "GeneratedTokens"), field: "GeneratedTokens",
                    in: 0...TraceLimits.maximumTokens)
                if origin == nil { origin = time }
                let o = origin ?? time
                let arrival = Double(time.seconds - o.seconds) + (time.fraction - o.fraction)
                guard arrival >= lastArrival else {
                    throw context.error(
                        "TIMESTAMP", "rows must be sorted by time; \(stamp) is earlier than the previous row")
                }
                guard arrival <= TraceLimits.maximumSeconds else {
                    throw context.error("TIMESTAMP", "more than \(TraceLimits.maximumSeconds) s after the first row")
                }
                if output == 0 {
                    output = 1
                    report.adjust("GeneratedTokens 0 raised to 1")
                }
                lastArrival = arrival
                let session = SessionSpec(
                    id: report.sessionsProduced, arrivalSeconds: arrival,
                    turns: [TurnSpec(newInputTokens: input, outputTokens: output)])
                report.sessionsProduced += 1
                return session
            } catch {
                report.rowsRead = csv.rowsSeen
                guard options.skipBadRows, error.line > 0 else { throw error }
                report.skip(error)
            }
        }
    }
}
