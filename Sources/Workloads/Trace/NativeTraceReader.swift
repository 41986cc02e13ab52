/// Streams sessions from a native trace file (``NativeTraceFormat``), validating every field.
///
/// Reads one line at a time; memory does not grow with the file. Rows must be sorted by
/// `arrival_s` (non-decreasing). Blank lines are ignored.
///
/// ```swift
/// var reader = try NativeTraceReader(path: "traces/chat-small.jsonl")
/// while let session = try reader.nextSession() { ... }
/// ```
public struct NativeTraceReader: TraceReader {
    /// The file as given.
    public let path: String
    /// Options (only ``TraceImportOptions/skipBadRows`` and ``TraceImportOptions/sessionLimit``
    /// apply).
    public let options: TraceImportOptions
    /// What was read, skipped and adjusted.
    public private(set) var report = TraceReadReport()

    private let lines: LineReader
    private var lastArrivalSeconds = -Double.infinity
    private var sawData = false

    /// Opens `path`.
    ///
    /// - Throws: ``TraceParseError`` when the file cannot be opened.
    public init(path: String, options: TraceImportOptions = TraceImportOptions()) throws(TraceParseError) {
        self.path = path
        self.options = options
        lines = try LineReader(path: path)
    }

    /// The next session.
    ///
    /// - Throws: ``TraceParseError`` naming the line and field of the first malformed row,
    ///   unless ``TraceImportOptions/skipBadRows`` is set.
    public mutating func nextSession() throws(TraceParseError) -> SessionSpec? {
        if let limit = options.sessionLimit, report.sessionsProduced >= limit { return nil }
        while true {
            guard let (bytes, context) = try lines.nextRow(skipBadRows: options.skipBadRows, report: &report) else {
                return nil
            }
            do throws(TraceParseError) {
                let value: JSONValue
                do throws(JSONParser.Failure) {
                    value = try JSONParser.parse(bytes)
                } catch {
                    throw context.error(nil, error.description)
                }
                if !sawData, NativeTraceFormat.isHeader(value) {
                    try NativeTraceFormat.validateHeader(value, context: context)
                    report.rowsRead -= 1
                    sawData = true
                    continue
                }
                sawData = true
                let session = try NativeTraceFormat.decode(value, context: context)
                guard session.arrivalSeconds >= lastArrivalSeconds else {
                    throw context.error(
                        "arrival_s",
                        "rows must be sorted by arrival_s; \(session.arrivalSeconds) comes after \(lastArrivalSeconds)")
                }
                lastArrivalSeconds = session.arrivalSeconds
                report.sessionsProduced += 1
                return session
            } catch {
                guard options.skipBadRows, error.field != nil || error.line > 0 else { throw error }
                if !sawData { sawData = true }
                report.skip(error)
            }
        }
    }
}
