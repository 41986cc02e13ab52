/// Tokens at the start of a session's first prompt that other sessions of the same workload
/// share (a system prompt, a shared document), named by content-addressed block ids.
///
/// The first turn's ``TurnSpec/newInputTokens`` begins with `blockIDs.count * blockTokens`
/// tokens laid out as consecutive blocks of ``blockTokens`` tokens each. Two sessions share their
/// first `k` blocks exactly when their first `k` block ids are equal: an id stands for the same
/// tokens after the same predecessors in every session of the workload (the convention of
/// Mooncake's `hash_ids`). An engine with prefix caching may therefore reuse KV of the longest
/// leading run of ids that is already resident. Ids are only meaningful within one workload.
///
/// Later turns need no ids: their history is the session's own earlier turns.
public struct SharedPrefix: Sendable, Hashable {
    /// Tokens per block (512 in Mooncake traces; the whole prefix when ``blockIDs`` has one id).
    public var blockTokens: Int
    /// Ids of the leading blocks, in prompt order; at least one.
    public var blockIDs: [Int]

    /// Creates a shared prefix of `blockIDs.count` blocks of `blockTokens` tokens.
    public init(blockTokens: Int, blockIDs: [Int]) {
        self.blockTokens = blockTokens
        self.blockIDs = blockIDs
    }

    /// Total shared tokens: `blockTokens * blockIDs.count`.
    public var tokens: Int { blockTokens * blockIDs.count }
}
