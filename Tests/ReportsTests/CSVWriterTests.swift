import Testing

@testable import Reports

@Suite struct CSVWriterTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("\"", "\"\"\"\""),
        ("line\nbreak", "\"line\nbreak\""),
        ("carriage\rreturn", "\"carriage\rreturn\""),
        (" spaces stay ", " spaces stay "),
        ("semi;colon", "semi;colon"),
        ("ünïcødé", "ünïcødé"),
    ])
    func quotesOnlyWhenNeeded(raw: String, encoded: String) {
        #expect(CSVWriter.escape(raw) == encoded)
    }

    @Test func everyRecordEndsWithLineFeed() {
        var csv = CSVWriter()
        csv.writeRecord(["a", "b,c"])
        csv.writeRecord(["1", ""])
        #expect(String(decoding: csv.bytes, as: UTF8.self) == "a,\"b,c\"\n1,\n")
    }

    @Test func typedValuesFormatting() {
        var csv = CSVWriter()
        csv.writeRecord(values: [
            .integer(42), .integer(-7), .real(0.5), .real(2.0), .text("x,y"), .null, .blob([0x0F, 0xA0]),
        ])
        #expect(String(decoding: csv.bytes, as: UTF8.self) == "42,-7,0.5,2.0,\"x,y\",,0fa0\n")
    }

    @Test func takeBytesEmptiesTheBuffer() {
        var csv = CSVWriter()
        csv.writeRecord(["a"])
        #expect(csv.takeBytes() == Array("a\n".utf8))
        #expect(csv.byteCount == 0)
        csv.writeRecord(["b"])
        #expect(csv.bytes == Array("b\n".utf8))
    }

    @Test func integersArePlainDecimal() {
        #expect(CSVWriter.text(0) == "0")
        #expect(CSVWriter.text(123_456_789) == "123456789")
        #expect(CSVWriter.text(Int.min) == "-9223372036854775808")
    }

    /// Doubles parse back to exactly the same value: fixed cases plus bit patterns from a fixed LCG.
    @Test func doublesRoundTrip() {
        var values: [Double] = [
            0.1, 1.0 / 3.0, 1e-300, Double.leastNonzeroMagnitude, 1.7976931348623157e308, -0.0, 123456.789, 2.5e15,
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let d = Double(bitPattern: state)
            if d.isFinite { values.append(d) }
        }
        for value in values {
            let text = CSVWriter.text(value)
            #expect(Double(text) == value, "\(text)")
            #expect(!text.contains(","))
        }
        #expect(CSVWriter.text(0.1) == "0.1")
        #expect(CSVWriter.text(1.0) == "1.0")
    }

    @Test func roundTripThroughReader() throws {
        let rows: [[String]] = [
            ["policy", "note", "value"],
            ["vllm", "plain", "1.0"],
            ["tangram, v2", "say \"hi\"", ""],
            ["multi\nline", "cr\r\nlf", "\""],
            ["", "", ""],
            ["ünïcødé", " lead and trail ", ","],
        ]
        var csv = CSVWriter()
        for row in rows { csv.writeRecord(row) }
        #expect(try CSVReader.parse(bytes: csv.bytes) == rows)
    }
}
