/// A malformed row in a trace: which file, which line, which field and why.
///
/// Its description reads like
/// `trace.jsonl:12: field 'turns[1].output_tokens': must be a positive integer, got -3`.
public struct TraceParseError: Error, Sendable, Hashable {
    /// The file as the user named it.
    public var file: String
    /// 1-based line number (0 when the problem concerns the whole file).
    public var line: Int
    /// The field (a JSON path such as `turns[1].output_tokens`, or a CSV column name), or
    /// `nil` when the row as a whole is malformed (bad JSON syntax, wrong column count).
    public var field: String?
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(file: String, line: Int, field: String?, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }
}

extension TraceParseError: CustomStringConvertible {
    public var description: String {
        let location = line > 0 ? "\(file):\(line)" : file
        if let field { return "\(location): field '\(field)': \(reason)" }
        return "\(location): \(reason)"
    }
}
