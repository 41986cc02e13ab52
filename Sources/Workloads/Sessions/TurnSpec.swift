/// One turn of a conversation: the user's new tokens, the reply's length, and the pause before it.
///
/// A turn's prompt, as the serving engine sees it, is the whole conversation so far (every
/// earlier turn's input and output) followed by ``newInputTokens``. The simulator derives that
/// history; a turn only states what is new.
public struct TurnSpec: Sendable, Hashable {
    /// Tokens the user adds in this turn (the new part of the prompt).
    public var newInputTokens: Int
    /// Tokens the model generates in reply.
    public var outputTokens: Int
    /// Seconds the user thinks between the end of the previous turn's reply and this turn's
    /// arrival. Ignored (and conventionally 0) for a session's first turn, which arrives at the
    /// session's arrival time.
    public var thinkTimeSeconds: Double

    public init(newInputTokens: Int, outputTokens: Int, thinkTimeSeconds: Double = 0) {
        self.newInputTokens = newInputTokens
        self.outputTokens = outputTokens
        self.thinkTimeSeconds = thinkTimeSeconds
    }
}
