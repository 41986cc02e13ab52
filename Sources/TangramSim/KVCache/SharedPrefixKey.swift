import Workloads

/// The content identity of a session's shared leading tokens, as chained hashes: entry `j`
/// identifies shared block `j` together with every block before it.
public struct SharedPrefixKey: Sendable, Hashable {
    /// Tokens per shared block.
    public var blockTokens: Int
    /// Chained hash per shared block.
    public var chain: [UInt64]

    /// Shared tokens.
    public var tokens: Int { blockTokens * chain.count }

    /// Chains a workload's shared-prefix block ids.
    public init(_ prefix: SharedPrefix) {
        blockTokens = prefix.blockTokens
        var h: UInt64 = 0x5EED_0F_C0_FFEE
        chain = prefix.blockIDs.map { id in
            h = PagedKVCache.hash(h, group: 0, index: id)
            return h
        }
    }
}
