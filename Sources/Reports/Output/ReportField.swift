/// One column of an output table together with how a value of the table's source type becomes
/// that column's value.
///
/// The schema lists each table as an array of fields, so adding a column to a CSV file, its
/// SQLite table and the comparison report is one line:
///
/// ```swift
/// ReportField("kv_peak_trapped_bytes", .integer, "most KV bytes trapped at once") {
///     .wholeOrReal($0.kvPeakTrappedBytes)
/// }
/// ```
public struct ReportField<Row>: Sendable {
    /// The column: name (with its unit), SQLite type and meaning.
    public var column: ReportColumn
    /// Extracts the column's value from a row of the source type.
    public var value: @Sendable (Row) -> SQLiteValue

    /// Creates a field.
    ///
    /// - Parameters:
    ///   - name: Column name with its unit as a suffix (`_s`, `_bytes`, `_tokens`).
    ///   - type: SQLite declared type.
    ///   - meaning: One-line meaning for documentation.
    ///   - value: The value of the column for one source row.
    public init(
        _ name: String, _ type: ReportColumn.SQLType, _ meaning: String,
        value: @escaping @Sendable (Row) -> SQLiteValue
    ) {
        column = ReportColumn(name, type.rawValue, meaning)
        self.value = value
    }
}
