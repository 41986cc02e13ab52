/// How an SCBench workload turns a task's shared contexts into requests.
///
/// SCBench itself asks several questions per context (``multiTurn``). The Tangram code's
/// throughput benchmark (aiha-lab/tangram, `benchmarks/tangram/benchmark_performance.sh` driving
/// `benchmark_scbench.py`) uses a *performance* protocol instead: one question per context
/// (`--single-turn`) and exactly `MAX_TOKENS` = 512 output tokens per request
/// (`--force-exact-tokens`, so decode work is identical across settings), 10 conversations per
/// dataset by default (`NUM=10`), all submitted in one offline `generate` call, with the
/// uncompressed run (ratio 0) as the reference.
public enum SCBenchProtocol: String, Sendable, Hashable, CaseIterable {
    /// SCBench's own protocol: ``SCBenchTask/turnsPerSession`` queries per context, each with
    /// the task's own output length.
    case multiTurn = "multi-turn"
    /// The released throughput protocol: one query per context, exactly
    /// ``SCBenchProtocol/performanceOutputTokens`` output tokens.
    case performance

    /// Output tokens of every request under ``performance`` (`MAX_TOKENS` default of
    /// `benchmark_performance.sh`).
    public static let performanceOutputTokens = 512

    /// Conversations per task under ``performance`` (`NUM` default of
    /// `benchmark_performance.sh`).
    public static let performanceConversationsPerTask = 10
}
