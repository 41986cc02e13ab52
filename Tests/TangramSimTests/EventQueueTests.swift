import PropertyBased
import Testing

@testable import TangramSim

@Suite struct EventQueueTests {
    @Test func popsInTimeOrder() async {
        await propertyCheck(input: Gen.int(in: 0...1000).array(of: 0...200)) { times in
            var q = EventQueue<Int>()
            for (i, t) in times.enumerated() { q.schedule(i, at: Int64(t)) }
            var out: [Int64] = []
            while let e = q.popNext() { out.append(e.time) }
            #expect(out == times.sorted().map(Int64.init))
        }
    }

    @Test func simultaneousEventsPopInSchedulingOrder() async {
        await propertyCheck(input: Gen.int(in: 0...3).array(of: 1...100)) { times in
            var q = EventQueue<Int>()
            for (i, t) in times.enumerated() { q.schedule(i, at: Int64(t)) }
            var out: [(Int64, Int)] = []
            while let e = q.popNext() { out.append((e.time, e.payload)) }
            // Expected: stable sort of (time, index) by time.
            let expected = times.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }
            #expect(out.map(\.1) == expected.map(\.offset))
        }
    }

    @Test func emptyQueue() {
        var q = EventQueue<String>()
        #expect(q.popNext() == nil)
        #expect(q.nextTime == nil)
        q.schedule("a", at: 5)
        #expect(q.nextTime == 5)
        #expect(q.count == 1)
    }
}
