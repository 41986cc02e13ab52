import Foundation
import GPUModel
import TangramSim
import Testing
import Workloads

@testable import Reports

/// A real (small) simulation written through RunOutput, read back by the report.
@Suite struct EndToEndReportTests {
    static let policies = ["vllm", "tangram"]
    static let sessions = 12

    /// Simulates the chat preset for each policy, recording requests and 1-s step samples.
    static func simulate(into out: RunOutput) throws -> [PolicySummary] {
        let model = try ModelCatalog.model(named: "llama-3.1-8b")
        let gpu = try GPUCatalog.gpu(named: "h200")
        var summaries: [PolicySummary] = []
        for name in policies {
            let simulation = try Simulation(
                setup: SimulationSetup(model: model, gpu: gpu, policy: try Policy.named(name)))
            var source = SyntheticChatGenerator(config: .chat(sessionCount: sessions, seed: 7))
            summaries.append(
                try simulation.run(
                    &source, sampleIntervalSeconds: 1, onStep: { try out.record(policy: name, step: $0) }
                ) {
                    try out.record(policy: name, $0)
                })
        }
        return summaries
    }

    @Test func simulatedRunIsReportedWithEveryChart() throws {
        let dir = TemporaryDirectory()
        let run = RunMetadata(model: "Llama-3.1-8B", gpu: "H200", workload: "chat", seed: 7, toolVersion: "test")
        let out = try RunOutput(directory: dir.file("out"), run: run, database: dir.file("study.sqlite"))
        let summaries = try Self.simulate(into: out)
        let saved = try out.finish(summaries: summaries)
        #expect(saved.stepCount > 0)
        #expect(saved.requestCount == summaries.map(\.completedRequests).reduce(0, +))

        // Every session of every policy appears once in sessions.csv, with as many turns as it
        // has rows in requests.csv.
        let requests = try CSVReader.read(path: dir.file("out/requests.csv")).dropFirst()
        var turns: [String: Int] = [:]
        for r in requests { turns["\(r[0])/\(r[2])", default: 0] += 1 }
        let sessions = try CSVReader.read(path: dir.file("out/sessions.csv")).dropFirst()
        #expect(sessions.count == turns.count)
        for s in sessions { #expect(turns["\(s[0])/\(s[1])"] == Int(s[2])) }

        // The steps' own invariants: used ≤ allocated ≤ capacity, step_s is the sum of its parts.
        let db = try RunDatabase.openForReading(dir.file("study.sqlite"))
        let parts = ReportSchema.stepTimeComponents.map(\.column).joined(separator: " + ")
        let bad = try db.query(
            """
            SELECT count(*) FROM steps WHERE kv_used_bytes > kv_allocated_bytes OR kv_allocated_bytes > kv_capacity_bytes \
            OR abs(step_s - (\(parts))) > 1e-9 * step_s
            """)
        #expect(bad.first?[0] == .integer(0))

        let report = try ComparisonReport.load(path: dir.file("study.sqlite"))
        #expect(report.data.hasSteps)
        let html = try HTMLReport(report: report).render()
        for id in HTMLReport.chartIDs + ["chart-memory-1", "chart-memory-2", "chart-preemptions-time"] {
            #expect(html.contains("id=\"\(id)\""), "chart \(id)")
        }
        if let keep = ProcessInfo.processInfo.environment["REPORTS_TEST_KEEP_DIR"] {
            // Debugging aid: keep the database and the page to look at.
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try AtomicFile.write(html, to: keep + "/end-to-end.html")
            try AtomicFile.write(dir.bytes("study.sqlite"), to: keep + "/end-to-end.sqlite")
        }
    }
}
