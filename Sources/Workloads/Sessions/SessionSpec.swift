/// A conversation: when it starts and the turns it will make.
public struct SessionSpec: Sendable, Hashable {
    /// Identifier, unique within one workload.
    public var id: Int
    /// Seconds from the start of the workload at which the first turn arrives.
    public var arrivalSeconds: Double
    /// The turns, in order; at least one.
    public var turns: [TurnSpec]
    /// Leading tokens of the first turn that other sessions share (a system prompt or a
    /// document), or `nil` when the session shares nothing with other sessions.
    ///
    /// Optional: engines that ignore it simulate no cross-session prefix reuse. When present,
    /// `sharedPrefix.tokens <= turns[0].newInputTokens`.
    public var sharedPrefix: SharedPrefix?

    /// Creates a session; `sharedPrefix` defaults to none.
    public init(id: Int, arrivalSeconds: Double, turns: [TurnSpec], sharedPrefix: SharedPrefix? = nil) {
        self.id = id
        self.arrivalSeconds = arrivalSeconds
        self.turns = turns
        self.sharedPrefix = sharedPrefix
    }
}
