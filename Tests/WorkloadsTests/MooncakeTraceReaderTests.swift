import Testing

@testable import Workloads

/// A hand-built Mooncake trace whose sessions were worked out by hand from the README's rule.
@Suite struct MooncakeTraceReaderTests {
    static let trace = """
        {"timestamp": 0, "input_length": 1100, "output_length": 100, "hash_ids": [1, 2, 3]}
        {"timestamp": 1000, "input_length": 1000, "output_length": 10, "hash_ids": [7, 8]}
        {"timestamp": 5000, "input_length": 1800, "output_length": 50, "hash_ids": [1, 2, 5, 6]}
        {"timestamp": 6000, "input_length": 1300, "output_length": 5, "hash_ids": [1, 2, 11]}
        {"timestamp": 9000, "input_length": 2000, "output_length": 7, "hash_ids": [1, 2, 5, 20]}
        """

    @Test func rebuildsSessionsFromPrefixChains() throws {
        let dir = ScratchFolder()
        var reader = try MooncakeTraceReader(path: dir.write("m.jsonl", Self.trace))
        let sessions = try drain(&reader)
        #expect(
            sessions == [
                // r0 -> r2 (shares [1,2]; new = 1800 - 1100 - 100) -> r4 (shares [1,2,5]; new = 2000 - 1800 - 50)
                SessionSpec(
                    id: 0, arrivalSeconds: 0,
                    turns: [
                        TurnSpec(newInputTokens: 1100, outputTokens: 100),
                        TurnSpec(newInputTokens: 600, outputTokens: 50, thinkTimeSeconds: 5),
                        TurnSpec(newInputTokens: 150, outputTokens: 7, thinkTimeSeconds: 4),
                    ],
                    sharedPrefix: SharedPrefix(blockTokens: 512, blockIDs: [1, 2])),
                SessionSpec(
                    id: 1, arrivalSeconds: 1, turns: [TurnSpec(newInputTokens: 1000, outputTokens: 10)],
                    sharedPrefix: SharedPrefix(blockTokens: 512, blockIDs: [7])),
                // r3 continues r0, which already has a later turn: a branch, so a new session.
                SessionSpec(
                    id: 2, arrivalSeconds: 6, turns: [TurnSpec(newInputTokens: 1300, outputTokens: 5)],
                    sharedPrefix: SharedPrefix(blockTokens: 512, blockIDs: [1, 2])),
            ])
        #expect(reader.linkedRequests == 3)
        #expect(reader.report.adjustments[MooncakeTraceReader.branchAdjustment] == 1)
    }

    @Test func minimumSharedBlocksAndIdleTimeout() throws {
        let dir = ScratchFolder()
        let path = dir.write("m.jsonl", Self.trace)
        var three = try MooncakeTraceReader(path: path, options: TraceImportOptions(mooncakeMinimumSharedBlocks: 3))
        // Only r4 -> r2 shares 3 blocks.
        #expect(try drain(&three).map(\.turns.count) == [1, 1, 2, 1])
        var short = try MooncakeTraceReader(path: path, options: TraceImportOptions(sessionIdleTimeoutSeconds: 2))
        // Every gap to a parent (5 s, 6 s, 4 s) exceeds 2 s.
        #expect(try drain(&short).map(\.turns.count) == [1, 1, 1, 1, 1])
    }

    @Test func rejectsBadRows() throws {
        let dir = ScratchFolder()
        let path = dir.write(
            "m.jsonl",
            """
            {"timestamp": 0, "input_length": 1100, "output_length": 100, "hash_ids": [1, 2, 3]}
            {"timestamp": 10, "input_length": 10, "output_length": 1, "hash_ids": [4]}
            {"timestamp": 5, "input_length": 10, "output_length": 1, "hash_ids": [5]}
            {"timestamp": 20, "input_length": 1100, "output_length": 100, "hash_ids": [1, 2]}
            {"timestamp": 30, "input_length": -4, "output_length": 1, "hash_ids": []}
            {"timestamp": 40, "input_length": 10, "output_length": 1, "hash_ids": [9]}
            """)
        var strict = try MooncakeTraceReader(path: path)
        #expect {
            _ = try drain(&strict)
        } throws: { error in
            (error as? TraceParseError).map { $0.line == 3 && $0.field == "timestamp" } ?? false
        }
        var lenient = try MooncakeTraceReader(path: path, options: TraceImportOptions(skipBadRows: true))
        let sessions = try drain(&lenient)
        #expect(sessions.count == 3)
        #expect(lenient.report.rowsSkipped == 3)
        #expect(lenient.report.skippedErrors.map(\.field) == ["timestamp", "hash_ids", "input_length"])
        #expect(lenient.report.skippedErrors.map(\.line) == [3, 4, 5])
    }
}
