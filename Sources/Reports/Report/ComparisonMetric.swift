/// A summary column shown in the comparison report: its heading, scale and how a speed-up
/// against the baseline is formed.
public struct ComparisonMetric: Sendable, Hashable {
    /// Summary column name.
    public var column: String
    /// Table heading with the displayed unit.
    public var heading: String
    /// Factor from the column's unit to the displayed unit (1000 for s → ms, 2^-30 for bytes → GiB).
    public var scale: Double
    /// Decimals shown.
    public var decimals: Int
    /// Whether a larger value is better (throughput) or a smaller one (latency).
    public var higherIsBetter: Bool

    /// Creates a metric.
    public init(column: String, heading: String, scale: Double = 1, decimals: Int = 2, higherIsBetter: Bool) {
        self.column = column
        self.heading = heading
        self.scale = scale
        self.decimals = decimals
        self.higherIsBetter = higherIsBetter
    }

    /// The speed-up of `value` over `baseline`: `value / baseline` when higher is better,
    /// `baseline / value` when lower is better, so above 1 always means better than the baseline.
    /// `nil` when either is missing, not finite, or the divisor is 0.
    public func speedup(_ value: Double?, over baseline: Double?) -> Double? {
        guard let value, let baseline, value.isFinite, baseline.isFinite else { return nil }
        let (numerator, denominator) = higherIsBetter ? (value, baseline) : (baseline, value)
        guard denominator != 0 else { return nil }
        return numerator / denominator
    }

    /// Columns of the absolute-results table.
    public static let results: [ComparisonMetric] = [
        ComparisonMetric(column: "throughput_req_s", heading: "req/s", decimals: 2, higherIsBetter: true),
        ComparisonMetric(column: "throughput_output_tok_s", heading: "out tok/s", decimals: 1, higherIsBetter: true),
        ComparisonMetric(column: "ttft_p50_s", heading: "TTFT p50 s", decimals: 3, higherIsBetter: false),
        ComparisonMetric(column: "ttft_p99_s", heading: "TTFT p99 s", decimals: 3, higherIsBetter: false),
        ComparisonMetric(column: "tpot_p50_s", heading: "TPOT p50 ms", scale: 1000, decimals: 2, higherIsBetter: false),
        ComparisonMetric(column: "tpot_p99_s", heading: "TPOT p99 ms", scale: 1000, decimals: 2, higherIsBetter: false),
        ComparisonMetric(column: "e2e_p50_s", heading: "E2E p50 s", decimals: 2, higherIsBetter: false),
        ComparisonMetric(column: "preemptions", heading: "preempt", decimals: 0, higherIsBetter: false),
        ComparisonMetric(
            column: "kv_peak_used_bytes", heading: "KV used GiB", scale: 1.0 / 1_073_741_824, decimals: 2,
            higherIsBetter: false),
        ComparisonMetric(
            column: "kv_peak_trapped_bytes", heading: "KV trapped GiB", scale: 1.0 / 1_073_741_824, decimals: 2,
            higherIsBetter: false),
        ComparisonMetric(
            column: "fragmentation_fraction", heading: "frag %", scale: 100, decimals: 1, higherIsBetter: false),
    ]

    /// Columns of the speed-up table.
    public static let speedups: [ComparisonMetric] = [
        ComparisonMetric(column: "throughput_req_s", heading: "req/s", higherIsBetter: true),
        ComparisonMetric(column: "throughput_output_tok_s", heading: "out tok/s", higherIsBetter: true),
        ComparisonMetric(column: "ttft_p50_s", heading: "TTFT p50", higherIsBetter: false),
        ComparisonMetric(column: "ttft_p99_s", heading: "TTFT p99", higherIsBetter: false),
        ComparisonMetric(column: "tpot_p50_s", heading: "TPOT p50", higherIsBetter: false),
        ComparisonMetric(column: "tpot_p99_s", heading: "TPOT p99", higherIsBetter: false),
        ComparisonMetric(column: "e2e_p50_s", heading: "E2E p50", higherIsBetter: false),
    ]
}
