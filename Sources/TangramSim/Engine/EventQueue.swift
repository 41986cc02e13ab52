import HeapModule

/// A priority queue of timed events, popped in time order; events at the same time pop in the
/// order they were scheduled.
///
/// `Heap` does not keep equal elements in insertion order, so every event carries a sequence
/// number that breaks ties. This makes the order of simultaneous events — and with it the whole
/// simulation — deterministic.
public struct EventQueue<Payload> {

    struct Entry: Comparable {
        var time: Int64
        var sequence: UInt64
        var payload: Payload

        static func < (a: Entry, b: Entry) -> Bool {
            a.time != b.time ? a.time < b.time : a.sequence < b.sequence
        }

        static func == (a: Entry, b: Entry) -> Bool { a.time == b.time && a.sequence == b.sequence }
    }

    var heap = Heap<Entry>()
    var nextSequence: UInt64 = 0

    public init() {}

    /// Schedules `payload` at `time` (nanoseconds).
    ///
    /// - Complexity: O(log n).

    public mutating func schedule(_ payload: Payload, at time: Int64) {
        heap.insert(Entry(time: time, sequence: nextSequence, payload: payload))
        nextSequence &+= 1
    }

    /// Removes and returns the earliest event, or `nil` when the queue is empty.
    ///
    /// - Complexity: O(log n).

    public mutating func popNext() -> (time: Int64, payload: Payload)? {
        guard let e = heap.popMin() else { return nil }
        return (e.time, e.payload)
    }

    /// The time of the earliest event, if any.
    public var nextTime: Int64? { heap.min?.time }
    /// Number of pending events.
    public var count: Int { heap.count }
    /// Whether no event is pending.
    public var isEmpty: Bool { heap.isEmpty }
}
