/// A problem reading or writing a measurement CSV, with the file, line (1-based; 0 for file
/// errors) and column name.
public struct MeasurementCSVError: Error, Hashable, Sendable {
    /// The file path (or a description of the text source).
    public var file: String
    /// The line where the record starts (1 = header; 0 when the file itself failed).
    public var line: Int
    /// The column, when one field is at fault.
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

extension MeasurementCSVError: CustomStringConvertible {
    public var description: String {
        var s = file
        if line > 0 { s += ":\(line)" }
        if let field { s += ": field \(field)" }
        return s + ": " + reason
    }
}
