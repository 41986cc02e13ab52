import Foundation
import Testing

@testable import Workloads

@Suite struct SyntheticChatGeneratorTests {
    @Test func sameSeedSameSessionsDifferentSeedDifferent() throws {
        var a = SyntheticChatGenerator(config: .chat(sessionCount: 200, seed: 9))
        var b = SyntheticChatGenerator(config: .chat(sessionCount: 200, seed: 9))
        var c = SyntheticChatGenerator(config: .chat(sessionCount: 200, seed: 10))
        let sa = try drain(&a)
        #expect(sa == (try drain(&b)))
        #expect(sa != (try drain(&c)))
        #expect(sa.count == 200)
        #expect(sa.map(\.id) == Array(0..<200))
        #expect(zip(sa, sa.dropFirst()).allSatisfy { $0.arrivalSeconds <= $1.arrivalSeconds })
    }

    @Test func arrivalRateDoesNotChangeSessionBodies() throws {
        var slow = SyntheticChatConfig.chat(sessionCount: 100, seed: 3)
        slow.sessionRatePerSecond = 0.1
        var fast = slow
        fast.sessionRatePerSecond = 50
        var a = SyntheticChatGenerator(config: slow)
        var b = SyntheticChatGenerator(config: fast)
        let sa = try drain(&a)
        let sb = try drain(&b)
        #expect(sa.map(\.turns) == sb.map(\.turns))
        #expect(sa.map(\.arrivalSeconds) != sb.map(\.arrivalSeconds))
        // 100 Poisson arrivals at 50/s end near 2 s, at 0.1/s near 1,000 s.
        #expect(sb.last!.arrivalSeconds < 4)
        #expect(sa.last!.arrivalSeconds > 500)
    }

    @Test func contextCapHolds() throws {
        var config = SyntheticChatConfig.chat(sessionCount: 2_000, seed: 1)
        config.maxContextTokens = 4_096
        var g = SyntheticChatGenerator(config: config)
        for s in try drain(&g) {
            let context = s.turns.reduce(0) { $0 + $1.newInputTokens + $1.outputTokens }
            #expect(context <= 4_096)
            #expect(s.turns.allSatisfy { $0.outputTokens >= 1 && $0.newInputTokens >= 1 })
            #expect(s.turns[0].thinkTimeSeconds == 0)
        }
    }

    @Test func chatPresetMatchesItsSources() throws {
        // The preset's targets (README / sharegpt_v3_turns.csv): first-message p50 25,
        // follow-up p50 17, reply p50 255, turns p50 3, think-time p50 125 s.
        var config = SyntheticChatConfig.chat(sessionCount: 20_000, seed: 5)
        config.maxContextTokens = 1 << 40  // no cap, to see the raw distributions
        var g = SyntheticChatGenerator(config: config)
        let sessions = try drain(&g)
        func median(_ xs: [Double]) -> Double {
            let s = xs.sorted()
            return s[s.count / 2]
        }
        #expect(abs(median(sessions.map { Double($0.turns[0].newInputTokens) }) - 25) <= 2)
        #expect(abs(median(sessions.flatMap { $0.turns.dropFirst().map { Double($0.newInputTokens) } }) - 17) <= 1)
        #expect(abs(median(sessions.flatMap { $0.turns.map { Double($0.outputTokens) } }) - 255) <= 5)
        #expect(median(sessions.map { Double($0.turns.count) }) == 3)
        #expect(abs(median(sessions.flatMap { $0.turns.dropFirst().map(\.thinkTimeSeconds) }) - 125) < 6)
        let meanTurns = Double(sessions.reduce(0) { $0 + $1.turns.count }) / Double(sessions.count)
        #expect(meanTurns > 5.2 && meanTurns < 7.2)  // lognormal(3, 1.2) rounded: about 6.2
    }

    @Test func messagesRuleAndSharedPrefix() throws {
        let config = SyntheticChatConfig(
            sessionCount: 500, arrival: .batch(atSeconds: 0),
            turnsPerSession: Distribution(.uniformInteger(min: 1, max: 5)), turnCountRule: .messages,
            thinkTimeSeconds: .constant(0), firstInputTokens: .constant(100), followUpInputTokens: .constant(10),
            outputTokens: .constant(5), contextTokens: .constant(1_000), sharedPrefixTokens: .constant(300),
            firstMessageIncludesSharedPrefix: true, minimumMessageTokens: 20, maxContextTokens: 1 << 30)
        var g = SyntheticChatGenerator(config: config)
        let sessions = try drain(&g)
        // messages 1...5 -> max(2, n) rounded up to even -> 2, 2, 4, 4, 6 -> 1, 1, 2, 2, 3 user turns.
        #expect(Set(sessions.map(\.turns.count)) == [1, 2, 3])
        for s in sessions {
            // first = shared 300 + context 1,000 + max(100 - 300, 20) = 1,320
            #expect(s.turns[0].newInputTokens == 1_320)
            #expect(s.sharedPrefix == SharedPrefix(blockTokens: 300, blockIDs: [0]))
            #expect(s.turns.dropFirst().allSatisfy { $0.newInputTokens == 20 })
            #expect(s.arrivalSeconds == 0)
        }
    }

    @Test func streamsAMillionSessionsWithoutKeepingThem() throws {
        // Constant memory by construction: the generator holds a counter; check it ends exactly.
        var config = SyntheticChatConfig.chat(sessionCount: 1_000_000, seed: 1)
        config.turnsPerSession = .constant(1)
        var g = SyntheticChatGenerator(config: config)
        var n = 0
        var last = 0.0
        while let s = g.nextSession() {
            n += 1
            last = s.arrivalSeconds
        }
        #expect(n == 1_000_000)
        // 1e6 Poisson arrivals at 2.28/s: 438,596 s, sd 439 s.
        #expect(abs(last - 1_000_000 / 2.28) < 3_000)
    }
}
