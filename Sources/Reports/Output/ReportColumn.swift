/// One column of an output table, shared by its CSV file and its SQLite table.
public struct ReportColumn: Sendable, Hashable {
    /// Column name, with the unit as a suffix (`_s`, `_bytes`, `_tokens`, `_req_s`, …).
    public var name: String
    /// SQLite declared type: `INTEGER`, `REAL` or `TEXT`.
    public var sqlType: String
    /// One-line meaning, for documentation and help text.
    public var meaning: String

    /// Creates a column.
    public init(_ name: String, _ sqlType: String, _ meaning: String) {
        self.name = name
        self.sqlType = sqlType
        self.meaning = meaning
    }
}
