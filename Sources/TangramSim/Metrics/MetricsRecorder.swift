import Histogram

/// Streams finished requests into latency histograms and counters, in memory independent of the
/// number of requests.
///
/// Percentiles come from HdrHistogram over microseconds with three significant digits (a
/// relative error below 0.1%); means are exact.
struct MetricsRecorder {
    private var ttft = Self.histogram()
    private var tpot = Self.histogram()
    private var e2e = Self.histogram()
    private var ttftSum = 0.0, tpotSum = 0.0, e2eSum = 0.0
    private(set) var completedRequests = 0
    private(set) var tpotSamples = 0
    private(set) var outputTokens = 0
    private(set) var promptTokens = 0
    private(set) var cachedTokens = 0
    private(set) var lastFinishNanoseconds: Int64 = 0

    private static func histogram() -> Histogram<UInt64> {
        // Up to 30 days in microseconds.
        Histogram<UInt64>(highestTrackableValue: 30 * 86_400 * 1_000_000, numberOfSignificantValueDigits: .three)
    }

    private static func micros(_ seconds: Double) -> UInt64 { UInt64(max(0, (seconds * 1e6).rounded())) }

    mutating func record(_ r: RequestRecord, finishNanoseconds: Int64) {
        completedRequests += 1
        outputTokens += r.outputTokens
        promptTokens += r.promptTokens
        cachedTokens += r.cachedTokens
        lastFinishNanoseconds = max(lastFinishNanoseconds, finishNanoseconds)
        ttftSum += r.ttftSeconds
        e2eSum += r.e2eSeconds
        _ = ttft.record(Self.micros(r.ttftSeconds))
        _ = e2e.record(Self.micros(r.e2eSeconds))
        if r.outputTokens > 1 {
            tpotSamples += 1
            tpotSum += r.tpotSeconds
            _ = tpot.record(Self.micros(r.tpotSeconds))
        }
    }

    private static func summary(_ h: Histogram<UInt64>, sum: Double, count: Int) -> LatencySummary {
        guard count > 0 else { return LatencySummary() }
        func p(_ q: Double) -> Double { Double(h.valueAtPercentile(q)) / 1e6 }
        return LatencySummary(mean: sum / Double(count), p50: p(50), p90: p(90), p99: p(99))
    }

    var ttftSummary: LatencySummary { Self.summary(ttft, sum: ttftSum, count: completedRequests) }
    var tpotSummary: LatencySummary { Self.summary(tpot, sum: tpotSum, count: tpotSamples) }
    var e2eSummary: LatencySummary { Self.summary(e2e, sum: e2eSum, count: completedRequests) }

    /// A summary holding the request-derived fields (counts, throughput, latencies, tokens);
    /// the engine adds the memory and scheduling counters it owns.
    func summary(policy: String) -> PolicySummary {
        var summary = PolicySummary(policy: policy)
        summary.completedRequests = completedRequests
        let duration = SimTime.seconds(fromNanoseconds: lastFinishNanoseconds)
        summary.simulatedDurationSeconds = duration
        if duration > 0 {
            summary.throughputRequestsPerSecond = Double(completedRequests) / duration
            summary.throughputOutputTokensPerSecond = Double(outputTokens) / duration
        }
        summary.outputTokens = outputTokens
        summary.ttft = ttftSummary
        summary.tpot = tpotSummary
        summary.e2e = e2eSummary
        summary.cachedPromptTokens = cachedTokens
        summary.promptTokens = promptTokens
        return summary
    }
}
