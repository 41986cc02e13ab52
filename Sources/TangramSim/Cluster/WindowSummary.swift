/// Latency and throughput of the requests that arrived inside an ``ObservationWindow``.
public struct WindowSummary: Sendable, Hashable {
    /// The window.
    public var window: ObservationWindow
    /// Requests that arrived in the window (all of them finish: turns stop at the window's end
    /// and the run drains).
    public var completedRequests: Int
    /// Requests that arrived in the window and could never fit in a replica's KV cache.
    public var rejectedRequests: Int
    /// Output tokens of the window's requests.
    public var outputTokens: Int
    /// Time to first token of the window's requests.
    public var ttft: LatencySummary
    /// Time per output token after the first, over requests with more than one output token.
    public var tpot: LatencySummary
    /// End-to-end latency.
    public var e2e: LatencySummary

    /// Creates a summary (empty by default).
    public init(window: ObservationWindow, completedRequests: Int = 0, rejectedRequests: Int = 0,
                outputTokens: Int = 0, ttft: LatencySummary = .init(), tpot: LatencySummary = .init(),
                e2e: LatencySummary = .init()) {
        self.window = window
        self.completedRequests = completedRequests
        self.rejectedRequests = rejectedRequests
        self.outputTokens = outputTokens
        self.ttft = ttft
        self.tpot = tpot
        self.e2e = e2e
    }

    /// Output tokens of the window's requests per second of the window: at steady state, the
    /// rate at which the cluster produces output under the window's load.
    public var outputTokensPerSecond: Double {
        window.measuredSeconds > 0 ? Double(outputTokens) / window.measuredSeconds : 0
    }
}
