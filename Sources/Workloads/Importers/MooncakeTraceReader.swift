/// Imports a Mooncake FAST'25 trace (JSONL: `timestamp` ms, `input_length`, `output_length`,
/// `hash_ids` of 512-token blocks) and rebuilds multi-turn sessions from the prefix chains.
///
/// Session rule (the one behind `../shared/traces/mooncake/*_sessions.csv`): request *i*
/// continues the session of the most recent earlier request *j* whose full blocks
/// (`hash_ids[j]` without its last, partial block) form the longest prefix of `hash_ids[i]`,
/// with at least ``TraceImportOptions/mooncakeMinimumSharedBlocks`` blocks. If *j* already has
/// a later turn (a regenerated answer or a branch), *i* starts a new session instead, since a
/// session here is a linear chain; the report counts these under
/// ``MooncakeTraceReader/branchAdjustment``.
///
/// A follow-up turn's new input is `input_length(i) - input_length(j) - output_length(j)`,
/// raised to 1 when the trace shrank the prompt; its think time is the arrival gap
/// `(timestamp(i) - timestamp(j)) / 1000`, which includes the production reply latency. A
/// session's first turn keeps its whole `input_length` and carries its full blocks as
/// ``SessionSpec/sharedPrefix`` (512-token blocks, Mooncake ids), so cross-session reuse (the
/// global system prompt, shared documents) stays visible.
///
/// Streams: memory holds the sessions active within the idle timeout and an index of their
/// recent prefixes. Rows without `hash_ids` become single-turn sessions.
public struct MooncakeTraceReader: TraceReader {
    /// Adjustment key counting requests that branched off a non-final turn.
    public static let branchAdjustment = "mooncake request branching from an earlier turn started a new session"
    /// Adjustment key counting follow-ups whose computed new input was below 1 token.
    public static let newTokensAdjustment = "mooncake follow-up new input below 1 token raised to 1"

    /// The file as given.
    public let path: String
    /// Options.
    public let options: TraceImportOptions
    /// What was read, skipped and adjusted.
    public private(set) var report = TraceReadReport()
    /// Requests that continued an earlier request's session.
    public private(set) var linkedRequests = 0
    /// Sessions started (including those not yet released).
    public private(set) var sessionsStarted = 0

    private struct Row {
        var line: Int
        var timestampMs: Double
        var input: Int
        var output: Int
        var hashIDs: [Int]?
    }

    private struct IndexEntry {
        var sessionKey: Int
        var serial: Int
        var timestampSeconds: Double
    }

    private let lines: LineReader
    private var minimumSharedBlocks: Int?
    private var pending: [Row] = []  // rows read ahead to detect the minimum shared blocks
    private var pendingHead = 0
    private var open = OpenSessionQueue()
    private var index: [UInt64: IndexEntry] = [:]
    private var indexOrder: [(hash: UInt64, serial: Int, timestampSeconds: Double)] = []
    private var indexOrderHead = 0
    private var nowSeconds = 0.0
    private var lastTimestampMs = -Double.infinity
    private var serial = 0
    private var atEnd = false
    private let jitter: GSLRandom?

    /// Opens `path`.
    ///
    /// - Throws: ``TraceParseError`` when the file cannot be opened.
    public init(path: String, options: TraceImportOptions = TraceImportOptions()) throws(TraceParseError) {
        self.path = path
        self.options = options
        lines = try LineReader(path: path)
        minimumSharedBlocks = options.mooncakeMinimumSharedBlocks
        jitter =
            options.mooncakeTimestampJitterSeconds > 0
            ? GSLRandom(seed: options.seed, stream: RandomStream.jitter) : nil
    }

    /// The next rebuilt session, in arrival order.
    ///
    /// - Throws: ``TraceParseError`` for the first malformed row unless skipping.
    public mutating func nextSession() throws(TraceParseError) -> SessionSpec? {
        if let limit = options.sessionLimit, report.sessionsProduced >= limit { return nil }
        let timeout = max(options.sessionIdleTimeoutSeconds, options.mooncakeTimestampJitterSeconds)
        while true {
            if let done = open.popClosed(nowSeconds: nowSeconds, idleTimeoutSeconds: timeout, atEnd: atEnd) {
                report.sessionsProduced += 1
                return SessionSpec(
                    id: done.key, arrivalSeconds: done.arrivalSeconds, turns: done.turns,
                    sharedPrefix: done.sharedPrefix)
            }
            if atEnd { return nil }
            guard let row = try nextRow() else {
                atEnd = true
                continue
            }
            process(row, timeout: timeout)
        }
    }

    // MARK: Reading rows

    private mutating func nextRow() throws(TraceParseError) -> Row? {
        if minimumSharedBlocks == nil {
            // Read ahead up to 64 rows: a global shared first block means links need 2 blocks.
            while pending.count < 64, let row = try readRow() { pending.append(row) }
            let firsts = pending.compactMap { $0.hashIDs?.first }
            minimumSharedBlocks = firsts.count >= 8 && Set(firsts).count == 1 ? 2 : 1
        }
        if pendingHead < pending.count {
            defer {
                pendingHead += 1
                if pendingHead == pending.count {
                    pending = []
                    pendingHead = 0
                }
            }
            return pending[pendingHead]
        }
        return try readRow()
    }

    private mutating func readRow() throws(TraceParseError) -> Row? {
        while let bytes = try readLineSkippingBad() {
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let context = RowContext(file: path, line: lines.lineNumber)
            do throws(TraceParseError) {
                report.rowsRead += 1
                let row = try parse(bytes, context: context)
                guard row.timestampMs >= lastTimestampMs else {
                    throw context.error(
                        "timestamp",
                        "rows must be sorted by timestamp; \(row.timestampMs) comes after \(lastTimestampMs)")
                }
                lastTimestampMs = row.timestampMs
                return row
            } catch {
                guard options.skipBadRows else { throw error }
                report.skip(error)
            }
        }
        return nil
    }

    private mutating func readLineSkippingBad() throws(TraceParseError) -> [UInt8]? {
        while true {
            do throws(TraceParseError) {
                return try lines.nextLine()
            } catch {
                guard options.skipBadRows, error.line > 0 else { throw error }
                report.rowsRead += 1
                report.skip(error)
            }
        }
    }

    private func parse(_ bytes: [UInt8], context: RowContext) throws(TraceParseError) -> Row {
        let value: JSONValue
        do throws(JSONParser.Failure) {
            value = try JSONParser.parse(bytes)
        } catch {
            throw context.error(nil, error.description)
        }
        guard case .object = value else {
            throw context.error(nil, "a Mooncake row must be a JSON object, got \(value.brief)")
        }
        let timestamp = try context.number(
            value["timestamp"], field: "timestamp", in: 0...(TraceLimits.maximumSeconds * 1000))
        let input = try context.integer(value["input_length"], field: "input_length", in: 1...TraceLimits.maximumTokens)
        let output = try context.integer(
            value["output_length"], field: "output_length", in: 0...TraceLimits.maximumTokens)
        var ids: [Int]?
        if let h = value["hash_ids"] {
            guard case .array(let elements) = h else {
                throw context.error("hash_ids", "must be an array of integers, got \(h.brief)")
            }
            let block = max(1, options.mooncakeBlockTokens)
            let expected = (input + block - 1) / block
            guard elements.count == expected else {
                throw context.error(
                    "hash_ids",
                    "has \(elements.count) blocks, expected ceil(input_length / \(block)) = \(expected)")
            }
            var parsed: [Int] = []
            parsed.reserveCapacity(elements.count)
            for (i, e) in elements.enumerated() {
                parsed.append(try context.integer(e, field: "hash_ids[\(i)]", in: Int.min...Int.max))
            }
            ids = parsed
        }
        return Row(line: context.line, timestampMs: timestamp, input: input, output: output, hashIDs: ids)
    }

    // MARK: Linking

    private mutating func process(_ row: Row, timeout: Double) {
        let t = row.timestampMs / 1000
        nowSeconds = t
        expireIndex(before: t - options.sessionIdleTimeoutSeconds)
        var output = row.output
        if output < 1 {
            output = 1
            report.adjust("output_length 0 raised to 1")
        }
        serial += 1
        let minimum = max(1, minimumSharedBlocks ?? 1)
        var hashes: [UInt64] = []
        var parent: IndexEntry?
        if let ids = row.hashIDs {
            hashes = PrefixHash.prefixHashes(ids)
            if ids.count >= minimum {
                for m in stride(from: ids.count, through: minimum, by: -1) {
                    if let e = index[hashes[m]], e.timestampSeconds >= t - options.sessionIdleTimeoutSeconds {
                        parent = e
                        break
                    }
                }
            }
        }
        var sessionKey: Int
        if let p = parent, var s = open[p.sessionKey], s.tipSerial == p.serial {
            linkedRequests += 1
            var newTokens = row.input - s.tipInputTokens - s.tipOutputTokens
            if newTokens < 1 {
                newTokens = 1
                report.adjust(Self.newTokensAdjustment)
            }
            s.turns.append(
                TurnSpec(
                    newInputTokens: newTokens, outputTokens: output, thinkTimeSeconds: max(0, t - s.lastActivitySeconds)
                ))
            s.lastActivitySeconds = t
            s.tipSerial = serial
            s.tipInputTokens = row.input
            s.tipOutputTokens = output
            open[p.sessionKey] = s
            sessionKey = p.sessionKey
        } else {
            if parent != nil {
                linkedRequests += 1
                report.adjust(Self.branchAdjustment)
            }
            sessionKey = sessionsStarted
            sessionsStarted += 1
            var shared: SharedPrefix?
            if let ids = row.hashIDs {
                let fullBlocks = row.input / max(1, options.mooncakeBlockTokens)
                if fullBlocks > 0 {
                    shared = SharedPrefix(
                        blockTokens: options.mooncakeBlockTokens, blockIDs: Array(ids.prefix(fullBlocks)))
                }
            }
            let arrival = t + (jitter.map { $0.uniform() * options.mooncakeTimestampJitterSeconds } ?? 0)
            open.insert(
                OpenSessionQueue.Entry(
                    key: sessionKey, arrivalSeconds: arrival, lastActivitySeconds: t,
                    turns: [TurnSpec(newInputTokens: row.input, outputTokens: output)],
                    sharedPrefix: shared, tipSerial: serial, tipInputTokens: row.input,
                    tipOutputTokens: output, tipElapsedSeconds: 0))
        }
        if let ids = row.hashIDs, ids.count >= 2 {
            let h = hashes[ids.count - 1]
            index[h] = IndexEntry(sessionKey: sessionKey, serial: serial, timestampSeconds: t)
            indexOrder.append((h, serial, t))
        }
    }

    private mutating func expireIndex(before cutoff: Double) {
        while indexOrderHead < indexOrder.count, indexOrder[indexOrderHead].timestampSeconds < cutoff {
            let old = indexOrder[indexOrderHead]
            if let e = index[old.hash], e.serial == old.serial { index[old.hash] = nil }
            indexOrderHead += 1
        }
        if indexOrderHead > 4_096, indexOrderHead * 2 > indexOrder.count {
            indexOrder.removeFirst(indexOrderHead)
            indexOrderHead = 0
        }
    }
}
