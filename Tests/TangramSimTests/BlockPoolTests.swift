import PropertyBased
import Testing

@testable import TangramSim

/// One step of a random block-pool workout.
enum PoolOp: Sendable, CustomStringConvertible {
    case allocate(owner: Int)
    case freeOwner(Int)
    case cacheOwner(Int)
    case hitOwner(Int, from: Int)

    var description: String {
        switch self {
        case .allocate(let o): "alloc(\(o))"
        case .freeOwner(let o): "free(\(o))"
        case .cacheOwner(let o): "cache(\(o))"
        case .hitOwner(let o, let f): "hit(\(o)<-\(f))"
        }
    }
}

@Suite struct BlockPoolTests {
    /// Decodes one random integer in 0..<144 into an operation on 6 owners.
    static func op(_ x: Int) -> PoolOp {
        let owner = (x / 4) % 6, other = (x / 24) % 6
        switch x % 4 {
        case 0: return .allocate(owner: owner)
        case 1: return .freeOwner(owner)
        case 2: return .cacheOwner(owner)
        default: return .hitOwner(owner, from: other)
        }
    }

    /// Random allocate / free / cache / hit (acquire a cached block) / evict (by reallocating)
    /// sequences never leak or double-own a block: after every step, each block's reference count
    /// equals the number of owners listing it, and free blocks are exactly the unowned ones.
    @Test func randomSequencesNeverLeakOrDoubleOwn() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...143).array(of: 1...120)) { codes in
            let ops = codes.map(Self.op)
            var pool = BlockPool(capacity: 12)
            var owners: [[Int32]] = Array(repeating: [], count: 6)
            var hashes: [Int32: UInt64] = [:]
            var nextHash: UInt64 = 1
            for op in ops {
                switch op {
                case .allocate(let o):
                    if let b = pool.allocate() { owners[o].append(b); hashes[b] = nil }
                case .freeOwner(let o):
                    for b in owners[o].reversed() { pool.release(b) }
                    owners[o] = []
                case .cacheOwner(let o):
                    for b in owners[o] where hashes[b] == nil {
                        pool.register(b, hash: nextHash); hashes[b] = nextHash; nextHash += 1
                    }
                case .hitOwner(let o, let f):
                    // Take every block still cached under a hash that owner f registered before.
                    for (b, h) in hashes.sorted(by: { $0.key < $1.key }) where pool.lookup(h) == b && !owners[f].isEmpty {
                        pool.acquire(b); owners[o].append(b)
                    }
                }
                #expect(throws: Never.self) { try pool.checkInvariants() }
                var counts = Array(repeating: 0, count: 12)
                for list in owners { for b in list { counts[Int(b)] += 1 } }
                for b in 0..<12 {
                    #expect(pool.references(Int32(b)) == counts[b])
                    #expect(pool.isFree(Int32(b)) == (counts[b] == 0))
                }
                #expect(pool.freeCount == counts.filter { $0 == 0 }.count)
            }
        }
    }

    @Test func freedBlocksAreReusedLeastRecentlyFreedFirst() throws {
        var pool = BlockPool(capacity: 3)
        guard let a = pool.allocate(), let b = pool.allocate(), let c = pool.allocate() else {
            Issue.record("a fresh pool of 3 must allocate 3 blocks"); return
        }
        #expect(pool.allocate() == nil)
        pool.register(a, hash: 11)
        pool.release(b)
        pool.release(a)
        pool.release(c)
        // b was freed first, so it is reused first; a keeps its cache entry until its turn.
        #expect(pool.allocate() == b)
        #expect(pool.lookup(11) == a)
        #expect(pool.allocate() == a)
        #expect(pool.lookup(11) == nil)
        #expect(pool.evictions == 1)
    }

    @Test func cacheHitOnFreeBlockTakesItOutOfTheFreeQueue() throws {
        var pool = BlockPool(capacity: 2)
        guard let a = pool.allocate() else { Issue.record("fresh pool must allocate"); return }
        pool.register(a, hash: 7)
        pool.release(a)
        #expect(pool.freeCount == 2)
        pool.acquire(a)
        #expect(pool.freeCount == 1)
        #expect(pool.allocate() != a)
        try pool.checkInvariants()
    }
}
