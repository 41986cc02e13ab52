import GPUModel

/// A replica's paged KV cache with full (uncompressed) KV and automatic prefix caching, after
/// vLLM V1's `KVCacheManager`.
///
/// Requests hold one block table per KV group. Full-attention groups hold every token;
/// sliding-window groups release blocks that fall out of the window. Full blocks are registered
/// in the prefix cache under a hash of the session's stream identity, the group and the block's
/// position, which plays the role of vLLM's chained block hash (a block's content is determined
/// by everything before it in the stream). Freed blocks stay cached until the pool reuses them,
/// least recently freed first.
public struct PagedKVCache: KVCacheManager {
    public private(set) var pool: BlockPool
    public let plan: KVMemoryPlan
    public let prefixCaching: Bool
    let groups: [KVGroup]
    let blockSize: Int
    /// Tokens held in referenced blocks, summed over blocks (a block shared by several requests
    /// counts once), for the "used bytes" counter.
    public private(set) var usedTokenSlots = 0
    /// Tokens written into each block.
    var blockFill: [Int16]
    /// Replica-wide KV bytes of one token in one layer (all local KV heads on all GPUs).
    public let bytesPerTokenLayer: Double
    /// Sliding window of the model's sliding layers, if any.
    let slidingWindow: Int?
    public private(set) var blockTableEntries = 0

    public init(plan: KVMemoryPlan, prefixCaching: Bool) {
        slidingWindow = plan.groups.lazy.compactMap(\.windowTokens).first
        self.plan = plan
        self.prefixCaching = prefixCaching
        groups = plan.groups
        blockSize = plan.blockSizeTokens
        pool = BlockPool(capacity: plan.blockCount)
        blockFill = Array(repeating: 0, count: plan.blockCount)
        bytesPerTokenLayer = plan.blockBytes / Double(plan.blockSizeTokens * plan.groups[0].layerCount)
    }

    /// KV groups of the model.
    public var groupCount: Int { groups.count }
    /// Bytes in blocks referenced by requests.
    public var allocatedBytes: Double { Double(pool.allocatedCount) * plan.blockBytes }
    /// Bytes holding tokens of running requests.
    public var usedBytes: Double { Double(usedTokenSlots * groups[0].layerCount) * bytesPerTokenLayer }
    public var capacityBytes: Double { plan.capacityBytes }
    public var reservedBytes: Double { 0 }
    public var reclaimedBytes: Double { 0 }
    public var copiedBytes: Double { 0 }

    public func prefixHit(for r: RequestState) -> PrefixHit { findPrefixHit(for: r) }

    public func admits(_ r: RequestState, hit: PrefixHit) -> Bool { true }

    public func canEverFit(promptTokens: Int, outputTokens: Int, chunkTokens: Int) -> Bool {
        blocksNeeded(forTokens: promptTokens + outputTokens, chunkTokens: chunkTokens) <= pool.capacity
    }

    /// Adds a request's work to a step: a decode reads its whole context (at most the window in
    /// sliding layers); a prefill chunk attends causally to everything before it.
    public func describe(_ r: RequestState, newTokens n: Int, into work: inout StepWorkload) {
        let start = r.computedTokens, end = start + n
        if end == r.totalTokens { work.sampledSequences += 1 }
        if n == 1 && end == r.totalTokens && r.outputTokens > 0 {
            work.decodeSequences += 1
            work.fullDecodeKVTokens += Double(end)
            if let w = slidingWindow { work.slidingDecodeKVTokens += Double(min(end, w)) }
        } else {
            work.prefillTokens += n
            work.prefillSequences += 1
            let dn = Double(n), ds = Double(start)
            let pairs: Double = dn * ds + dn * (dn + 1) / 2
            work.fullPrefillAttentionPairs += pairs
            if let w = slidingWindow {
                work.slidingPrefillAttentionPairs += AttentionWork.slidingPairs(start: start, end: end, window: w)
            }
        }
    }

    /// Blocks a request needs in all groups to hold `tokens` tokens at once at the end of its life,
    /// used to reject requests that could never fit.
    public func blocksNeeded(forTokens tokens: Int, chunkTokens: Int) -> Int {
        var total = 0
        for g in groups {
            let full = ceilDiv(tokens, blockSize)
            if let w = g.windowTokens {
                total += min(full, ceilDiv(w + chunkTokens, blockSize) + 1)
            } else {
                total += full
            }
        }
        return total
    }

    /// Finds the longest cached prefix of a request's stream, leaving at least one token to compute.
    ///
    /// Full-attention groups need every block of the prefix; sliding-window groups need the blocks
    /// of the last window before it. When a sliding group misses, the hit is dropped altogether (a
    /// conservative simplification of vLLM's search for a hit length valid in every group).
    public func findPrefixHit(for r: RequestState) -> PrefixHit {
        let totalTokens = r.totalTokens
        guard prefixCaching, totalTokens > 1 else { return .none(groupCount: groups.count) }
        let maxBlocks = (totalTokens - 1) / blockSize
        guard let fullGroup = groups.firstIndex(where: { $0.windowTokens == nil }) else {
            return .none(groupCount: groups.count)
        }
        var hitBlocks = 0
        while hitBlocks < maxBlocks, pool.lookup(blockKey(r, group: fullGroup, index: hitBlocks)) != nil {
            hitBlocks += 1
        }
        guard hitBlocks > 0 else { return .none(groupCount: groups.count) }
        var hit = PrefixHit(tokens: hitBlocks * blockSize, blocks: [], freeBlocksTaken: 0)
        hit.blocks.reserveCapacity(groups.count)
        for (gi, g) in groups.enumerated() {
            var list = [Int32](repeating: -1, count: hitBlocks)
            let first = g.windowTokens.map { max(0, hit.tokens - $0 + 1) / blockSize } ?? 0
            for i in first..<hitBlocks {
                guard let b = pool.lookup(blockKey(r, group: gi, index: i)) else {
                    return .none(groupCount: groups.count)
                }
                list[i] = b
                if pool.isFree(b) { hit.freeBlocksTaken += 1 }
            }
            hit.blocks.append(list)
        }
        return hit
    }

    /// Whether the blocks a waiting request still needs for its whole current sequence are free:
    /// every block up to its last token in full-attention groups, the last window's blocks in
    /// sliding-window groups, plus the hit's cached blocks that sit in the free queue (taking
    /// them removes them from it); blocks other requests are using cost nothing.
    public func fitsWholeSequence(_ r: RequestState, hit: PrefixHit) -> Bool {
        let start = hit.tokens > 0 ? hit.tokens : r.computedTokens
        let endBlocks = ceilDiv(r.totalTokens, blockSize)
        var needed = hit.tokens > 0 ? hit.freeBlocksTaken : 0
        for gi in groups.indices {
            let held = hit.tokens > 0 ? hit.blocks[gi].count : r.blockTables[gi].count
            var first = 0
            if let w = groups[gi].windowTokens {
                first = max(max(0, start - w + 1) / blockSize, max(0, r.totalTokens - w) / blockSize)
            }
            needed += max(0, endBlocks - max(held, first))
        }
        return needed <= pool.freeCount
    }

    /// Makes room for `newTokens` more tokens of a request (after its computed tokens, or after
    /// `hit` for a request not yet holding blocks), taking the hit's blocks first.
    ///
    /// - Returns: `false`, changing nothing but the release of blocks a sliding window no longer
    ///   needs, when the pool has too few free blocks.
    public mutating func allocate(_ r: inout RequestState, newTokens: Int, hit: PrefixHit? = nil) -> Bool {
        let start = hit?.tokens ?? r.computedTokens
        let end = start + newTokens
        let endBlocks = ceilDiv(end, blockSize)
        var needed = hit?.freeBlocksTaken ?? 0
        for gi in groups.indices {
            if let w = groups[gi].windowTokens { releaseOutsideWindow(&r, group: gi, window: w, position: start) }
            let held = hit?.blocks[gi].count ?? r.blockTables[gi].count
            let firstNeeded = groups[gi].windowTokens.map { max(0, start - $0 + 1) / blockSize } ?? 0
            needed += max(0, endBlocks - max(held, firstNeeded))
        }
        guard needed <= pool.freeCount else { return false }
        if let hit {
            for gi in groups.indices {
                for b in hit.blocks[gi] where b >= 0 {
                    if pool.isFree(b) { usedTokenSlots += Int(blockFill[Int(b)]) }
                    pool.acquire(b)
                }
                r.blockTables[gi] = hit.blocks[gi]
                r.liveStart[gi] = hit.blocks[gi].firstIndex(where: { $0 >= 0 }) ?? hit.blocks[gi].count
                r.registeredBlocks[gi] = hit.blocks[gi].count
            }
            r.computedTokens = hit.tokens
        }
        for gi in groups.indices {
            let firstNeeded = groups[gi].windowTokens.map { max(0, start - $0 + 1) / blockSize } ?? 0
            while r.blockTables[gi].count < firstNeeded { r.blockTables[gi].append(-1) }
            while r.blockTables[gi].count < endBlocks {
                guard let b = pool.allocate() else { preconditionFailure("free count checked above") }
                blockFill[Int(b)] = 0
                r.blockTables[gi].append(b)
                blockTableEntries += 1
            }
        }
        return true
    }

    /// Records that a request's computed tokens advanced from `old` to its current count:
    /// registers newly full blocks in the prefix cache and updates the used-bytes counter.
    public mutating func didCompute(_ r: inout RequestState, from old: Int) {
        // The new tokens are written into the request's own blocks (shared prefix blocks are full).
        if r.computedTokens > old {
            for gi in groups.indices {
                var i = old / blockSize
                while i * blockSize < r.computedTokens, i < r.blockTables[gi].count {
                    let b = r.blockTables[gi][i]
                    if b >= 0 {
                        let fill = Int16(min(blockSize, r.computedTokens - i * blockSize))
                        usedTokenSlots += Int(fill - blockFill[Int(b)])
                        blockFill[Int(b)] = fill
                    }
                    i += 1
                }
            }
        }
        guard prefixCaching else { return }
        let full = r.computedTokens / blockSize
        for gi in groups.indices {
            var i = r.registeredBlocks[gi]
            while i < full {
                let b = r.blockTables[gi][i]
                if b >= 0 { pool.register(b, hash: blockKey(r, group: gi, index: i)) }
                i += 1
            }
            r.registeredBlocks[gi] = max(r.registeredBlocks[gi], full)
        }
    }

    /// Returns all of a request's blocks to the pool, last block first so that a prefix's tail is
    /// evicted before its head, and forgets its computed tokens.
    public mutating func free(_ r: inout RequestState) {
        for gi in groups.indices {
            for b in r.blockTables[gi].reversed() where b >= 0 { release(b) }
            r.blockTables[gi].removeAll(keepingCapacity: true)
            r.registeredBlocks[gi] = 0
            r.liveStart[gi] = 0
        }
        r.computedTokens = 0
    }

    private mutating func releaseOutsideWindow(_ r: inout RequestState, group gi: Int, window: Int, position: Int) {
        let firstNeeded = min(max(0, position - window + 1) / blockSize, r.blockTables[gi].count)
        var i = r.liveStart[gi]
        while i < firstNeeded {
            let b = r.blockTables[gi][i]
            if b >= 0 { release(b); r.blockTables[gi][i] = -1 }
            i += 1
        }
        r.liveStart[gi] = max(r.liveStart[gi], firstNeeded)
    }

    /// Drops a reference; a block nobody references no longer counts as used (its tokens stay
    /// cached until the block is reused).
    private mutating func release(_ b: Int32) {
        pool.release(b)
        if pool.isFree(b) { usedTokenSlots -= Int(blockFill[Int(b)]) }
    }

    /// The prefix-cache key of block `index` of group `group` of a request's stream: blocks lying
    /// wholly inside a shared prefix are keyed by the prefix's content chain, so that sessions
    /// sharing it share blocks; the rest by the session's own stream.
    func blockKey(_ r: RequestState, group: Int, index: Int) -> UInt64 {
        if let shared = r.sharedPrefix, (index + 1) * blockSize <= shared.tokens {
            return Self.hash(shared.chain[index * blockSize / shared.blockTokens], group: group, index: index)
        }
        return Self.hash(r.streamKey, group: group, index: index)
    }

    /// The prefix-cache key of block `index` of group `group` of a stream (never 0).
    public static func hash(_ stream: UInt64, group: Int, index: Int) -> UInt64 {
        var x = stream &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index &+ 1) &+ 0xD1B5_4A32_D192_ED03 &* UInt64(group &+ 1)
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return x == 0 ? 1 : x
    }
}

@inline(__always)
func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
