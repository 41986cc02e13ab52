import Testing

@testable import Workloads

@Suite struct MergedSessionSourceTests {
    @Test func mergesInArrivalOrderAndInterleavesTies() throws {
        let a = ArraySessionSource([
            SessionSpec(id: 100, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 1, outputTokens: 1)]),
            SessionSpec(id: 101, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 1, outputTokens: 1)]),
            SessionSpec(id: 102, arrivalSeconds: 5, turns: [TurnSpec(newInputTokens: 1, outputTokens: 1)]),
        ])
        let b = ArraySessionSource([
            SessionSpec(id: 200, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 2, outputTokens: 2)]),
            SessionSpec(id: 201, arrivalSeconds: 3, turns: [TurnSpec(newInputTokens: 2, outputTokens: 2)]),
        ])
        var merged = MergedSessionSource([a, b])
        let out = try drain(&merged)
        #expect(out.map(\.arrivalSeconds) == [0, 0, 0, 3, 5])
        // Ties alternate: a, b, a.
        #expect(out.map { $0.turns[0].newInputTokens } == [1, 2, 1, 2, 1])
        #expect(out.map(\.id) == [0, 1, 2, 3, 4])
    }
}
