/// A CSV trace read row by row: header handling, column lookup by name, errors with line
/// numbers, and the skip-bad-rows policy.
struct CSVTraceFile {
    let path: String
    let lines: LineReader
    /// Column index by header name (exact, after trimming spaces and a UTF-8 byte-order mark).
    private(set) var columns: [String: Int] = [:]
    private(set) var header: [String] = []
    /// Non-blank data lines seen so far, good or bad (the header excluded).
    private(set) var rowsSeen = 0

    init(path: String) throws(TraceParseError) {
        self.path = path
        lines = try LineReader(path: path)
    }

    /// Reads the header line and checks that every `required` column is present.
    mutating func readHeader(required: [String]) throws(TraceParseError) {
        guard let bytes = try lines.nextLine() else {
            throw TraceParseError(file: path, line: 1, field: nil, reason: "empty file: expected a header line")
        }
        var b = bytes
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        switch CSVLine.split(b) {
        case .failure(let f):
            throw TraceParseError(file: path, line: lines.lineNumber, field: nil, reason: "bad header: \(f.reason)")
        case .success(let names):
            header = names.map(\.trimmingSpaces)
        }
        for (i, name) in header.enumerated() where columns[name] == nil { columns[name] = i }
        let missing = required.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw TraceParseError(
                file: path, line: lines.lineNumber, field: missing[0],
                reason: "missing column (header is: \(header.joined(separator: ",").prefix(120)))")
        }
    }

    /// The next non-blank row's fields with its context; `nil` at end of file.
    ///
    /// Malformed quoting or a wrong number of fields throws ``TraceParseError``.
    mutating func nextRow(expectedFields: Int?) throws(TraceParseError) -> (fields: [String], context: RowContext)? {
        while true {
            let bytes: [UInt8]
            do throws(TraceParseError) {
                guard let b = try lines.nextLine() else { return nil }
                bytes = b
            } catch {
                if error.line > 0 { rowsSeen += 1 }
                throw error
            }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            rowsSeen += 1
            let context = RowContext(file: path, line: lines.lineNumber)
            switch CSVLine.split(bytes) {
            case .failure(let f):
                throw context.error(nil, f.reason)
            case .success(let fields):
                if let n = expectedFields, fields.count != n {
                    throw context.error(nil, "expected \(n) fields, got \(fields.count)")
                }
                return (fields, context)
            }
        }
    }

    /// The cell of column `name` (which `readHeader` checked).
    func cell(_ fields: [String], _ name: String) -> String {
        guard let i = columns[name], i < fields.count else { return "" }
        return fields[i]
    }
}
