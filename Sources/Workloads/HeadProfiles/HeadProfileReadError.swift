/// A head-profile CSV that could not be read: names the file, the 1-based line and the field.
///
/// Line 1 is the header. For problems that span rows (a cell missing from a sample), the line is
/// the first row of the sample concerned. Line 0 means the file could not be read at all.
public struct HeadProfileReadError: Error, Hashable, CustomStringConvertible {
    /// The file path (or the label given to ``HeadProfileReader/parse(_:fileName:)``).
    public var file: String
    /// The 1-based line number (0 when the file could not be read).
    public var line: Int
    /// The column name, or `row` / `file` for problems with a whole row or the whole file.
    public var field: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String { "\(file):\(line): \(field): \(message)" }
}
