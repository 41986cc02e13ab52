/// Imports ShareGPT turn statistics (`sharegpt_v3_turns.csv`: one row per user turn with
/// columns `conv_id`, `turn`, `system_tokens`, `user_tokens`, `assistant_tokens`, ...).
///
/// Turn structure is explicit; timing is not, so the importer draws session arrivals from
/// ``TraceImportOptions/arrival`` (default Poisson at 2.28 sessions/s) and think times from
/// ``TraceImportOptions/thinkTimeSeconds`` (default: the chat preset's), through GSL with
/// ``TraceImportOptions/seed``. A turn's new input is `system_tokens + user_tokens`, its output
/// `assistant_tokens`; the engine rebuilds the history, which reproduces the file's
/// `prompt_tokens` except in conversations with a missing part (`has_gap`).
///
/// Rows of one conversation must be consecutive with `turn` = 1, 2, 3, ... With
/// ``TraceImportOptions/skipBadRows``, a bad row drops its whole conversation.
public struct ShareGPTTurnsReader: TraceReader {
    /// Required columns.
    public static let columns = ["conv_id", "turn", "system_tokens", "user_tokens", "assistant_tokens"]
    /// Drop reason for the other rows of a conversation that had a bad row.
    public static let droppedWithBadRow = "row of a conversation with a bad row"

    /// The file as given.
    public let path: String
    /// Options.
    public let options: TraceImportOptions
    /// What was read, skipped and adjusted.
    public private(set) var report = TraceReadReport()

    private var csv: CSVTraceFile
    private var clock: ArrivalClock
    private let thinkRandom: GSLRandom
    private let thinkTime: Distribution
    private var pending: (conversation: String, turn: Int, spec: TurnSpec, line: Int)?
    private var poisoned: String?
    private var newlyPoisoned: String?
    private var atEnd = false

    /// Opens `path` and reads its header.
    ///
    /// - Throws: ``TraceParseError`` when the file cannot be opened or lacks a column.
    public init(path: String, options: TraceImportOptions = TraceImportOptions()) throws(TraceParseError) {
        self.path = path
        self.options = options
        csv = try CSVTraceFile(path: path)
        try csv.readHeader(required: Self.columns)
        let chat = SyntheticChatConfig.chat()
        clock = ArrivalClock(
            process: options.arrival ?? chat.arrival, rng: GSLRandom(seed: options.seed, stream: RandomStream.arrivals))
        thinkRandom = GSLRandom(seed: options.seed, stream: RandomStream.importerTiming)
        thinkTime = options.thinkTimeSeconds ?? chat.thinkTimeSeconds
    }

    /// The next conversation as a session.
    ///
    /// - Throws: ``TraceParseError`` for the first malformed row unless skipping.
    public mutating func nextSession() throws(TraceParseError) -> SessionSpec? {
        if let limit = options.sessionLimit, report.sessionsProduced >= limit { return nil }
        var conversation: String?
        var turns: [TurnSpec] = []
        while true {
            var next: (conversation: String, turn: Int, spec: TurnSpec, line: Int)?
            if let p = pending {
                next = p
                pending = nil
            } else if !atEnd {
                next = try readRow()
                if next == nil { atEnd = true }
            }
            if let bad = newlyPoisoned {
                newlyPoisoned = nil
                if bad == conversation {
                    conversation = nil
                    turns = []
                }
            }
            guard let row = next else { break }
            if let c = conversation, row.conversation == c {
                guard row.turn == turns.count + 1 else {
                    try reject(
                        RowContext(file: path, line: row.line).error(
                            "turn", "expected turn \(turns.count + 1) of conversation \(c), got \(row.turn)"),
                        conversation: c)
                    conversation = nil
                    turns = []
                    continue
                }
                var t = row.spec
                t.thinkTimeSeconds = max(0, thinkTime.sample(using: thinkRandom))
                turns.append(t)
                continue
            }
            guard row.turn == 1 else {
                try reject(
                    RowContext(file: path, line: row.line).error(
                        "turn", "conversation \(row.conversation) starts at turn \(row.turn), expected 1"),
                    conversation: row.conversation)
                continue
            }
            if conversation != nil {
                pending = row
                break
            }
            conversation = row.conversation
            turns = [row.spec]
        }
        guard !turns.isEmpty, let arrival = clock.next() else { return nil }
        let session = SessionSpec(id: report.sessionsProduced, arrivalSeconds: arrival, turns: turns)
        report.sessionsProduced += 1
        return session
    }

    private mutating func reject(_ error: TraceParseError, conversation: String) throws(TraceParseError) {
        guard options.skipBadRows else { throw error }
        report.skip(error)
        poisoned = conversation
        newlyPoisoned = conversation
    }

    /// The next good row; rows of a poisoned conversation and bad rows (when skipping) are
    /// passed over.
    private mutating func readRow() throws(TraceParseError) -> (
        conversation: String, turn: Int, spec: TurnSpec, line: Int
    )? {
        while true {
            do throws(TraceParseError) {
                guard let (fields, context) = try csv.nextRow(expectedFields: csv.header.count) else { return nil }
                report.rowsRead = csv.rowsSeen
                let conversation = csv.cell(fields, "conv_id").trimmingSpaces
                if let p = poisoned {
                    if conversation == p {
                        report.drop(Self.droppedWithBadRow)
                        continue
                    }
                    poisoned = nil
                }
                do throws(TraceParseError) {
                    guard !conversation.isEmpty else { throw context.error("conv_id", "is empty") }
                    let turn = try context.integer(
                        csv: csv.cell(fields, "turn"), field: "turn", in: 1...NativeTraceFormat.maximumTurns)
                    let system = try context.integer(
                        csv: csv.cell(fields, "system_tokens"), field: "system_tokens",
                        in: 0...TraceLimits.maximumTokens)
                    let user = try context.integer(
                        csv: csv.cell(fields, "user_tokens"), field: "user_tokens", in: 0...TraceLimits.maximumTokens)
                    var output = try context.integer(
                        csv: csv.cell(fields, "assistant_tokens"), field: "assistant_tokens",
                        in: 0...TraceLimits.maximumTokens)
                    var input = system + user
                    if output == 0 {
                        output = 1
                        report.adjust("assistant_tokens 0 raised to 1")
                    }
                    if input == 0, turn == 1 {
                        input = 1
                        report.adjust("first-turn input 0 raised to 1")
                    }
                    return (conversation, turn, TurnSpec(newInputTokens: input, outputTokens: output), context.line)
                } catch {
                    guard options.skipBadRows else { throw error }
                    report.skip(error)
                    if !conversation.isEmpty {
                        poisoned = conversation
                        newlyPoisoned = conversation
                    }
                }
            } catch {
                report.rowsRead = csv.rowsSeen
                guard options.skipBadRows, error.line > 0 else { throw error }
                report.skip(error)
            }
        }
    }
}
