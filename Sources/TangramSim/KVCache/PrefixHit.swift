/// Blocks of a request's prefix found in the prefix cache, not yet taken.
public struct PrefixHit: Sendable {
    /// Tokens covered by the hit (a multiple of the block size).
    public var tokens: Int
    /// Per KV group, the hit blocks in order; -1 where a sliding window needs no block.
    public var blocks: [[Int32]]
    /// Hit blocks that are currently free and would leave the free queue when taken.
    public var freeBlocksTaken: Int

    public static func none(groupCount: Int) -> PrefixHit {
        PrefixHit(tokens: 0, blocks: Array(repeating: [], count: groupCount), freeBlocksTaken: 0)
    }
}
