/// One table (or view) of the SQLite schema, mirrored by one CSV file of the same columns.
public struct ReportTable: Sendable, Hashable {
    /// What kind of SQLite object the table is.
    public enum Kind: Sendable, Hashable {
        /// The `runs` table: `run_id INTEGER PRIMARY KEY` assigned by SQLite.
        case runs
        /// A per-run data table: `run_id INTEGER NOT NULL REFERENCES runs(run_id)` first.
        case data
        /// A view selecting `run_id` and the columns from another table.
        case view(source: String)
    }

    /// Table name; its CSV file is `<name>.csv`.
    public var name: String
    /// Columns after `run_id`, in order; a CSV file holds exactly these (one run per folder).
    public var columns: [ReportColumn]
    /// Table, or view.
    public var kind: Kind

    /// Creates a table description.
    public init(name: String, columns: [ReportColumn], kind: Kind = .data) {
        self.name = name
        self.columns = columns
        self.kind = kind
    }

    /// File name of the CSV mirror.
    public var csvFileName: String { name + ".csv" }

    /// The `CREATE … IF NOT EXISTS` statement.
    public var createStatement: String {
        let body = columns.map(\.definition).joined(separator: ", ")
        switch kind {
        case .runs:
            return "CREATE TABLE IF NOT EXISTS \(name) (run_id INTEGER PRIMARY KEY, \(body))"
        case .data:
            return "CREATE TABLE IF NOT EXISTS \(name) (run_id INTEGER NOT NULL REFERENCES runs(run_id), \(body))"
        case .view(let source):
            let names = (["run_id"] + columns.map(\.name)).joined(separator: ", ")
            return "CREATE VIEW IF NOT EXISTS \(name) AS SELECT \(names) FROM \(source)"
        }
    }
}
