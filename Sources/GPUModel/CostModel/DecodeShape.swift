/// The KV extent of one decoding request under a compressed layout.
public struct DecodeShape: Sendable, Hashable {
    /// Context length the request's compression was applied to (0: nothing compressed).
    public var compressedContextTokens: Int32
    /// Tokens appended uncompressed since compression (or the whole context when nothing was compressed).
    public var appendedTokens: Int32

    public init(compressedContextTokens: Int32, appendedTokens: Int32) {
        self.compressedContextTokens = compressedContextTokens
        self.appendedTokens = appendedTokens
    }
}
