import Foundation
import Testing

@testable import Workloads

@Suite struct NativeTraceTests {
    static let example = """
        {"format":"tangram-sim-trace","version":1}
        {"session_id":7,"arrival_s":12.5,"turns":[{"input_tokens":812,"output_tokens":230},{"think_s":31.2,"input_tokens":64,"output_tokens":180}]}
        {"session_id":8,"arrival_s":13,"shared_prefix":{"block_tokens":512,"block_ids":[0,41]},"turns":[{"input_tokens":1500,"output_tokens":20}]}

        """

    @Test func readsTheDocumentedExample() throws {
        let dir = ScratchFolder()
        var reader = try NativeTraceReader(path: dir.write("t.jsonl", Self.example))
        let sessions = try drain(&reader)
        #expect(
            sessions == [
                SessionSpec(
                    id: 7, arrivalSeconds: 12.5,
                    turns: [
                        TurnSpec(newInputTokens: 812, outputTokens: 230),
                        TurnSpec(newInputTokens: 64, outputTokens: 180, thinkTimeSeconds: 31.2),
                    ]),
                SessionSpec(
                    id: 8, arrivalSeconds: 13, turns: [TurnSpec(newInputTokens: 1500, outputTokens: 20)],
                    sharedPrefix: SharedPrefix(blockTokens: 512, blockIDs: [0, 41])),
            ])
        #expect(reader.report.rowsRead == 2)
    }

    @Test func headerIsOptionalAndBlankLinesAreIgnored() throws {
        let dir = ScratchFolder()
        let body = "\n" + #"{"session_id":0,"arrival_s":0,"turns":[{"input_tokens":1,"output_tokens":1}]}"# + "\r\n\n"
        var reader = try NativeTraceReader(path: dir.write("t.jsonl", body))
        #expect(try drain(&reader).count == 1)
    }

    @Test func writerRoundTripsAndIsDeterministic() throws {
        let dir = ScratchFolder()
        var source = SyntheticChatGenerator(config: .chat(sessionCount: 300, seed: 4))
        let expected = try drain(&source)
        for name in ["a.jsonl", "b.jsonl"] {
            let writer = try NativeTraceWriter(path: dir.path + "/" + name)
            var again = SyntheticChatGenerator(config: .chat(sessionCount: 300, seed: 4))
            try writer.write(contentsOf: &again)
            try writer.finish()
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/a.jsonl"))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/b.jsonl"))
        #expect(a == b)
        #expect(dir.contents == ["a.jsonl", "b.jsonl"])  // no temporary files left
        #expect(String(decoding: a, as: UTF8.self).hasPrefix(NativeTraceFormat.headerLine + "\n"))
        var reader = try NativeTraceReader(path: dir.path + "/a.jsonl")
        #expect(try drain(&reader) == expected)
    }

    @Test func abandonedWriterLeavesNothingBehind() throws {
        let dir = ScratchFolder()
        let target = dir.write("keep.jsonl", "old contents\n")
        do {
            let writer = try NativeTraceWriter(path: target)
            try writer.write(
                SessionSpec(id: 0, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 1, outputTokens: 1)]))
            // dropped without finish()
        }
        #expect(dir.contents == ["keep.jsonl"])
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old contents\n")
        #expect(throws: NativeTraceWriter.WriteError.self) {
            _ = try NativeTraceWriter(path: dir.path + "/missing/x.jsonl")
        }
    }

    @Test func errorNamesFileLineAndField() throws {
        let dir = ScratchFolder()
        var lines = [NativeTraceFormat.headerLine]
        for i in 0..<10 {
            lines.append(#"{"session_id":\#(i),"arrival_s":\#(i),"turns":[{"input_tokens":5,"output_tokens":5}]}"#)
        }
        lines.append(
            #"{"session_id":10,"arrival_s":10,"turns":[{"input_tokens":5,"output_tokens":5},{"think_s":1,"input_tokens":64,"output_tokens":-3}]}"#
        )
        let path = dir.write("trace.jsonl", lines.joined(separator: "\n") + "\n")
        var reader = try NativeTraceReader(path: path)
        do {
            _ = try drain(&reader)
            Issue.record("expected an error")
        } catch let error as TraceParseError {
            #expect(error.line == 12)
            #expect(error.field == "turns[1].output_tokens")
            #expect("\(error)" == "\(path):12: field 'turns[1].output_tokens': must be a positive integer, got -3")
        }
    }

    @Test(arguments: [
        (#"{"session_id":1,"arrival_s":-1,"turns":[{"input_tokens":5,"output_tokens":5}]}"#, "arrival_s"),
        (#"{"session_id":1,"arrival_s":1,"turns":[]}"#, "turns"),
        (#"{"session_id":1,"arrival_s":1,"turns":[{"input_tokens":0,"output_tokens":5}]}"#, "turns[0].input_tokens"),
        (#"{"session_id":1,"arrival_s":1,"turns":[{"input_tokens":5,"output_tokens":0}]}"#, "turns[0].output_tokens"),
        (#"{"session_id":1,"arrival_s":1,"turns":[{"input_tokens":5.5,"output_tokens":5}]}"#, "turns[0].input_tokens"),
        (#"{"session_id":"x","arrival_s":1,"turns":[{"input_tokens":5,"output_tokens":5}]}"#, "session_id"),
        (#"{"session_id":1,"arrival_s":1,"turns":[{"input_tokens":5,"output_tokens":5}],"extra":1}"#, "extra"),
        (
            #"{"session_id":1,"arrival_s":1,"turns":[{"input_tokens":5,"output_tokens":5,"think_s":-2}]}"#,
            "turns[0].think_s"
        ),
        (
            #"{"session_id":1,"arrival_s":1,"turns":[{"input_tokens":99999999999999999999,"output_tokens":5}]}"#,
            "turns[0].input_tokens"
        ),
        (
            #"{"session_id":1,"arrival_s":1,"turns":[{"input_tokens":5,"output_tokens":2000000000}]}"#,
            "turns[0].output_tokens"
        ),
        (
            #"{"session_id":1,"arrival_s":1,"shared_prefix":{"block_tokens":512,"block_ids":[1,2]},"turns":[{"input_tokens":600,"output_tokens":5}]}"#,
            "shared_prefix"
        ),
        (#"{"session_id":1,"arrival_s":1}"#, "turns"),
    ])
    func invalidFieldsAreNamed(_ line: String, _ field: String) throws {
        let dir = ScratchFolder()
        let path = dir.write("t.jsonl", line + "\n")
        var reader = try NativeTraceReader(path: path)
        #expect {
            _ = try reader.nextSession()
        } throws: { error in
            guard let e = error as? TraceParseError else { return false }
            return e.line == 1 && e.field == field && e.file == path
        }
    }

    @Test func unsortedRowsAreRejectedOrSkipped() throws {
        let dir = ScratchFolder()
        let text = [
            #"{"session_id":0,"arrival_s":5,"turns":[{"input_tokens":1,"output_tokens":1}]}"#,
            #"{"session_id":1,"arrival_s":4,"turns":[{"input_tokens":1,"output_tokens":1}]}"#,
            "not json",
            #"{"session_id":2,"arrival_s":6,"turns":[{"input_tokens":1,"output_tokens":1}]}"#,
        ].joined(separator: "\n")
        let path = dir.write("t.jsonl", text)
        var strict = try NativeTraceReader(path: path)
        #expect(throws: TraceParseError.self) { _ = try drain(&strict) }
        var lenient = try NativeTraceReader(path: path, options: TraceImportOptions(skipBadRows: true))
        let sessions = try drain(&lenient)
        #expect(sessions.map(\.id) == [0, 2])
        #expect(lenient.report.rowsSkipped == 2)
        #expect(lenient.report.rowsRead == 4)
        #expect(lenient.report.skippedErrors.map(\.line) == [2, 3])
        #expect(lenient.report.skippedErrors[0].field == "arrival_s")
    }

    @Test func sessionLimitStopsEarly() throws {
        let dir = ScratchFolder()
        let writer = try NativeTraceWriter(path: dir.path + "/t.jsonl")
        var g = SyntheticChatGenerator(config: .chat(sessionCount: 50, seed: 1))
        try writer.write(contentsOf: &g)
        try writer.finish()
        var reader = try NativeTraceReader(path: dir.path + "/t.jsonl", options: TraceImportOptions(sessionLimit: 7))
        #expect(try drain(&reader).count == 7)
    }
}

@Suite struct NativeTraceWriterDestinationTests {
    @Test func nonRegularDestinationsAreWrittenInPlaceNotReplaced() throws {
        // Renaming a temporary file over a device or pipe (/dev/null!) would replace it with a
        // regular file. A FIFO with an open reader stands in for a device here.
        let dir = ScratchFolder()
        let fifo = dir.path + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let writer = try NativeTraceWriter(path: fifo)
        try writer.write(SessionSpec(id: 0, arrivalSeconds: 0, turns: [TurnSpec(newInputTokens: 1, outputTokens: 1)]))
        try writer.finish()
        var status = stat()
        #expect(stat(fifo, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFIFO)
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let n = read(reader, &buffer, buffer.count)
        #expect(
            n > 0 && String(decoding: buffer.prefix(max(0, n)), as: UTF8.self).hasPrefix(NativeTraceFormat.headerLine))
        #expect(dir.contents == ["pipe"])
        #expect(throws: NativeTraceWriter.WriteError.self) { _ = try NativeTraceWriter(path: dir.path) }
    }
}

@Suite struct NativeTraceEncodingTests {
    @Test func fastEncoderMatchesTheJSONTree() throws {
        var source = MergedSessionSource([
            SyntheticChatGenerator(config: .chat(sessionCount: 200, seed: 11)),
            ArraySessionSource([
                SessionSpec(
                    id: 0, arrivalSeconds: 1e-7, turns: [TurnSpec(newInputTokens: 1_000_000_000, outputTokens: 1)],
                    sharedPrefix: SharedPrefix(blockTokens: 512, blockIDs: [0, -5, Int.max]))
            ]),
        ])
        for s in try drain(&source) {
            var fast: [UInt8] = []
            NativeTraceFormat.appendLine(s, to: &fast)
            #expect(String(decoding: fast, as: UTF8.self) == NativeTraceFormat.encode(s).serialized)
        }
    }
}
