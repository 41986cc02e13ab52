/// One latency objective: a statistic of a latency metric must stay at or below (or strictly
/// below) a limit, e.g. `ttft_p99<=2s`.
public struct ServiceLevelObjective: Sendable, Hashable {
    /// The latency being bounded.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        /// Time to first token.
        case ttft
        /// Time per output token after the first (requests with more than one output token).
        case tpot
        /// End-to-end latency.
        case e2e
    }

    /// Which statistic of the metric over the measured requests.
    public enum Statistic: String, Sendable, Hashable, CaseIterable {
        case mean, p50, p90, p99
    }

    /// The latency bounded.
    public var metric: Metric
    /// Which statistic of it.
    public var statistic: Statistic
    /// The limit in seconds.
    public var limitSeconds: Double
    /// `true` for `<=`, `false` for `<`.
    public var inclusive: Bool

    /// Creates an objective.
    public init(metric: Metric, statistic: Statistic, limitSeconds: Double, inclusive: Bool = true) {
        self.metric = metric
        self.statistic = statistic
        self.limitSeconds = limitSeconds
        self.inclusive = inclusive
    }

    /// The objective's name, e.g. `ttft_p99`.
    public var name: String { "\(metric.rawValue)_\(statistic.rawValue)" }

    /// The statistic's value in seconds.
    public func observedSeconds(ttft: LatencySummary, tpot: LatencySummary, e2e: LatencySummary) -> Double {
        let summary: LatencySummary
        switch metric {
        case .ttft: summary = ttft
        case .tpot: summary = tpot
        case .e2e: summary = e2e
        }
        switch statistic {
        case .mean: return summary.mean
        case .p50: return summary.p50
        case .p90: return summary.p90
        case .p99: return summary.p99
        }
    }

    /// Whether `seconds` meets the objective.
    public func isMet(bySeconds seconds: Double) -> Bool {
        guard seconds.isFinite else { return false }
        return inclusive ? seconds <= limitSeconds : seconds < limitSeconds
    }
}

extension ServiceLevelObjective: CustomStringConvertible {
    /// The objective as the command line writes it, limits in seconds: `ttft_p99<=2s`.
    public var description: String { "\(name)\(inclusive ? "<=" : "<")\(limitSeconds)s" }
}
