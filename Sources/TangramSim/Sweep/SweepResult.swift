/// What one sweep point produced.
public struct SweepResult: Sendable, Hashable {
    /// The point.
    public var point: SweepPoint
    /// The summary written to the run's `summary` row. In steady mode the request counts,
    /// output tokens, throughput, latency percentiles and duration are the measured window's;
    /// memory, preemptions and other counters cover the whole probe.
    public var summary: PolicySummary
    /// The cluster's full summary.
    public var cluster: ClusterSummary
    /// Every finished request (only when asked for), in finishing order.
    public var requests: [RequestRecord]

    /// Creates a result.
    public init(point: SweepPoint, summary: PolicySummary, cluster: ClusterSummary, requests: [RequestRecord]) {
        self.point = point
        self.summary = summary
        self.cluster = cluster
        self.requests = requests
    }
}
