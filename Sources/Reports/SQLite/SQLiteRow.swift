/// One result row of a query: values in column order, addressable by index or column name.
public struct SQLiteRow: Sendable, Hashable {
    /// Column names as SQLite reports them (`AS` aliases when given).
    public let columnNames: [String]
    /// Values in column order.
    public let values: [SQLiteValue]

    /// Creates a row.
    public init(columnNames: [String], values: [SQLiteValue]) {
        precondition(columnNames.count == values.count, "SQLiteRow: names and values differ in count")
        self.columnNames = columnNames
        self.values = values
    }

    /// The value in column `index` (0-based).
    public subscript(index: Int) -> SQLiteValue { values[index] }

    /// The value of the first column named `name`, or `nil` when there is none.
    public subscript(name: String) -> SQLiteValue? {
        columnNames.firstIndex(of: name).map { values[$0] }
    }
}
