/// One `summary` row: the results of one policy in one run, read back for reports.
///
/// Columns are looked up by name, so rows from older files that lack a column read as `nil`.
public struct ReportResult: Sendable, Hashable {
    /// The run the row belongs to.
    public var runID: Int64
    /// The policy.
    public var policy: String
    /// The whole `summary` row, `run_id` included.
    public var row: SQLiteRow

    /// Creates a result from a `SELECT * FROM summary` row.
    public init(row: SQLiteRow) {
        self.row = row
        runID = row["run_id"]?.integerValue ?? 0
        policy = row["policy"]?.textValue ?? ""
    }

    /// The number in `column`, or `nil` when the column is missing or `NULL`.
    ///
    /// - Parameter column: A summary column name, e.g. `throughput_req_s`.
    public func number(_ column: String) -> Double? {
        row[column]?.doubleValue
    }
}
