/// The tangram-sim native trace format: JSON Lines, one session per line, after an optional
/// header line `{"format":"tangram-sim-trace","version":1}`. Described in
/// `docs/trace-format.md`.
public enum NativeTraceFormat {
    /// Value of the header's `format` member.
    public static let formatName = "tangram-sim-trace"
    /// The version this build reads and writes.
    public static let version = 1
    /// The header line, without its newline.
    public static let headerLine = #"{"format":"tangram-sim-trace","version":1}"#

    /// Most turns accepted in one session.
    public static let maximumTurns = 1_000_000
    /// Most shared-prefix block ids accepted in one session.
    public static let maximumBlockIDs = 1_000_000

    /// The JSON object of one session line.
    public static func encode(_ session: SessionSpec) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("session_id", .integer(session.id)),
            ("arrival_s", .number(session.arrivalSeconds)),
        ]
        if let prefix = session.sharedPrefix {
            members.append(
                (
                    "shared_prefix",
                    .object([
                        ("block_tokens", .integer(prefix.blockTokens)),
                        ("block_ids", .array(prefix.blockIDs.map { .integer($0) })),
                    ])
                ))
        }
        let turns: [JSONValue] = session.turns.enumerated().map { index, turn in
            var t: [(key: String, value: JSONValue)] = []
            if index > 0 { t.append(("think_s", .number(turn.thinkTimeSeconds))) }
            t.append(("input_tokens", .integer(turn.newInputTokens)))
            t.append(("output_tokens", .integer(turn.outputTokens)))
            return .object(t)
        }
        members.append(("turns", .array(turns)))
        return .object(members)
    }

    /// Appends the session's line (without newline) to `out`: the same bytes as
    /// `encode(session).serialized`, without building the JSON tree.
    public static func appendLine(_ session: SessionSpec, to out: inout [UInt8]) {
        func text(_ s: StaticString) {
            s.withUTF8Buffer { out.append(contentsOf: $0) }
        }
        func integer(_ i: Int) {
            if i < 0 {
                out.append(contentsOf: Array(String(i).utf8))
                return
            }
            var digits:
                (
                    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
                ) =
                    (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var n = i
            var count = 0
            withUnsafeMutableBytes(of: &digits) { d in
                repeat {
                    d[19 - count] = UInt8(truncatingIfNeeded: 0x30 + n % 10)
                    n /= 10
                    count += 1
                } while n > 0
                out.append(contentsOf: d[(20 - count)...])
            }
        }
        func number(_ d: Double) {
            out.append(contentsOf: Array(JSONValue.format(d).utf8))
        }
        text(#"{"session_id":"#)
        integer(session.id)
        text(#","arrival_s":"#)
        number(session.arrivalSeconds)
        if let prefix = session.sharedPrefix {
            text(#","shared_prefix":{"block_tokens":"#)
            integer(prefix.blockTokens)
            text(#","block_ids":["#)
            for (i, id) in prefix.blockIDs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                integer(id)
            }
            text("]}")
        }
        text(#","turns":["#)
        for (index, turn) in session.turns.enumerated() {
            if index > 0 {
                text(#",{"think_s":"#)
                number(turn.thinkTimeSeconds)
                text(#","input_tokens":"#)
            } else {
                text(#"{"input_tokens":"#)
            }
            integer(turn.newInputTokens)
            text(#","output_tokens":"#)
            integer(turn.outputTokens)
            out.append(UInt8(ascii: "}"))
        }
        text("]}")
    }

    /// `true` when `value` is a header object (it has a `format` member).
    static func isHeader(_ value: JSONValue) -> Bool {
        value["format"] != nil
    }

    /// Checks a header object.
    static func validateHeader(_ value: JSONValue, context: RowContext) throws(TraceParseError) {
        guard case .object(let members) = value else { throw context.error(nil, "header must be an object") }
        for m in members where m.key != "format" && m.key != "version" {
            throw context.error(m.key, "unknown header field")
        }
        guard case .string(let name)? = value["format"], name == formatName else {
            throw context.error("format", "must be \"\(formatName)\", got \(value["format"]?.brief ?? "nothing")")
        }
        let v = try context.integer(value["version"], field: "version", in: 0...Int.max)
        guard v == version else {
            throw context.error("version", "version \(v) is not supported (this build reads version \(version))")
        }
    }

    /// Decodes and validates one session object.
    static func decode(_ value: JSONValue, context: RowContext) throws(TraceParseError) -> SessionSpec {
        guard case .object(let members) = value else {
            throw context.error(nil, "a session line must be a JSON object, got \(value.brief)")
        }
        var idValue: JSONValue?
        var arrivalValue: JSONValue?
        var turnsValue: JSONValue?
        var sharedValue: JSONValue?
        for m in members {
            switch m.key {
            case "session_id", "arrival_s", "turns", "shared_prefix": break
            default: throw context.error(m.key, "unknown field")
            }
            let previous: JSONValue?
            switch m.key {
            case "session_id": previous = idValue; idValue = m.value
            case "arrival_s": previous = arrivalValue; arrivalValue = m.value
            case "turns": previous = turnsValue; turnsValue = m.value
            default: previous = sharedValue; sharedValue = m.value
            }
            if previous != nil { throw context.error(m.key, "appears twice") }
        }
        let id = try context.integer(idValue, field: "session_id", in: 0...Int.max)
        let arrival = try context.number(arrivalValue, field: "arrival_s", in: 0...TraceLimits.maximumSeconds)
        guard let turnsValue else { throw context.error("turns", "is missing") }
        guard case .array(let turnValues) = turnsValue else {
            throw context.error("turns", "must be an array of turns, got \(turnsValue.brief)")
        }
        guard !turnValues.isEmpty else { throw context.error("turns", "must hold at least one turn") }
        guard turnValues.count <= maximumTurns else {
            throw context.error("turns", "more than \(maximumTurns) turns")
        }
        var turns: [TurnSpec] = []
        turns.reserveCapacity(turnValues.count)
        for (index, turnValue) in turnValues.enumerated() {
            guard case .object(let turnMembers) = turnValue else {
                throw context.error("turns[\(index)]", "must be an object, got \(turnValue.brief)")
            }
            var inputValue: JSONValue?
            var outputValue: JSONValue?
            var thinkValue: JSONValue?
            for m in turnMembers {
                let previous: JSONValue?
                switch m.key {
                case "input_tokens": previous = inputValue; inputValue = m.value
                case "output_tokens": previous = outputValue; outputValue = m.value
                case "think_s": previous = thinkValue; thinkValue = m.value
                default: throw context.error("turns[\(index)].\(m.key)", "unknown field")
                }
                if previous != nil { throw context.error("turns[\(index)].\(m.key)", "appears twice") }
            }
            let input = try context.integer(
                inputValue, field: "turns[\(index)].input_tokens",
                in: (index == 0 ? 1 : 0)...TraceLimits.maximumTokens)
            let output = try context.integer(
                outputValue, field: "turns[\(index)].output_tokens", in: 1...TraceLimits.maximumTokens)
            var think = 0.0
            if let thinkValue {
                think = try context.number(
                    thinkValue, field: "turns[\(index)].think_s", in: 0...TraceLimits.maximumSeconds)
            }
            turns.append(
                TurnSpec(newInputTokens: input, outputTokens: output, thinkTimeSeconds: index == 0 ? 0 : think))
        }
        var shared: SharedPrefix?
        if let sp = sharedValue {
            shared = try decodeSharedPrefix(sp, firstInput: turns[0].newInputTokens, context: context)
        }
        return SessionSpec(id: id, arrivalSeconds: arrival, turns: turns, sharedPrefix: shared)
    }

    private static func decodeSharedPrefix(_ value: JSONValue, firstInput: Int, context: RowContext)
        throws(TraceParseError) -> SharedPrefix
    {
        guard case .object(let members) = value else {
            throw context.error("shared_prefix", "must be an object, got \(value.brief)")
        }
        for m in members where m.key != "block_tokens" && m.key != "block_ids" {
            throw context.error("shared_prefix.\(m.key)", "unknown field")
        }
        let blockTokens = try context.integer(
            value["block_tokens"], field: "shared_prefix.block_tokens", in: 1...TraceLimits.maximumTokens)
        guard let idsValue = value["block_ids"] else { throw context.error("shared_prefix.block_ids", "is missing") }
        guard case .array(let idValues) = idsValue, !idValues.isEmpty else {
            throw context.error(
                "shared_prefix.block_ids", "must be a non-empty array of integers, got \(idsValue.brief)")
        }
        guard idValues.count <= maximumBlockIDs else {
            throw context.error("shared_prefix.block_ids", "more than \(maximumBlockIDs) ids")
        }
        var ids: [Int] = []
        ids.reserveCapacity(idValues.count)
        for (i, v) in idValues.enumerated() {
            ids.append(try context.integer(v, field: "shared_prefix.block_ids[\(i)]", in: Int.min...Int.max))
        }
        let (tokens, overflow) = blockTokens.multipliedReportingOverflow(by: ids.count)
        guard !overflow, tokens <= firstInput else {
            throw context.error(
                "shared_prefix",
                "covers \(overflow ? "too many" : String(tokens)) tokens, more than the first turn's input_tokens (\(firstInput))"
            )
        }
        return SharedPrefix(blockTokens: blockTokens, blockIDs: ids)
    }
}
