import Testing

@testable import Workloads

@Suite struct TraceStatisticsTests {
    @Test func smallWorkloadByHand() throws {
        var source = ArraySessionSource([
            SessionSpec(
                id: 0, arrivalSeconds: 0,
                turns: [
                    TurnSpec(newInputTokens: 10, outputTokens: 5),
                    TurnSpec(newInputTokens: 3, outputTokens: 2, thinkTimeSeconds: 4),
                ],
                sharedPrefix: SharedPrefix(blockTokens: 4, blockIDs: [0])),
            SessionSpec(
                id: 1, arrivalSeconds: 10, turns: [TurnSpec(newInputTokens: 6, outputTokens: 1)],
                sharedPrefix: SharedPrefix(blockTokens: 3, blockIDs: [0, 5])),
        ])
        let s = try TraceStatistics.collect(from: &source)
        #expect(s.requests == 3)
        #expect(s.sessions == 2)
        #expect(s.multiTurnSessions == 1)
        #expect(s.turnsPerSession.mean == 1.5)
        #expect(s.turnsPerSession.p50 == 1.5)  // interpolated median of [1, 2]
        #expect(s.arrivalRatePerSecond == 0.2)  // 2 sessions over 10 s
        #expect(s.requestRatePerSecond == 0.3)  // requests at 0, 4, 10 s
        // prompts: 10, 10 + 5 + 3 = 18, 6; history: 0, 15, 0
        #expect(s.promptTokens.total == 34)
        #expect(s.promptTokens.max == 18)
        #expect(s.historyTokens.total == 15)
        #expect(s.historyShare == 15.0 / 34)
        // Session 1's first block [0] was seen in session 0: 1 block x 3 tokens.
        #expect(s.sharedPrefixHitShare == 3.0 / 34)
        #expect(s.finalContextTokens.max == 20)
        #expect(s.thinkTimeSeconds.count == 1)
        let json = s.json.serialized
        for key in ["\"requests\":3", "\"sessions\":2", "\"turns_per_session\":{", "\"arrival_rate_per_s\":0.2"] {
            #expect(json.contains(key))
        }
    }
}
