/// How one transformer layer attends over its context.
public enum AttentionKind: Sendable, Hashable {
    /// Every query attends to the whole context; the layer's KV grows with context length.
    case full
    /// Each query attends to at most the last `windowTokens` tokens; the layer's KV is bounded.
    case slidingWindow(windowTokens: Int)

    /// The window in tokens, or `nil` for full attention.
    public var windowTokens: Int? {
        switch self {
        case .full: return nil
        case .slidingWindow(let w): return w
        }
    }
}
