import ArgumentParser
import Reports

/// `tangram-sim report DB`: compares the runs and policies in a results database, with speed-ups
/// against a baseline policy, and optionally writes a self-contained HTML page with charts.
///
/// See docs/reports.md.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compare the runs in a results database; optionally write an HTML page with charts.",
        discussion: """
            DB is the results.sqlite of an --out folder, or a database that runs were appended to \
            with --db. Speed-ups compare each policy with the baseline policy of the same run; \
            above 1 is better. The HTML page works offline (inline SVG, no scripts); render it to \
            PNG with scripts/render-report.sh.
            """)

    @Argument(help: "Results database (DIR/results.sqlite from --out, or a --db file).")
    var database: String

    @Option(help: "Policy the speed-ups are measured against, within each run.")
    var baseline = "vllm"

    @Option(help: "Only these runs: comma-separated run ids (default: all).")
    var runs: String?

    @Option(help: "Write a self-contained HTML report with charts to this file.")
    var html: String?

    @Option(help: "Title of the HTML report.")
    var title = "tangram-sim report"

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        _ = try runIDs()
    }

    func run() throws {
        do {
            let report = try ComparisonReport.load(path: database, baseline: baseline, runIDs: try runIDs())
            if !quiet { print(report.renderText(), terminator: "") }
            if let html {
                try HTMLReport(report: report, title: title).write(to: html)
                if !quiet { print("\nwrote \(html)") }
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode(2)
        }
    }

    private func runIDs() throws -> [Int64]? {
        guard let runs else { return nil }
        var ids: [Int64] = []
        for part in runs.split(separator: ",") {
            guard let id = Int64(String(part.filter { !$0.isWhitespace })), id > 0 else {
                throw ValidationError("--runs: '\(part)' is not a run id (a positive integer)")
            }
            ids.append(id)
        }
        if ids.isEmpty { throw ValidationError("--runs names no run") }
        return ids
    }
}
