/// Malformed CSV input, located by file, line and field.
public struct CSVReadError: Error, Hashable, Sendable {
    /// The file the text came from, if known.
    public var path: String?
    /// 1-based line where the problem was found.
    public var line: Int
    /// 1-based field number within the record.
    public var field: Int
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(path: String?, line: Int, field: Int, reason: String) {
        self.path = path
        self.line = line
        self.field = field
        self.reason = reason
    }
}

extension CSVReadError: CustomStringConvertible {
    /// `FILE:LINE: field N: REASON`.
    public var description: String {
        "\(path ?? "<csv>"):\(line): field \(field): \(reason)"
    }
}
