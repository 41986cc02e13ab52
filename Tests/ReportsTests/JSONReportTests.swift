import Foundation
import TangramSim
import Testing

@testable import Reports

@Suite struct JSONReportTests {
    static let requiredTopKeys = ["version", "model", "gpu", "workload", "policies"]
    /// Keys required by issue 2, in the order the issue lists them.
    static let requiredPolicyKeys = [
        "policy", "completed_requests", "completed_sessions", "simulated_duration_s", "throughput_req_s",
        "throughput_output_tok_s", "ttft_s", "tpot_s", "e2e_s", "preemptions", "kv_capacity_bytes",
        "kv_peak_allocated_bytes", "kv_peak_used_bytes", "sim_iterations", "sim_wall_s",
    ]

    func parse(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func containsTheRequiredKeys() throws {
        let report = JSONReport(run: Fixtures.run, summaries: Fixtures.policies.map(Fixtures.summary))
        let json = try parse(report.render())
        for key in Self.requiredTopKeys { #expect(json[key] != nil, "missing \(key)") }
        #expect((json["version"] as? NSNumber)?.intValue == 1)
        #expect(json["model"] as? String == "Llama-3.1-8B")
        #expect(json["gpu"] as? String == "H200")
        #expect(json["workload"] as? String == "unit \"fixture\", v1")
        let policies = try #require(json["policies"] as? [[String: Any]])
        #expect(policies.count == 2)
        #expect(policies.map { $0["policy"] as? String } == Fixtures.policies)
        for policy in policies {
            for key in Self.requiredPolicyKeys { #expect(policy[key] != nil, "missing \(key)") }
            for latencyKey in ["ttft_s", "tpot_s", "e2e_s"] {
                let latency = try #require(policy[latencyKey] as? [String: Any])
                #expect(Set(latency.keys) == ["mean", "p50", "p90", "p99"])
            }
        }
        let first = policies[0]
        #expect((first["completed_requests"] as? NSNumber)?.intValue == 3)
        #expect((first["throughput_req_s"] as? NSNumber)?.doubleValue == 0.3)
        #expect(((first["ttft_s"] as? [String: Any])?["p90"] as? NSNumber)?.doubleValue == 0.75)
        #expect((first["kv_capacity_bytes"] as? NSNumber)?.int64Value == 42_949_672_960)
        #expect((first["sim_wall_s"] as? NSNumber)?.doubleValue == 1.234)
    }

    @Test func keyOrderIsStable() {
        let text = JSONReport(run: Fixtures.run, summaries: [Fixtures.summary("vllm")]).render()
        let topPositions = Self.requiredTopKeys.compactMap { text.range(of: "\"\($0)\":")?.lowerBound }
        #expect(topPositions.count == Self.requiredTopKeys.count)
        #expect(topPositions == topPositions.sorted())
        let policyPositions = Self.requiredPolicyKeys.compactMap { text.range(of: "\"\($0)\":")?.lowerBound }
        #expect(policyPositions.count == Self.requiredPolicyKeys.count)
        #expect(policyPositions == policyPositions.sorted())
    }

    @Test func nonFiniteNumbersBecomeNull() throws {
        var summary = Fixtures.summary("vllm")
        summary.tpot = LatencySummary(mean: .nan, p50: .infinity, p90: 0, p99: 0)
        let json = try parse(JSONReport(run: Fixtures.run, summaries: [summary]).render())
        let tpot = try #require(((json["policies"] as? [[String: Any]])?.first?["tpot_s"]) as? [String: Any])
        #expect(tpot["mean"] is NSNull)
        #expect(tpot["p50"] is NSNull)
    }

    @Test func stringsAreEscaped() throws {
        var run = Fixtures.run
        run.model = "quote \" backslash \\ newline \n tab \t bell \u{07} ünï"
        run.seed = nil
        let json = try parse(JSONReport(run: run, summaries: []).render())
        #expect(json["model"] as? String == run.model)
        #expect(json["seed"] is NSNull)
        #expect((json["policies"] as? [Any])?.isEmpty == true)
    }

    @Test func writesAtomicallyToAFile() throws {
        let dir = TemporaryDirectory()
        let report = JSONReport(run: Fixtures.run, summaries: [Fixtures.summary("vllm")])
        try report.write(to: dir.file("r.json"))
        #expect(dir.entries() == ["r.json"])
        #expect(dir.text("r.json") == report.render())
    }
}
