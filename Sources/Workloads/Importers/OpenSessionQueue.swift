/// Sessions still being assembled from a trace, kept in arrival order, and released once no
/// further turn can join them.
///
/// Used by importers that rebuild sessions from rows spread over time (Mooncake, BurstGPT).
/// A session is *closed* when the trace has moved more than the idle timeout past its last
/// turn, or at end of file; the oldest session is released only when it is closed, so output
/// stays in arrival order. Memory is proportional to the sessions that started within one idle
/// timeout of the oldest open one.
struct OpenSessionQueue {
    struct Entry {
        var key: Int
        var arrivalSeconds: Double
        var lastActivitySeconds: Double
        var turns: [TurnSpec]
        var sharedPrefix: SharedPrefix?
        /// Importer-specific state of the last turn (for example its full prompt length).
        var tipSerial: Int
        var tipInputTokens: Int
        var tipOutputTokens: Int
        var tipElapsedSeconds: Double
    }

    private var order: [Int] = []  // keys, sorted by arrival
    private var head = 0
    private var entries: [Int: Entry] = [:]

    var isEmpty: Bool { head == order.count }
    var count: Int { order.count - head }

    subscript(key: Int) -> Entry? {
        get { entries[key] }
        set { entries[key] = newValue }
    }

    /// Adds a session, keeping the queue sorted by arrival (ties keep insertion order).
    mutating func insert(_ entry: Entry) {
        entries[entry.key] = entry
        var i = order.count
        while i > head, let previous = entries[order[i - 1]], previous.arrivalSeconds > entry.arrivalSeconds {
            i -= 1
        }
        order.insert(entry.key, at: i)
    }

    /// The oldest session, if it is closed at time `nowSeconds` (or `atEnd`).
    mutating func popClosed(nowSeconds: Double, idleTimeoutSeconds: Double, atEnd: Bool) -> Entry? {
        guard head < order.count, let first = entries[order[head]] else { return nil }
        guard atEnd || nowSeconds - first.lastActivitySeconds > idleTimeoutSeconds else { return nil }
        entries[order[head]] = nil
        head += 1
        if head > 1_024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        return first
    }
}

/// A 64-bit hash of every leading run of a block-id list: `prefixHashes(ids)[m]` identifies
/// `ids[0..<m]`.
enum PrefixHash {
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Hashes of the prefixes of lengths `0 ... ids.count`.
    static func prefixHashes(_ ids: [Int]) -> [UInt64] {
        var out: [UInt64] = [0x243F_6A88_85A3_08D3]
        out.reserveCapacity(ids.count + 1)
        var h = out[0]
        for id in ids {
            h = mix(h ^ mix(UInt64(bitPattern: Int64(id))))
            out.append(h)
        }
        return out
    }
}
