import Testing

@testable import Workloads

@Suite struct CSVImporterTests {
    @Test func azureRowsAreSingleTurnSessions() throws {
        let dir = ScratchFolder()
        let path = dir.write(
            "a.csv",
            "TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:15:46.6805900,374,44\r\n"
                + "2023-11-16 18:15:50.9951690,396,109\r\n2023-11-17 00:00:00.0000000,10,0")
        var reader = try AzureTraceReader(path: path)
        let s = try drain(&reader)
        #expect(s.count == 3)
        #expect(s[0].arrivalSeconds == 0)
        #expect(abs(s[1].arrivalSeconds - 4.314579) < 1e-6)
        // midnight minus 18:15:46.68059 = 5 h 44 min 13.31941 s
        #expect(abs(s[2].arrivalSeconds - 20_653.31941) < 1e-6)
        #expect(
            s.map { $0.turns[0] } == [
                TurnSpec(newInputTokens: 374, outputTokens: 44), TurnSpec(newInputTokens: 396, outputTokens: 109),
                TurnSpec(newInputTokens: 10, outputTokens: 1),
            ])
        #expect(reader.report.adjustments["GeneratedTokens 0 raised to 1"] == 1)
    }

    @Test func azureErrorsNameTheColumn() throws {
        let dir = ScratchFolder()
        let path = dir.write("a.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-13-16 18:15:46,374,44\n")
        var reader = try AzureTraceReader(path: path)
        #expect {
            _ = try reader.nextSession()
        } throws: { ($0 as? TraceParseError).map { $0.line == 2 && $0.field == "TIMESTAMP" } ?? false }
        let missing = dir.write("b.csv", "TIMESTAMP,Context\n")
        #expect { _ = try AzureTraceReader(path: missing) } throws: {
            ($0 as? TraceParseError)?.field == "ContextTokens"
        }
    }

    static let sharegpt = """
        conv_id,turn,system_tokens,user_tokens,assistant_tokens,prompt_tokens,user_chars,assistant_chars
        A,1,0,34,244,34,1,1
        A,2,0,36,319,314,1,1
        B,1,5,10,0,15,1,1
        C,1,0,3,4,3,1,1

        """

    @Test func sharegptTurnsBecomeSessions() throws {
        let dir = ScratchFolder()
        let options = TraceImportOptions(arrival: .batch(atSeconds: 0), thinkTimeSeconds: .constant(7))
        var reader = try ShareGPTTurnsReader(path: dir.write("s.csv", Self.sharegpt), options: options)
        let s = try drain(&reader)
        #expect(
            s.map(\.turns) == [
                [
                    TurnSpec(newInputTokens: 34, outputTokens: 244),
                    TurnSpec(newInputTokens: 36, outputTokens: 319, thinkTimeSeconds: 7),
                ],
                [TurnSpec(newInputTokens: 15, outputTokens: 1)],
                [TurnSpec(newInputTokens: 3, outputTokens: 4)],
            ])
        #expect(reader.report.adjustments["assistant_tokens 0 raised to 1"] == 1)
    }

    @Test func sharegptTurnOrderIsChecked() throws {
        let dir = ScratchFolder()
        let text =
            Self.sharegpt + "A,3,0,1,1,1,1,1\nD,1,0,1,1,1,1,1\nD,2,0,x,1,1,1,1\nD,3,0,1,1,1,1,1\nE,1,0,2,2,2,1,1\n"
        let path = dir.write("s.csv", text)
        var strict = try ShareGPTTurnsReader(path: path)
        #expect {
            _ = try drain(&strict)
        } throws: { ($0 as? TraceParseError).map { $0.line == 6 && $0.field == "turn" } ?? false }
        var lenient = try ShareGPTTurnsReader(path: path, options: TraceImportOptions(skipBadRows: true))
        let s = try drain(&lenient)
        // A(2 turns), B, C, E; A's stray turn 3 and all of D (bad user_tokens on its turn 2) are gone.
        #expect(s.map(\.turns.count) == [2, 1, 1, 1])
        #expect(s[3].turns[0].newInputTokens == 2)
        #expect(lenient.report.rowsSkipped == 2)
        #expect(lenient.report.rowsDropped[ShareGPTTurnsReader.droppedWithBadRow] == 1)
    }

    static let burst = """
        Timestamp,Session ID,Elapsed time,Model,Request tokens,Response tokens,Total tokens,Log Type
        5,s1,2,ChatGPT,100,50,150,Conversation log
        6,,1,ChatGPT,30,20,50,API log
        10,s1,3,ChatGPT,170,40,210,Conversation log
        12,s2,1,GPT-4,80,0,80,Conversation log
        20,s1,1,ChatGPT,215,10,225,Conversation log
        30,s3,1,ChatGPT,50,10,60,Conversation log
        31,s3,1,ChatGPT,20,10,30,Conversation log
        """

    @Test func burstgptSessionsAndHistoryDetection() throws {
        let dir = ScratchFolder()
        var reader = try BurstGPTTraceReader(path: dir.write("b.csv", Self.burst))
        let s = try drain(&reader)
        #expect(s.map(\.arrivalSeconds) == [5, 6, 30])
        // s1: requests include history (170 >= 100 + 50, 215 >= 170 + 40): new 20 and 5;
        // think = next timestamp - timestamp - elapsed: 10 - 5 - 2 = 3, 20 - 10 - 3 = 7.
        #expect(
            s[0].turns == [
                TurnSpec(newInputTokens: 100, outputTokens: 50),
                TurnSpec(newInputTokens: 20, outputTokens: 40, thinkTimeSeconds: 3),
                TurnSpec(newInputTokens: 5, outputTokens: 10, thinkTimeSeconds: 7),
            ])
        #expect(s[1].turns == [TurnSpec(newInputTokens: 30, outputTokens: 20)])
        // s3: 20 < 50 + 10, so Request tokens are new tokens; think 31 - 30 - 1 = 0.
        #expect(
            s[2].turns == [
                TurnSpec(newInputTokens: 50, outputTokens: 10), TurnSpec(newInputTokens: 20, outputTokens: 10),
            ])
        #expect(reader.report.rowsDropped[BurstGPTTraceReader.failedRequest] == 1)
        var noAPI = try BurstGPTTraceReader(
            path: dir.path + "/b.csv", options: TraceImportOptions(burstgptIncludeAPILogs: false))
        #expect(try drain(&noAPI).count == 2)
    }

    @Test func burstgptWithoutSessionColumnIsSingleTurn() throws {
        let dir = ScratchFolder()
        let path = dir.write(
            "b1.csv",
            "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n1,ChatGPT,10,5,15,Conversation log\n2,ChatGPT,20,5,25,Conversation log\n"
        )
        var reader = try BurstGPTTraceReader(path: path)
        #expect(try drain(&reader).map(\.turns.count) == [1, 1])
    }

    @Test func servegenClientCurveAndAggregate() throws {
        let dir = ScratchFolder()
        let client = dir.write("c.csv", "0,10,1.0,Gamma,1.0,0.1\n600,0,0,,0,0\n1200,5,2.0,Weibull,0.5,0.3\n")
        let (curve, _) = try ServeGenRateCurveLoader.load(path: client)
        #expect(curve.windows.map(\.durationSeconds) == [600, 600, 600])
        #expect(curve.windows.map(\.ratePerSecond) == [10, 0, 5])
        #expect(curve.windows[2].gapShape == .weibull(shape: 0.5))
        var workload = try ServeGenWorkload(path: client, options: TraceImportOptions(seed: 2))
        let sessions = try drain(&workload)
        #expect(!sessions.contains { $0.arrivalSeconds >= 600 && $0.arrivalSeconds < 1_200 })
        // 6,000 + 3,000 expected; Weibull(0.5) gaps are bursty (CV 2.2), allow ~6 sd.
        #expect(abs(sessions.count - 9_000) < 800)
        let aggregate = dir.write(
            "agg.csv",
            "model,window_start_s,total_rate_rps,active_clients\nm1,0,1,1\nm1,600,2,1\nm2,0,3,1\nm2,600,4,1\n")
        let (m2, report) = try ServeGenRateCurveLoader.load(
            path: aggregate, options: TraceImportOptions(servegenModel: "m2"))
        #expect(m2.windows.map(\.ratePerSecond) == [3, 4])
        #expect(report.rowsDropped["row of another model"] == 2)
        let (m1, _) = try ServeGenRateCurveLoader.load(path: aggregate)
        #expect(m1.windows.map(\.ratePerSecond) == [1, 2])
    }

    @Test func formatDetection() throws {
        let dir = ScratchFolder()
        #expect(try TraceFormat.detect(path: dir.write("1", NativeTraceTests.example)) == .native)
        #expect(try TraceFormat.detect(path: dir.write("2", MooncakeTraceReaderTests.trace)) == .mooncake)
        #expect(try TraceFormat.detect(path: dir.write("3", "TIMESTAMP,ContextTokens,GeneratedTokens\n")) == .azure)
        #expect(try TraceFormat.detect(path: dir.write("4", Self.sharegpt)) == .sharegpt)
        #expect(try TraceFormat.detect(path: dir.write("5", Self.burst)) == .burstgpt)
        #expect(try TraceFormat.detect(path: dir.write("6", "0,10,1.0,Gamma,1.0,0.1\n")) == .servegen)
        #expect(
            try TraceFormat.detect(path: dir.write("7", "model,window_start_s,total_rate_rps,active_clients\n"))
                == .servegen)
        #expect(throws: TraceParseError.self) { try TraceFormat.detect(path: dir.write("8", "hello,world\n")) }
        #expect(throws: TraceParseError.self) { try TraceFormat.detect(path: dir.write("9", "")) }
        #expect(throws: TraceParseError.self) {
            try TraceFormat.detect(path: dir.write("10", "{\n \"filetype\": 1\n}\n"))
        }
        var r = try TraceImporter.open(
            path: dir.path + "/4", options: TraceImportOptions(arrival: .batch(atSeconds: 0)))
        #expect(try drain(&r).count == 3)
    }
}
