/// One column of an output table, shared by its CSV file and its SQLite table.
public struct ReportColumn: Sendable, Hashable {
    /// Column name, with the unit as a suffix (`_s`, `_bytes`, `_tokens`, `_req_s`, …).
    public var name: String
    /// SQLite declared type: `INTEGER`, `REAL` or `TEXT`.
    public var sqlType: String
    /// One-line meaning, for documentation and help text.
    public var meaning: String
    /// Whether the column is declared `NOT NULL` (by default only `TEXT` columns are: SQLite
    /// stores a NaN in a `REAL` or byte column as `NULL`).
    public var notNull: Bool

    /// The SQLite declared types the output tables use.
    public enum SQLType: String, Sendable, Hashable {
        /// 64-bit integers (counts, whole byte counts).
        case integer = "INTEGER"
        /// Doubles (times, rates).
        case real = "REAL"
        /// UTF-8 text (names, labels); declared `NOT NULL`.
        case text = "TEXT"
    }

    /// Creates a column.
    ///
    /// - Parameters:
    ///   - name: Column name with its unit as a suffix.
    ///   - sqlType: `INTEGER`, `REAL` or `TEXT`.
    ///   - meaning: One-line meaning.
    ///   - notNull: Declare the column `NOT NULL`; by default only `TEXT` columns are.
    public init(_ name: String, _ sqlType: String, _ meaning: String, notNull: Bool? = nil) {
        self.name = name
        self.sqlType = sqlType
        self.meaning = meaning
        self.notNull = notNull ?? (sqlType == "TEXT")
    }

    /// The column definition in a `CREATE TABLE` statement.
    var definition: String {
        "\(name) \(sqlType)\(notNull ? " NOT NULL" : "")"
    }

    /// The column definition for `ALTER TABLE … ADD COLUMN`, which needs a default for
    /// `NOT NULL` columns: `''` for text, 0 for numbers.
    var addedDefinition: String {
        guard notNull else { return definition }
        return definition + (sqlType == "TEXT" ? " DEFAULT ''" : " DEFAULT 0")
    }
}
