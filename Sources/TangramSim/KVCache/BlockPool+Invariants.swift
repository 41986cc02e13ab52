/// A broken invariant of a simulator data structure; finding one is a bug in tangram-sim.
public struct InvariantViolation: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension BlockPool {
    /// Checks the pool's internal consistency: the free queue holds exactly the blocks without
    /// references, once each, and the cache index and per-block hashes agree.
    ///
    /// - Complexity: O(capacity).
    public func checkInvariants() throws(InvariantViolation) {
        var seen = Array(repeating: false, count: capacity)
        var count = 0
        var b = head
        var last: Int32 = -1
        while b >= 0 {
            guard !seen[Int(b)] else { throw InvariantViolation("block \(b) twice in the free queue") }
            seen[Int(b)] = true
            guard refCount[Int(b)] == 0 else { throw InvariantViolation("block \(b) in free queue with refs") }
            guard prev[Int(b)] == last else { throw InvariantViolation("free queue back-link broken at \(b)") }
            last = b
            b = next[Int(b)]
            count += 1
        }
        guard last == tail else { throw InvariantViolation("free queue tail mismatch") }
        guard count == freeCount else { throw InvariantViolation("freeCount \(freeCount) != queued \(count)") }
        for i in 0..<capacity where !seen[i] && refCount[i] <= 0 {
            throw InvariantViolation("block \(i) neither free nor referenced")
        }
        for (h, blk) in cached where blockHash[Int(blk)] != h {
            throw InvariantViolation("cache index maps \(h) to block \(blk) holding \(blockHash[Int(blk)])")
        }
        let hashed = blockHash.filter { $0 != 0 }.count
        guard hashed == cached.count else { throw InvariantViolation("\(hashed) hashed blocks, \(cached.count) indexed") }
    }
}
