/// What ``RunOutput/finish(summaries:status:)`` saved: the files, the appended run and the row
/// counts, with a sentence for the terminal.
public struct SavedRun: Sendable, Hashable {
    /// The output folder, when the run had one.
    public var directory: String?
    /// Names of the files written into ``directory``, in the order of the schema's tables.
    public var fileNames: [String]
    /// The database the run was appended to (`--db`), if any.
    public var appendedDatabasePath: String?
    /// The run's `run_id` in ``appendedDatabasePath``.
    public var appendedRunID: Int64?
    /// How the run ended.
    public var status: RunStatus
    /// Policies with a summary row, in order.
    public var summarizedPolicies: [String]
    /// Rows of the `requests` table.
    public var requestCount: Int
    /// Rows of the `steps` table.
    public var stepCount: Int
    /// Rows of the `sessions` table.
    public var sessionCount: Int

    /// Creates a receipt.
    public init(
        directory: String?, fileNames: [String], appendedDatabasePath: String?, appendedRunID: Int64?,
        status: RunStatus, summarizedPolicies: [String], requestCount: Int, stepCount: Int, sessionCount: Int
    ) {
        self.directory = directory
        self.fileNames = fileNames
        self.appendedDatabasePath = appendedDatabasePath
        self.appendedRunID = appendedRunID
        self.status = status
        self.summarizedPolicies = summarizedPolicies
        self.requestCount = requestCount
        self.stepCount = stepCount
        self.sessionCount = sessionCount
    }
}

extension SavedRun: CustomStringConvertible {
    /// One or two lines for the terminal, e.g.
    /// `wrote out/: runs.csv, summary.csv, …, results.sqlite (2 policies, 1200 requests, 300 sessions, 80 step samples)`.
    public var description: String {
        var places: [String] = []
        if let directory {
            let folder = directory.hasSuffix("/") ? directory : directory + "/"
            places.append("\(folder): \(fileNames.joined(separator: ", "))")
        }
        if let appendedDatabasePath, let appendedRunID {
            places.append("run \(appendedRunID) of \(appendedDatabasePath)")
        }
        let policies = summarizedPolicies.count == 1 ? "1 policy" : "\(summarizedPolicies.count) policies"
        let counts = "\(requestCount) requests, \(sessionCount) sessions, \(stepCount) step samples"
        switch status {
        case .complete:
            return "wrote \(places.joined(separator: "; and ")) (\(policies), \(counts))"
        case .interrupted:
            let finished =
                summarizedPolicies.isEmpty
                ? "no policy finished"
                : "summaries of the \(policies) that finished (\(summarizedPolicies.joined(separator: ", ")))"
            return "interrupted: saved \(finished) and the \(counts) recorded before the stop to "
                + "\(places.joined(separator: "; and ")); the run is marked 'interrupted'"
        }
    }
}
