/// A set of layers that share one block table per request, after vLLM V1's KV cache groups.
///
/// A model with only full attention has one group holding every layer. A hybrid model (sliding
/// window plus full layers) is cut into groups of equally many layers, each all-full or
/// all-sliding, so that every pool block has the same size; a sliding group keeps at most its
/// window of tokens per request and frees blocks that fall out of it.
public struct KVGroup: Sendable, Hashable {
    /// Layers whose KV one block of this group holds.
    public var layerCount: Int
    /// Sliding window in tokens, or `nil` for full attention.
    public var windowTokens: Int?

    public init(layerCount: Int, windowTokens: Int?) {
        self.layerCount = layerCount
        self.windowTokens = windowTokens
    }
}
