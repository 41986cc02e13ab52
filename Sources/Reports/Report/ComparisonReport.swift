/// The comparison of runs and policies in a results database: `tangram-sim report DB`.
///
/// Three plain-text tables: the runs; the absolute results of each (run, policy); and the
/// speed-ups of each against the baseline policy of the same run (above 1 is better: throughput
/// divided by the baseline's, the baseline's latency divided by this one's). Metrics whose column
/// no loaded row has (an older file, a summary column not yet produced) are left out.
///
/// ```swift
/// let report = try ComparisonReport.load(path: "study.sqlite", baseline: "vllm")
/// print(report.renderText(), terminator: "")
/// try HTMLReport(report: report).write(to: "study.html")
/// ```
public struct ComparisonReport: Sendable {
    /// The loaded runs and summaries.
    public var data: ReportData
    /// The policy each run's results are compared with.
    public var baselinePolicy: String

    /// Creates a report over loaded data.
    public init(data: ReportData, baselinePolicy: String = "vllm") {
        self.data = data
        self.baselinePolicy = baselinePolicy
    }

    /// Opens `path` read-only and loads it.
    ///
    /// - Parameters:
    ///   - path: A results database.
    ///   - baseline: The baseline policy.
    ///   - runIDs: Runs to report, or `nil` for all.
    /// - Returns: The report.
    /// - Throws: ``ReportDatabaseError``, ``SQLiteError``.
    public static func load(path: String, baseline: String = "vllm", runIDs: [Int64]? = nil) throws -> ComparisonReport
    {
        let db = try RunDatabase.openForReading(path)
        defer { try? db.close() }
        return ComparisonReport(data: try ReportData.load(from: db, runIDs: runIDs), baselinePolicy: baseline)
    }

    /// Metrics of ``ComparisonMetric/results`` that at least one loaded row has.
    public var resultMetrics: [ComparisonMetric] {
        ComparisonMetric.results.filter { metric in data.results.contains { $0.row[metric.column] != nil } }
    }

    /// Metrics of ``ComparisonMetric/speedups`` that at least one loaded row has.
    public var speedupMetrics: [ComparisonMetric] {
        ComparisonMetric.speedups.filter { metric in data.results.contains { $0.row[metric.column] != nil } }
    }

    /// The speed-up of `result` in `metric` against the baseline of its run, or `nil` when the
    /// run has no baseline or a value is missing.
    public func speedup(of result: ReportResult, _ metric: ComparisonMetric) -> Double? {
        guard let baseline = data.baseline(for: result, policy: baselinePolicy) else { return nil }
        return metric.speedup(result.number(metric.column), over: baseline.number(metric.column))
    }

    /// Whether any loaded run contains the baseline policy.
    public var hasBaseline: Bool {
        data.results.contains { $0.policy == baselinePolicy }
    }

    /// The three tables as text, separated by blank lines; ends with a newline.
    public func renderText() -> String {
        var out =
            "\(data.path): \(data.runs.count) run\(data.runs.count == 1 ? "" : "s"), schema version \(data.schemaVersion)\n\n"
        out += "Runs\n" + runsTable().render() + "\n"
        out += "Results\n" + resultsTable().render()
        if hasBaseline {
            out +=
                "\nSpeed-up against \(baselinePolicy) of the same run (above 1 is better)\n" + speedupTable().render()
        } else {
            out += "\nNo run has the baseline policy '\(baselinePolicy)'; choose one with --baseline.\n"
        }
        return out
    }

    func runsTable() -> TextTable {
        let rows = data.runs.map { run -> [String] in
            let policies = data.results.filter { $0.runID == run.runID }.map(\.policy)
            return [
                String(run.runID), run.name.isEmpty ? "-" : run.name, run.model, run.gpu, run.workload,
                run.seed.map(String.init) ?? "-", run.toolVersion, run.status, policies.joined(separator: ","),
            ]
        }
        return TextTable(
            headings: ["run", "name", "model", "gpu", "workload", "seed", "tool", "status", "policies"], rows: rows,
            leftAlignedColumns: 9)
    }

    func resultsTable() -> TextTable {
        let metrics = resultMetrics
        let rows = data.results.map { result -> [String] in
            [String(result.runID), result.policy]
                + metrics.map { metric in
                    guard let value = result.number(metric.column) else { return "-" }
                    return NumberText.adaptive(value * metric.scale, decimals: metric.decimals)
                }
        }
        return TextTable(headings: ["run", "policy"] + metrics.map(\.heading), rows: rows, leftAlignedColumns: 2)
    }

    func speedupTable() -> TextTable {
        let metrics = speedupMetrics
        let rows = data.results.map { result -> [String] in
            [String(result.runID), result.policy] + metrics.map { NumberText.factor(speedup(of: result, $0)) }
        }
        return TextTable(headings: ["run", "policy"] + metrics.map(\.heading), rows: rows, leftAlignedColumns: 2)
    }
}
