import Reports
import TangramSim

/// Inputs with values chosen so that every expected output can be worked out by hand: all times
/// are exact binary fractions.
enum Fixtures {
    static let run = RunMetadata(
        name: "unit", model: "Llama-3.1-8B", gpu: "H200", workload: "unit \"fixture\", v1", seed: 7,
        toolVersion: "0.0-test", configurationJSON: "{\"tp\":1}")

    /// Request `i`: arrives at i s, first token at i + 0.5 s, finishes at i + 2.5 s with 5 output
    /// tokens, so ttft = 0.5 s, tpot = (2.5 - 0.5) / 4 = 0.5 s, e2e = 2.5 s.
    static func record(_ i: Int) -> RequestRecord {
        RequestRecord(
            requestID: i, sessionID: i / 3, turn: i % 3, arrivalSeconds: Double(i),
            firstTokenSeconds: Double(i) + 0.5, finishSeconds: Double(i) + 2.5, promptTokens: 100 + i,
            cachedTokens: 64, outputTokens: 5, preemptions: i % 2)
    }

    static func summary(_ policy: String) -> PolicySummary {
        var s = PolicySummary(policy: policy)
        s.completedRequests = 3
        s.completedSessions = 1
        s.simulatedDurationSeconds = 10
        s.throughputRequestsPerSecond = 0.3
        s.throughputOutputTokensPerSecond = 1.5
        s.ttft = LatencySummary(mean: 0.5, p50: 0.5, p90: 0.75, p99: 1)
        s.tpot = LatencySummary(mean: 0.0125, p50: 0.0125, p90: 0.025, p99: 0.05)
        s.e2e = LatencySummary(mean: 2.5, p50: 2.5, p90: 3, p99: 4)
        s.preemptions = 1
        s.kvCapacityBytes = 42_949_672_960  // 40 GiB
        s.kvPeakAllocatedBytes = 1_073_741_824  // 1 GiB
        s.kvPeakUsedBytes = 536_870_912  // 0.5 GiB
        s.cachedPromptTokens = 192
        s.promptTokens = 303
        s.simIterations = 50
        s.simWallSeconds = 1.234
        s.costModel = "roofline-placeholder"
        return s
    }

    static let policies = ["vllm", "tangram, \"v2\""]

    /// Writes the standard two-policy run (three requests each) into `directory`.
    static func writeStandardRun(to directory: String) throws {
        let out = try RunOutput(directory: directory, run: run)
        for policy in policies {
            for i in 0..<3 { try out.record(policy: policy, record(i)) }
        }
        try out.finish(summaries: policies.map(summary))
    }
}
