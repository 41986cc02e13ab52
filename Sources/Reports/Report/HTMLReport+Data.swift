extension HTMLReport {
    /// Most points drawn per line; longer series are thinned.
    static let maximumPoints = 600

    /// The empirical CDF of a `requests` column for one result: (value, fraction of requests at
    /// or below it), thinned to ``maximumPoints`` points at evenly spaced ranks (the first and
    /// last always kept).
    ///
    /// - Parameters:
    ///   - column: `ttft_s`, `tpot_s`, …
    ///   - multiTokenOnly: Only requests with more than one output token (TPOT is undefined
    ///     for the others).
    static func cdf(
        _ column: String, of result: ReportResult, in db: SQLiteDatabase, multiTokenOnly: Bool = false
    ) throws -> [(Double, Double)] {
        let rows = try db.query(
            "SELECT \(column) FROM requests WHERE run_id = ? AND policy = ? AND \(column) IS NOT NULL"
                + (multiTokenOnly ? " AND output_tokens > 1" : "") + " ORDER BY \(column)",
            [.integer(result.runID), .text(result.policy)])
        let values = rows.compactMap { $0[0].doubleValue }
        let n = values.count
        guard n > 0 else { return [] }
        let m = min(n, maximumPoints)
        var points: [(Double, Double)] = []
        points.reserveCapacity(m + 1)
        points.append((values[0], 0))
        for j in 0..<m {
            let index = m == 1 ? n - 1 : Int((Double(j) * Double(n - 1) / Double(m - 1)).rounded())
            points.append((values[index], Double(index + 1) / Double(n)))
        }
        return points
    }

    /// The memory timeline of one result: rows of (time, capacity, allocated, used, trapped,
    /// reserved) in bytes, thinned to about ``maximumPoints`` rows keeping each bucket's first
    /// row and its row of most allocated bytes (so peaks survive).
    static func memoryTimeline(of result: ReportResult, in db: SQLiteDatabase) throws -> [[Double]] {
        let rows = try db.query(
            """
            SELECT time_s, kv_capacity_bytes, kv_allocated_bytes, kv_used_bytes, kv_trapped_bytes, kv_reserved_bytes \
            FROM steps WHERE run_id = ? AND policy = ? ORDER BY step_index
            """, [.integer(result.runID), .text(result.policy)])
        let table = rows.map { row in row.values.map { $0.doubleValue ?? 0 } }
        return thin(table, peakColumn: 2)
    }

    /// Cumulative preemptions over time for one result, thinned.
    static func preemptionTimeline(of result: ReportResult, in db: SQLiteDatabase) throws -> [(Double, Double)] {
        let rows = try db.query(
            "SELECT time_s, preemptions_so_far FROM steps WHERE run_id = ? AND policy = ? ORDER BY step_index",
            [.integer(result.runID), .text(result.policy)])
        let table = rows.map { row in row.values.map { $0.doubleValue ?? 0 } }
        return thin(table, peakColumn: 1).map { ($0[0], $0[1]) }
    }

    /// Mean seconds per sampled step of each step-time component (in ``ReportSchema/stepTimeComponents``
    /// order, only those the file has), and the number of samples.
    static func stepBreakdown(
        of result: ReportResult, components: [ReportSchema.StepTimeComponent], in db: SQLiteDatabase
    ) throws -> (seconds: [Double], samples: Int) {
        guard !components.isEmpty else { return ([], 0) }
        let averages = components.map { "avg(\($0.column))" }.joined(separator: ", ")
        let row = try db.query(
            "SELECT count(*), \(averages) FROM steps WHERE run_id = ? AND policy = ?",
            [.integer(result.runID), .text(result.policy)]
        ).first
        let samples = Int(row?[0].integerValue ?? 0)
        let seconds = (0..<components.count).map { row?[$0 + 1].doubleValue ?? 0 }
        return (seconds, samples)
    }

    /// Keeps every row when there are few; otherwise the first row of each bucket and the bucket's
    /// row with the largest `peakColumn`, in order, plus the last row.
    static func thin(_ rows: [[Double]], peakColumn: Int) -> [[Double]] {
        guard rows.count > maximumPoints else { return rows }
        let bucket = (rows.count + maximumPoints / 2 - 1) / (maximumPoints / 2)
        var out: [[Double]] = []
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + bucket)
            var peak = start
            for i in start..<end where rows[i][peakColumn] > rows[peak][peakColumn] { peak = i }
            out.append(rows[start])
            if peak != start { out.append(rows[peak]) }
            start = end
        }
        if let last = rows.last, out.last! != last { out.append(last) }
        return out
    }
}
