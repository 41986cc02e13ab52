import Testing

@testable import Reports

@Suite struct CSVReaderTests {
    @Test func parsesQuotedFields() throws {
        let text = "a,\"b,\"\"c\"\"\"\n\"x\ny\",2\n"
        #expect(try CSVReader.parse(text) == [["a", "b,\"c\""], ["x\ny", "2"]])
    }

    @Test func acceptsCRLFAndMissingFinalNewline() throws {
        #expect(try CSVReader.parse("a,b\r\nc,d\r\n") == [["a", "b"], ["c", "d"]])
        #expect(try CSVReader.parse("a,b\nc,d") == [["a", "b"], ["c", "d"]])
        #expect(try CSVReader.parse("a,\n") == [["a", ""]])
        #expect(try CSVReader.parse("a,") == [["a", ""]])
        #expect(try CSVReader.parse("") == [])
    }

    @Test(arguments: [
        ("a\"b\n", 1, 1),  // quote inside an unquoted field
        ("x,\"open\n", 1, 2),  // never closed
        ("ok,1\n\"bad\"x,2\n", 2, 1),  // text after the closing quote
        ("\"x\ny\",1\nq,\"r\"s\n", 3, 2),  // line count includes the quoted line break
    ])
    func malformedInputNamesLineAndField(text: String, line: Int, field: Int) {
        #expect {
            _ = try CSVReader.parse(text, path: "in.csv")
        } throws: { error in
            guard let e = error as? CSVReadError else { return false }
            return e.line == line && e.field == field && e.path == "in.csv"
                && e.description.hasPrefix("in.csv:\(line): field \(field):")
        }
    }

    @Test func readsFiles() throws {
        let dir = TemporaryDirectory()
        try AtomicFile.write("h1,h2\n1,\"two\"\n", to: dir.file("t.csv"))
        #expect(try CSVReader.read(path: dir.file("t.csv")) == [["h1", "h2"], ["1", "two"]])
        #expect(throws: FileError.self) { try CSVReader.read(path: dir.file("missing.csv")) }
    }
}
