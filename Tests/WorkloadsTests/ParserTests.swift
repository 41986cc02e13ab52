import Testing

@testable import Workloads

@Suite struct ParserTests {
    @Test func jsonValues() throws {
        let v = try JSONParser.parse(#" {"a": [1, -2.5, 3e2, true, null, "x\"\u00e9\ud83d\ude00"], "b": {}} "#)
        #expect(v["a"] == .array([.integer(1), .number(-2.5), .number(300), .bool(true), .null, .string("x\"é😀")]))
        #expect(v["b"] == .object([]))
        #expect(try JSONParser.parse("12345678901234567890") == .number(Double("12345678901234567890")!))
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"\u{01}\"", "1e400", "[1] 2", "\"\\x\""] {
            #expect(throws: JSONParser.Failure.self) { _ = try JSONParser.parse(bad) }
        }
    }

    @Test func jsonSerializationRoundTrips() throws {
        let v: JSONValue = .object([
            ("k", .string("a\"b\n\u{01}")), ("n", .number(0.1)), ("i", .integer(-3)), ("e", .array([])),
        ])
        #expect(v.serialized == #"{"k":"a\"b\n\u0001","n":0.1,"i":-3,"e":[]}"#)
        #expect(try JSONParser.parse(v.serialized) == v)
    }

    @Test func csvFields() throws {
        #expect(try CSVLine.split(Array(#"a,"b,c","d""e",,f"#.utf8)).get() == ["a", "b,c", "d\"e", "", "f"])
        #expect(try CSVLine.split(Array("".utf8)).get() == [""])
        for bad in [#"a,"b"#, #"a,b"c"#, #""a"b"#] {
            guard case .failure = CSVLine.split(Array(bad.utf8)) else {
                Issue.record("accepted \(bad)")
                continue
            }
        }
    }

    @Test func civilTime() {
        #expect(CivilTime.parse("1970-01-01 00:00:00")?.seconds == 0)
        // 2023-11-16 is day 19,677 since 1970-01-01.
        #expect(CivilTime.parse("2023-11-16 18:15:46.6805900")?.seconds == 19_677 * 86_400 + 18 * 3_600 + 15 * 60 + 46)
        #expect(abs((CivilTime.parse("2023-11-16 18:15:46.6805900")?.fraction ?? 0) - 0.68059) < 1e-12)
        for bad in [
            "2023-11-16", "2023-13-01 00:00:00", "2023-11-16 18:15:46.", "x023-11-16 18:15:46",
            "2023-11-16 18:15:46.1x",
        ] {
            #expect(CivilTime.parse(bad) == nil)
        }
    }
}
