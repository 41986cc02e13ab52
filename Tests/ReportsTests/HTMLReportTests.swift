import Foundation
import TangramSim
import Testing

@testable import Reports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The HTML report: self-contained, with one well-formed SVG chart per required chart.
@Suite struct HTMLReportTests {
    /// Every `<svg …>…</svg>` element of the page.
    static func svgElements(_ html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg "),
            let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
        {
            out.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }

    /// The text of the `<title>` right after an `<svg>` opening tag.
    static func title(of svg: String) -> String? {
        guard let open = svg.range(of: "<title"), let close = open.upperBound.samePosition(in: svg),
            let gt = svg.range(of: ">", range: close..<svg.endIndex),
            let end = svg.range(of: "</title>", range: gt.upperBound..<svg.endIndex)
        else { return nil }
        return String(svg[gt.upperBound..<end.lowerBound])
    }

    func writeTwoRunDatabase(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("study.sqlite")
        for (name, factor) in [("a", 1.0), ("b", 2.0)] {
            var run = Fixtures.run
            run.name = name
            let out = try RunOutput(directory: nil, run: run, database: path)
            var summaries: [PolicySummary] = []
            for (index, policy) in ["vllm", "tangram"].enumerated() {
                for i in 0..<4 { try out.record(policy: policy, step: Fixtures.step(i)) }
                for i in 0..<6 { try out.record(policy: policy, Fixtures.record(i)) }
                summaries.append(
                    Fixtures.summary(policy, requestsPerSecond: factor * Double(index + 1), ttftP50Seconds: 0.5))
            }
            try out.finish(summaries: summaries)
        }
        return path
    }

    @Test func containsEveryChartAsWellFormedSVG() throws {
        let dir = TemporaryDirectory()
        let path = try writeTwoRunDatabase(dir)
        let report = try ComparisonReport.load(path: path, baseline: "vllm")
        let html = try HTMLReport(report: report, title: "Study <1>").render()

        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Study &lt;1&gt;</title>"))
        // Self-contained: no scripts, no external resources.
        #expect(!html.contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))

        for section in ["runs", "results", "throughput", "latency", "memory", "preemptions", "step-time"] {
            #expect(html.contains("<section id=\"\(section)\">"), "section \(section)")
        }
        let svgs = Self.svgElements(html)
        let ids = svgs.compactMap { svg -> String? in
            guard let r = svg.range(of: "id=\""), let e = svg.range(of: "\"", range: r.upperBound..<svg.endIndex) else {
                return nil
            }
            return String(svg[r.upperBound..<e.lowerBound])
        }
        for id in HTMLReport.chartIDs { #expect(ids.contains(id), "chart \(id)") }
        // One memory panel per (run, policy) result: 2 runs × 2 policies.
        #expect(ids.filter { $0.hasPrefix("chart-memory-") }.count == 4)
        #expect(ids.contains("chart-preemptions-time"))

        let titles = Dictionary(uniqueKeysWithValues: zip(ids, svgs.map { Self.title(of: $0) ?? "" }))
        #expect(titles["chart-throughput-requests"] == "Request throughput")
        #expect(titles["chart-throughput-tokens"] == "Output token throughput")
        #expect(titles["chart-ttft-cdf"] == "Time to first token (TTFT)")
        #expect(titles["chart-tpot-cdf"] == "Time per output token (TPOT)")
        #expect(titles["chart-preemptions"] == "Preemptions")
        #expect(titles["chart-step-time"] == "Where the step time goes")
        #expect(titles["chart-memory-1"] == "vllm · a")

        // Every chart parses as XML.
        for (id, svg) in zip(ids, svgs) {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "chart \(id) is not well-formed: \(String(describing: parser.parserError))")
        }
    }

    @Test func chartsShowTheData() throws {
        let dir = TemporaryDirectory()
        let path = try writeTwoRunDatabase(dir)
        let html = try HTMLReport(report: try ComparisonReport.load(path: path)).render()
        let svgs = Self.svgElements(html)
        let throughput = try #require(svgs.first { $0.contains("id=\"chart-throughput-requests\"") })
        // One bar per result (2 runs × 2 policies), each with its value; tangram of run b is
        // 4 req/s, twice vllm's 2 req/s.
        #expect(throughput.components(separatedBy: "<rect ").count - 1 == 4)
        #expect(throughput.contains(">4.00<tspan class=\"annotation\" dx=\"6\">2.00× vllm</tspan>"))
        #expect(throughput.contains(">baseline</tspan>"))
        // Axes and units.
        #expect(throughput.contains("requests per second (req/s)"))
        let memory = try #require(svgs.first { $0.contains("id=\"chart-memory-1\"") })
        for series in ["allocated", "used", "trapped", "reserved", "KV memory (GiB)", "simulated time (s)"] {
            #expect(memory.contains(">\(series)<"), "\(series)")
        }
        // Peak 4 GiB of 40: under 40 % of the capacity, so the axis zooms in and says so.
        #expect(memory.contains(">Capacity 40.0 GiB (off the scale: the axis is zoomed to the data)<"))
        // The stacked step-time bar: each part of the 0.46875 s step is drawn; the total reads
        // 468.75 ms.
        let steps = try #require(svgs.first { $0.contains("id=\"chart-step-time\"") })
        #expect(steps.contains(">468.75 ms<"))
        // The four non-zero parts have legend entries; parts that are zero everywhere do not.
        for label in ["Linear layers (GEMM)", "Prefill attention", "Decode attention", "Scheduling (host)"] {
            #expect(steps.contains(">\(label)<"), "\(label)")
        }
        #expect(!steps.contains(">Reclamation<"))
        // Results table with speed-ups.
        #expect(html.contains("<span class=\"factor better\">2.00×</span>"))
    }

    @Test func worksWithoutStepSamples() throws {
        let dir = TemporaryDirectory()
        let out = try RunOutput(directory: nil, run: Fixtures.run, database: dir.file("db.sqlite"))
        for i in 0..<3 { try out.record(policy: "vllm", Fixtures.record(i)) }
        try out.finish(summaries: [Fixtures.summary("vllm")])
        let html = try HTMLReport(report: try ComparisonReport.load(path: dir.file("db.sqlite"))).render()
        #expect(html.contains("no step samples"))
        for id in HTMLReport.chartIDs { #expect(html.contains("id=\"\(id)\""), "chart \(id)") }
        #expect(!html.contains("chart-memory-1"))
    }

    @Test func writesAtomically() throws {
        let dir = TemporaryDirectory()
        let path = try writeTwoRunDatabase(dir)
        try HTMLReport(report: try ComparisonReport.load(path: path)).write(to: dir.file("r.html"))
        #expect(dir.entries() == ["r.html", "study.sqlite"])
        #expect(dir.text("r.html").hasSuffix("</html>\n"))
    }

    /// A schema-1 file (no steps, sessions or status) still reports.
    @Test func readsASchemaVersionOneDatabase() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("v1.sqlite")
        do {
            let db = try SQLiteDatabase(path: path)
            try db.execute(
                """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                INSERT INTO meta VALUES ('schema_version', '1');
                CREATE TABLE runs (run_id INTEGER PRIMARY KEY, name TEXT NOT NULL, model TEXT NOT NULL,
                  gpu TEXT NOT NULL, workload TEXT NOT NULL, seed INTEGER, tool_version TEXT NOT NULL,
                  calibration_id TEXT, configuration_json TEXT NOT NULL);
                INSERT INTO runs VALUES (1, '', 'M', 'G', 'w', 1, '0.0.1', NULL, '{}');
                CREATE TABLE summary (run_id INTEGER NOT NULL, policy TEXT NOT NULL, throughput_req_s REAL,
                  ttft_p50_s REAL, preemptions INTEGER);
                INSERT INTO summary VALUES (1, 'vllm', 2.0, 0.5, 3), (1, 'tangram', 3.0, 0.25, 1);
                CREATE TABLE requests (run_id INTEGER NOT NULL, policy TEXT NOT NULL, ttft_s REAL, tpot_s REAL,
                  output_tokens INTEGER);
                INSERT INTO requests VALUES (1, 'vllm', 0.5, 0.01, 10), (1, 'tangram', 0.25, 0.01, 10);
                PRAGMA user_version = 1;
                """)
            try db.close()
        }
        let report = try ComparisonReport.load(path: path)
        #expect(report.data.schemaVersion == 1)
        #expect(report.data.runs.first?.status == "complete")
        #expect(!report.data.hasSteps)
        // Only the columns the file has: req/s, TTFT p50 and preemptions.
        #expect(report.resultMetrics.map(\.column) == ["throughput_req_s", "ttft_p50_s", "preemptions"])
        let text = report.renderText()
        #expect(text.contains("1.50×"))  // 3 / 2
        #expect(text.contains("2.00×"))  // 0.5 / 0.25
        let html = try HTMLReport(report: report).render()
        for id in HTMLReport.chartIDs { #expect(html.contains("id=\"\(id)\""), "chart \(id)") }
    }
}
