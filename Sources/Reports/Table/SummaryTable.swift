import TangramSim

/// The per-policy summary as an aligned plain-text table for the terminal.
///
/// Columns: `policy`, `req/s`, `out tok/s`, `TTFT p50 s`, `TTFT p99 s`, `TPOT p50 ms`,
/// `TPOT p99 ms`, `preempt`, `KV used GiB` (peak bytes holding tokens), `KV cap GiB` (capacity).
/// The policy column is left-aligned, numbers right-aligned with fixed decimals; columns are
/// separated by two spaces and lines carry no trailing spaces. 1 GiB = 2^30 bytes.
///
/// ```
/// policy  req/s  out tok/s  TTFT p50 s  TTFT p99 s  TPOT p50 ms  TPOT p99 ms  preempt  KV used GiB  KV cap GiB
/// ------  -----  ---------  ----------  ----------  -----------  -----------  -------  -----------  ----------
/// vllm    12.34     2345.6       0.123       0.456        12.34        23.45        0        40.12       45.00
/// ```
public struct SummaryTable: Sendable {
    /// One summary per policy, in row order.
    public var summaries: [PolicySummary]

    /// Creates a table.
    ///
    /// - Parameter summaries: One summary per policy.
    public init(summaries: [PolicySummary]) {
        self.summaries = summaries
    }

    /// Column headings, in order.
    public static let headings = [
        "policy", "req/s", "out tok/s", "TTFT p50 s", "TTFT p99 s", "TPOT p50 ms", "TPOT p99 ms", "preempt",
        "KV used GiB", "KV cap GiB",
    ]

    /// The table: a heading line, a dashed rule, one line per policy; every line ends with `\n`.
    public func render() -> String {
        let bytesPerGiB = 1_073_741_824.0  // 2^30
        let rows: [[String]] = summaries.map { s in
            [
                s.policy,
                Self.fixed(s.throughputRequestsPerSecond, decimals: 2),
                Self.fixed(s.throughputOutputTokensPerSecond, decimals: 1),
                Self.fixed(s.ttft.p50, decimals: 3),
                Self.fixed(s.ttft.p99, decimals: 3),
                Self.fixed(s.tpot.p50 * 1000, decimals: 2),
                Self.fixed(s.tpot.p99 * 1000, decimals: 2),
                String(s.preemptions),
                Self.fixed(s.kvPeakUsedBytes / bytesPerGiB, decimals: 2),
                Self.fixed(s.kvCapacityBytes / bytesPerGiB, decimals: 2),
            ]
        }
        return TextTable(headings: Self.headings, rows: rows).render()
    }

    /// `value` rounded half away from zero to `decimals` places, in plain decimal notation
    /// (`fixed(1.5, decimals: 2) == "1.50"`). Values whose scaled magnitude reaches 2^53, NaN and
    /// infinities fall back to `"\(value)"`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        NumberText.fixed(value, decimals: decimals)
    }
}
