/// A results database that cannot be written or read as asked.
public enum ReportDatabaseError: Error, Hashable, Sendable {
    /// The database has another schema version than this build writes.
    case schemaVersion(path: String, found: Int, expected: Int)
    /// The file is an SQLite database, but not one tangram-sim wrote (no `meta` table).
    case notAReportDatabase(path: String)
    /// The database file does not exist.
    case missing(path: String)
    /// The database holds no runs (or none of the requested ones).
    case noRuns(path: String)
    /// Requested run ids that the database does not hold.
    case unknownRuns(path: String, runIDs: [Int64])
    /// `--db` names the same file as the `results.sqlite` of `--out`.
    case sameFile(path: String)
}

extension ReportDatabaseError: CustomStringConvertible {
    /// A sentence naming the database file.
    public var description: String {
        switch self {
        case .schemaVersion(let path, let found, let expected):
            let age = found < expected ? "an older" : "a newer"
            return "\(path): the database has schema version \(found), written by \(age) tangram-sim; "
                + "this build writes version \(expected) only. Append to a new database file instead "
                + "(or use the tangram-sim version that wrote this one)"
        case .notAReportDatabase(let path):
            return "\(path): not a tangram-sim results database (it has tables but no 'meta' table)"
        case .missing(let path):
            return "\(path): no such database file"
        case .noRuns(let path):
            return "\(path): the database holds no runs to report"
        case .unknownRuns(let path, let ids):
            return "\(path): no run with id \(ids.map(String.init).joined(separator: ", "))"
        case .sameFile(let path):
            return "\(path): --db names the database that --out writes; give another file"
        }
    }
}
