/// Mean and percentiles of one latency metric, in seconds.
public struct LatencySummary: Sendable, Hashable, Codable {
    public var mean: Double
    public var p50: Double
    public var p90: Double
    public var p99: Double

    public init(mean: Double = 0, p50: Double = 0, p90: Double = 0, p99: Double = 0) {
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
    }
}
