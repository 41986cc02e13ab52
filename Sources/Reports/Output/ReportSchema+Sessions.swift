extension ReportSchema {
    /// Columns of `sessions.csv` and the `sessions` table (the table adds `run_id` first). The
    /// rows are derived from `requests` when a run finishes (``sessionsInsertStatement``).
    public static let sessionColumns: [ReportColumn] = [
        ReportColumn("policy", "TEXT", "policy name"),
        ReportColumn("session_id", "INTEGER", "session id"),
        ReportColumn("turns", "INTEGER", "turns of the session that finished"),
        ReportColumn("first_arrival_s", "REAL", "arrival of the first turn"),
        ReportColumn("last_finish_s", "REAL", "finish of the last finished turn"),
        ReportColumn("duration_s", "REAL", "last_finish_s - first_arrival_s"),
        ReportColumn("prompt_tokens", "INTEGER", "sum of the turns' prompt lengths (each includes the history)"),
        ReportColumn("cached_tokens", "INTEGER", "sum of the turns' prompt tokens served from the prefix cache"),
        ReportColumn("output_tokens", "INTEGER", "sum of the turns' output tokens"),
        ReportColumn("final_context_tokens", "INTEGER", "prompt plus output tokens of the last finished turn"),
        ReportColumn("preemptions", "INTEGER", "preemptions of the session's requests"),
        ReportColumn("ttft_mean_s", "REAL", "mean time to first token over the session's turns"),
        ReportColumn("e2e_mean_s", "REAL", "mean end-to-end latency over the session's turns"),
    ]

    /// Inserts the `sessions` rows of one run and policy, derived from its `requests`, ordered
    /// by session id. Parameters: `run_id`, `policy`.
    static var sessionsInsertStatement: String {
        let names = ["run_id"] + sessionColumns.map(\.name)
        return """
            INSERT INTO sessions (\(names.joined(separator: ", "))) \
            SELECT run_id, policy, session_id, count(*), min(arrival_s), max(finish_s), \
            max(finish_s) - min(arrival_s), sum(prompt_tokens), sum(cached_tokens), sum(output_tokens), \
            max(prompt_tokens + output_tokens), sum(preemptions), avg(ttft_s), avg(e2e_s) \
            FROM requests WHERE run_id = ?1 AND policy = ?2 GROUP BY session_id ORDER BY session_id
            """
    }
}
