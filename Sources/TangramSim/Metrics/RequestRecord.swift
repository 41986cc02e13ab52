/// One finished request (one turn of one session), as written to `requests.csv`.
///
/// Times are seconds from the start of the simulation.
public struct RequestRecord: Sendable, Hashable {
    /// Request id, in order of arrival within a run.
    public var requestID: Int
    public var sessionID: Int
    /// 0-based turn index within the session.
    public var turn: Int
    public var arrivalSeconds: Double
    public var firstTokenSeconds: Double
    public var finishSeconds: Double
    /// Prompt length: the whole history plus the new input.
    public var promptTokens: Int
    /// Prompt tokens served from the prefix cache when the request was first scheduled.
    public var cachedTokens: Int
    public var outputTokens: Int
    /// Times the request was preempted (and later recomputed).
    public var preemptions: Int

    public init(requestID: Int, sessionID: Int, turn: Int, arrivalSeconds: Double, firstTokenSeconds: Double,
                finishSeconds: Double, promptTokens: Int, cachedTokens: Int, outputTokens: Int, preemptions: Int) {
        self.requestID = requestID
        self.sessionID = sessionID
        self.turn = turn
        self.arrivalSeconds = arrivalSeconds
        self.firstTokenSeconds = firstTokenSeconds
        self.finishSeconds = finishSeconds
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.outputTokens = outputTokens
        self.preemptions = preemptions
    }

    /// Time to first token.
    public var ttftSeconds: Double { firstTokenSeconds - arrivalSeconds }
    /// Mean time per output token after the first; 0 for single-token replies.
    public var tpotSeconds: Double {
        outputTokens > 1 ? (finishSeconds - firstTokenSeconds) / Double(outputTokens - 1) : 0
    }
    /// End-to-end latency.
    public var e2eSeconds: Double { finishSeconds - arrivalSeconds }
}
