/// A fixed pool of KV cache blocks with reference counts, a prefix-cache index and an LRU free
/// queue, after vLLM V1's `BlockPool`.
///
/// A block is *free* when no request references it. Free blocks that still hold a cached prefix
/// stay findable by their hash until they are reused: ``allocate()`` takes the least recently
/// freed block and evicts its cache entry. A cache hit on a free block takes it back out of the
/// free queue (``acquire(_:)``).
///
/// The free queue is an intrusive doubly linked list over block ids, so taking a block out of
/// the middle is O(1) and no operation allocates memory after initialisation (the hash index
/// aside).
public struct BlockPool: Sendable {
    /// Blocks in the pool.
    public let capacity: Int
    /// References per block.
    var refCount: [Int32]
    /// Hash of the cached content of each block, or 0 when it holds no cached prefix.
    var blockHash: [UInt64]
    /// Cached prefix index: content hash to block.
    var cached: [UInt64: Int32] = [:]
    var prev: [Int32]
    var next: [Int32]
    var head: Int32 = -1
    var tail: Int32 = -1
    /// Blocks with no references (including those still holding a cached prefix).
    public private(set) var freeCount: Int
    /// Cache entries evicted so far.
    public private(set) var evictions: Int = 0

    /// Creates a pool of `capacity` free blocks, queued in id order.
    public init(capacity: Int) {
        precondition(capacity >= 0 && capacity < Int(Int32.max), "block pool capacity out of range")
        self.capacity = capacity
        refCount = Array(repeating: 0, count: capacity)
        blockHash = Array(repeating: 0, count: capacity)
        prev = (0..<capacity).map { Int32($0) - 1 }
        next = (0..<capacity).map { $0 + 1 < capacity ? Int32($0 + 1) : -1 }
        if capacity > 0 { head = 0; tail = Int32(capacity - 1) }
        freeCount = capacity
    }

    /// Blocks referenced by at least one request.
    public var allocatedCount: Int { capacity - freeCount }
    /// Blocks currently indexed as cached prefixes (free or in use).
    public var cachedCount: Int { cached.count }

    /// Takes the least recently freed block, evicting any cached prefix it held, and gives it one reference.
    ///
    /// - Returns: the block id, or `nil` when every block is referenced.
    /// - Complexity: O(1).
    public mutating func allocate() -> Int32? {
        guard head >= 0 else { return nil }
        let b = head
        unlink(b)
        let h = blockHash[Int(b)]
        if h != 0 {
            cached[h] = nil
            blockHash[Int(b)] = 0
            evictions += 1
        }
        refCount[Int(b)] = 1
        return b
    }

    /// Adds a reference to a cached block found by ``lookup(_:)``, taking it out of the free queue if it was free.
    ///
    /// - Complexity: O(1).
    public mutating func acquire(_ b: Int32) {
        if refCount[Int(b)] == 0 { unlink(b) }
        refCount[Int(b)] += 1
    }

    /// Drops one reference; a block left with none joins the tail of the free queue (evicted last).
    ///
    /// - Precondition: the block is referenced.
    /// - Complexity: O(1).
    public mutating func release(_ b: Int32) {
        precondition(refCount[Int(b)] > 0, "release of a free block \(b)")
        refCount[Int(b)] -= 1
        if refCount[Int(b)] == 0 { pushTail(b) }
    }

    /// The block caching content `hash`, if any.
    public func lookup(_ hash: UInt64) -> Int32? { cached[hash] }

    /// Whether block `b` has no references.
    public func isFree(_ b: Int32) -> Bool { refCount[Int(b)] == 0 }

    /// References held on block `b`.
    public func references(_ b: Int32) -> Int { Int(refCount[Int(b)]) }

    /// Indexes the referenced block `b` as holding content `hash` (non-zero). If another block already
    /// caches the same content, the index keeps the first one, as vLLM does.
    public mutating func register(_ b: Int32, hash: UInt64) {
        precondition(hash != 0, "hash 0 is reserved for 'not cached'")
        guard blockHash[Int(b)] == 0, cached[hash] == nil else { return }
        blockHash[Int(b)] = hash
        cached[hash] = b
    }

    private mutating func unlink(_ b: Int32) {
        let p = prev[Int(b)], n = next[Int(b)]
        if p >= 0 { next[Int(p)] = n } else { head = n }
        if n >= 0 { prev[Int(n)] = p } else { tail = p }
        prev[Int(b)] = -1
        next[Int(b)] = -1
        freeCount -= 1
    }

    private mutating func pushTail(_ b: Int32) {
        prev[Int(b)] = tail
        next[Int(b)] = -1
        if tail >= 0 { next[Int(tail)] = b } else { head = b }
        tail = b
        freeCount += 1
    }
}
