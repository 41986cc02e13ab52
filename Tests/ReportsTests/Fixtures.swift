import GPUModel
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
        s.rejectedRequests = 2
        s.outputTokens = 15  // 3 requests of 5 tokens
        return s
    }

    static let gib = 1_073_741_824.0  // 2^30

    /// Step sample `i`: at i s, step 10 i; parts of the step are exact binary fractions
    /// (GEMM 0.25 + prefill 0.125 + decode 0.0625 + overhead 0.03125 = 0.46875 s, the other
    /// parts 0; ideal decode 0.015625 s, not in the total); KV: capacity 40 GiB, allocated
    /// (i + 1) GiB, used half of it, trapped i / 4 GiB, reserved i / 8 GiB.
    static func step(_ i: Int) -> StepSample {
        var cost = StepCost()
        cost.gemmSeconds = 0.25
        cost.prefillAttentionSeconds = 0.125
        cost.decodeAttentionSeconds = 0.0625
        cost.communicationSeconds = 0
        cost.overheadSeconds = 0.03125
        cost.decodeAttentionIdealSeconds = 0.015625
        return StepSample(
            timeSeconds: Double(i), stepIndex: 10 * i, runningRequests: i + 1, waitingRequests: i % 2,
            prefillTokens: 256 * i, prefillSequences: 1, decodeSequences: i, cost: cost, kvCapacityBytes: 40 * gib,
            kvAllocatedBytes: Double(i + 1) * gib, kvUsedBytes: Double(i + 1) * gib / 2,
            kvTrappedBytes: Double(i) * gib / 4, kvReservedBytes: Double(i) * gib / 8, preemptionsSoFar: i / 2)
    }

    static let policies = ["vllm", "tangram, \"v2\""]

    /// Writes the standard two-policy run (three requests each) into `directory`.
    static func writeStandardRun(to directory: String) throws {
        let out = try RunOutput(directory: directory, run: run)
        for policy in policies {
            for i in 0..<3 { try out.record(policy: policy, step: step(i)) }
            for i in 0..<3 { try out.record(policy: policy, record(i)) }
        }
        try out.finish(summaries: policies.map(summary))
    }

    /// A summary with chosen throughput and latency, for comparison tests.
    static func summary(_ policy: String, requestsPerSecond: Double, ttftP50Seconds: Double) -> PolicySummary {
        var s = summary(policy)
        s.throughputRequestsPerSecond = requestsPerSecond
        s.ttft.p50 = ttftP50Seconds
        return s
    }
}
