/// What the engine reports about a request that finished in a step.
public struct FinishedRequest: Sendable {
    public var requestID: Int
    public var sessionSlot: Int
    public var sessionID: Int
    public var turn: Int
    public var arrivalNanoseconds: Int64
    public var firstTokenNanoseconds: Int64
    public var promptTokens: Int
    public var cachedTokens: Int
    public var outputTokens: Int
    public var preemptions: Int
}
