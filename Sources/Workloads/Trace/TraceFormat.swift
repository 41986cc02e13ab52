/// The trace formats tangram-sim reads (`--format`).
public enum TraceFormat: String, Sendable, Hashable, CaseIterable {
    /// Detect the format from the first line (``detect(path:)``).
    case auto
    /// tangram-sim's own JSONL (``NativeTraceReader``).
    case native
    /// Mooncake FAST'25 JSONL with `hash_ids` (``MooncakeTraceReader``).
    case mooncake
    /// Azure LLM inference trace CSV (``AzureTraceReader``).
    case azure
    /// ShareGPT turn-statistics CSV (``ShareGPTTurnsReader``).
    case sharegpt
    /// ServeGen rate curve CSV (``ServeGenWorkload``).
    case servegen
    /// BurstGPT CSV (``BurstGPTTraceReader``).
    case burstgpt

    /// Detects the format of `path` from its first non-blank line.
    ///
    /// JSON lines with `format` or `turns` are native, with `hash_ids` or `input_length`
    /// Mooncake; CSV headers are recognised by their column names (`TIMESTAMP` +
    /// `ContextTokens`: Azure; `conv_id` + `user_tokens`: ShareGPT; `Request tokens`: BurstGPT;
    /// `window_start_s`: ServeGen aggregate); a header-less line of six fields starting with a
    /// number is a ServeGen client curve.
    ///
    /// - Throws: ``TraceParseError`` when the file cannot be read or matches no format.
    public static func detect(path: String) throws(TraceParseError) -> TraceFormat {
        let lines = try LineReader(path: path, maximumLineBytes: 64 << 20)
        var firstLine: [UInt8]?
        while let l = try lines.nextLine() {
            if l.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            firstLine = l
            break
        }
        guard var line = firstLine else {
            throw TraceParseError(file: path, line: 0, field: nil, reason: "empty file: cannot detect its format")
        }
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        let n = lines.lineNumber
        let firstNonSpace = line.first { $0 != 0x20 && $0 != 0x09 }
        if firstNonSpace == UInt8(ascii: "{") {
            guard let value = try? JSONParser.parse(line) else {
                throw TraceParseError(
                    file: path, line: n, field: nil,
                    reason: "the first line is not a complete JSON object (a JSON workload spec such as vLLM's "
                        + "generate_multi_turn.json goes to --workload, not --trace)")
            }
            if value["format"] != nil || value["turns"] != nil { return .native }
            if value["hash_ids"] != nil || value["input_length"] != nil { return .mooncake }
            if value["filetype"] != nil {
                throw TraceParseError(
                    file: path, line: n, field: "filetype", reason: "this is a workload spec; pass it with --workload")
            }
            throw TraceParseError(file: path, line: n, field: nil, reason: "unrecognised JSON trace; pass --format")
        }
        guard case .success(let fields) = CSVLine.split(line) else {
            throw TraceParseError(file: path, line: n, field: nil, reason: "cannot detect the format; pass --format")
        }
        let names = Set(fields.map(\.trimmingSpaces))
        if names.contains("TIMESTAMP"), names.contains("ContextTokens") { return .azure }
        if names.contains("conv_id"), names.contains("user_tokens") { return .sharegpt }
        if names.contains("Request tokens") { return .burstgpt }
        if names.contains("window_start_s") { return .servegen }
        if fields.count == 6, Double(fields[0].trimmingSpaces) != nil { return .servegen }
        let preview = String(decoding: line.prefix(60), as: UTF8.self)
        throw TraceParseError(
            file: path, line: n, field: nil,
            reason: "cannot detect the format of a line starting \"\(preview)\"; pass --format")
    }
}
