/// Imports a BurstGPT trace (CSV; columns read by name): `Timestamp` (s), `Model`,
/// `Request tokens`, `Response tokens`, `Total tokens`, `Log Type`, and in `BurstGPT_3` also
/// `Session ID` and `Elapsed time` (s, submission to last token).
///
/// `Conversation log` rows that share a `Session ID` become one session, turn after turn in
/// time order; `API log` rows (and every row of files without `Session ID`) are single-turn
/// sessions (``TraceImportOptions/burstgptIncludeAPILogs`` can leave them out). Rows with
/// `Response tokens` = 0 are failed requests and are dropped (counted in the report).
///
/// Whether `Request tokens` includes the conversation history is undocumented, so it is
/// decided per session: if every turn's request is at least the previous request plus the
/// previous response, the history is included and a turn's new input is the difference
/// (at least 1); otherwise `Request tokens` are taken as new tokens. Think time is
/// `Timestamp(k) - Timestamp(k-1) - Elapsed time(k-1)` (at least 0), or the plain arrival gap
/// without `Elapsed time`. A session gets no more turns after an idle gap longer than
/// ``TraceImportOptions/sessionIdleTimeoutSeconds``.
public struct BurstGPTTraceReader: TraceReader {
    /// Required columns.
    public static let columns = ["Timestamp", "Request tokens", "Response tokens"]
    /// Drop reason for failed requests.
    public static let failedRequest = "failed request (Response tokens 0)"
    /// Drop reason for API rows when they are excluded.
    public static let excludedAPILog = "API log row excluded"

    /// The file as given.
    public let path: String
    /// Options.
    public let options: TraceImportOptions
    /// What was read, skipped and adjusted.
    public private(set) var report = TraceReadReport()

    private var csv: CSVTraceFile
    private var open = OpenSessionQueue()
    private var keyByName: [String: Int] = [:]
    private var nameByKey: [Int: String] = [:]
    private var nowSeconds = 0.0
    private var lastTimestamp = -Double.infinity
    private var sessionsStarted = 0
    private var atEnd = false
    private let hasSessionColumn: Bool
    private let hasElapsedColumn: Bool
    private let hasLogTypeColumn: Bool

    /// Opens `path` and reads its header.
    ///
    /// - Throws: ``TraceParseError`` when the file cannot be opened or lacks a column.
    public init(path: String, options: TraceImportOptions = TraceImportOptions()) throws(TraceParseError) {
        self.path = path
        self.options = options
        csv = try CSVTraceFile(path: path)
        try csv.readHeader(required: Self.columns)
        hasSessionColumn = csv.columns["Session ID"] != nil
        hasElapsedColumn = csv.columns["Elapsed time"] != nil
        hasLogTypeColumn = csv.columns["Log Type"] != nil
    }

    /// The next session, in arrival order.
    ///
    /// - Throws: ``TraceParseError`` for the first malformed row unless skipping.
    public mutating func nextSession() throws(TraceParseError) -> SessionSpec? {
        if let limit = options.sessionLimit, report.sessionsProduced >= limit { return nil }
        while true {
            if let done = open.popClosed(
                nowSeconds: nowSeconds, idleTimeoutSeconds: options.sessionIdleTimeoutSeconds, atEnd: atEnd)
            {
                if let name = nameByKey.removeValue(forKey: done.key), keyByName[name] == done.key {
                    keyByName[name] = nil
                }
                report.sessionsProduced += 1
                return SessionSpec(
                    id: report.sessionsProduced - 1, arrivalSeconds: done.arrivalSeconds,
                    turns: Self.resolveHistory(rawTurns: done.turns, report: &report))
            }
            if atEnd { return nil }
            do throws(TraceParseError) {
                guard let (fields, context) = try csv.nextRow(expectedFields: csv.header.count) else {
                    atEnd = true
                    continue
                }
                report.rowsRead = csv.rowsSeen
                try process(fields, context: context)
            } catch {
                report.rowsRead = csv.rowsSeen
                guard options.skipBadRows, error.line > 0 else { throw error }
                report.skip(error)
            }
        }
    }

    private mutating func process(_ fields: [String], context: RowContext) throws(TraceParseError) {
        let t = try context.number(
            csv: csv.cell(fields, "Timestamp"), field: "Timestamp", in: 0...TraceLimits.maximumSeconds)
        let request = try context.integer(
            csv: csv.cell(fields, "Request tokens"), field: "Request tokens", in: 0...TraceLimits.maximumTokens)
        let response = try context.integer(
            csv: csv.cell(fields, "Response tokens"), field: "Response tokens", in: 0...TraceLimits.maximumTokens)
        var elapsed = 0.0
        if hasElapsedColumn, !csv.cell(fields, "Elapsed time").trimmingSpaces.isEmpty {
            elapsed = try context.number(
                csv: csv.cell(fields, "Elapsed time"), field: "Elapsed time", in: 0...TraceLimits.maximumSeconds)
        }
        guard t >= lastTimestamp else {
            throw context.error("Timestamp", "rows must be sorted by Timestamp; \(t) comes after \(lastTimestamp)")
        }
        lastTimestamp = t
        nowSeconds = t
        let logType = hasLogTypeColumn ? csv.cell(fields, "Log Type").trimmingSpaces : ""
        let name = hasSessionColumn ? csv.cell(fields, "Session ID").trimmingSpaces : ""
        let isConversation = logType == "Conversation log" && !name.isEmpty
        if !isConversation, !options.burstgptIncludeAPILogs {
            report.drop(Self.excludedAPILog)
            return
        }
        guard response > 0 else {
            report.drop(Self.failedRequest)
            return
        }
        if isConversation, let key = keyByName[name], var s = open[key],
            t - s.lastActivitySeconds <= options.sessionIdleTimeoutSeconds
        {
            let think = max(0, t - s.lastActivitySeconds - s.tipElapsedSeconds)
            s.turns.append(TurnSpec(newInputTokens: request, outputTokens: response, thinkTimeSeconds: think))
            s.lastActivitySeconds = t
            s.tipElapsedSeconds = elapsed
            open[key] = s
            return
        }
        let key = sessionsStarted
        sessionsStarted += 1
        if isConversation {
            keyByName[name] = key
            nameByKey[key] = name
        }
        open.insert(
            OpenSessionQueue.Entry(
                key: key, arrivalSeconds: t, lastActivitySeconds: t,
                turns: [TurnSpec(newInputTokens: request, outputTokens: response)],
                sharedPrefix: nil, tipSerial: 0, tipInputTokens: request, tipOutputTokens: response,
                tipElapsedSeconds: elapsed))
    }

    /// Turns whose `newInputTokens` hold raw `Request tokens` into turns with new tokens only.
    static func resolveHistory(rawTurns turns: [TurnSpec], report: inout TraceReadReport) -> [TurnSpec] {
        let requests = turns.map(\.newInputTokens)
        var out = turns
        if out[0].newInputTokens < 1 {
            out[0].newInputTokens = 1
            report.adjust("first-turn Request tokens 0 raised to 1")
        }
        guard turns.count > 1 else { return out }
        var includesHistory = true
        for k in 1..<turns.count where requests[k] < requests[k - 1] + turns[k - 1].outputTokens {
            includesHistory = false
            break
        }
        if includesHistory {
            report.adjust("sessions whose Request tokens include the history", by: 1)
            for k in 1..<turns.count {
                out[k].newInputTokens = max(1, requests[k] - requests[k - 1] - turns[k - 1].outputTokens)
            }
        } else {
            report.adjust("sessions whose Request tokens are new tokens only", by: 1)
            for k in 1..<turns.count where out[k].newInputTokens < 1 {
                out[k].newInputTokens = 1
            }
        }
        return out
    }
}
