#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small strict RFC 4180 CSV parser, the counterpart of ``CSVWriter``.
///
/// Records end with LF or CR LF; the last record may lack its line ending. Quoted fields may
/// contain commas, line breaks and doubled quotes. A quote inside an unquoted field, text after a
/// closing quote, or a quote left open at the end of the input is an error naming the line and
/// field. Rows are not required to have the same number of fields.
///
/// ```swift
/// let rows = try CSVReader.parse("a,\"b,\"\"c\"\"\"\n1,2\n")
/// // rows == [["a", "b,\"c\""], ["1", "2"]]
/// ```
public enum CSVReader {
    /// Parses CSV text into records of fields.
    ///
    /// - Parameters:
    ///   - text: The whole CSV text.
    ///   - path: File name to put in error messages, if the text came from a file.
    /// - Returns: One array of fields per record; an empty input gives no records.
    /// - Throws: ``CSVReadError`` for malformed quoting.
    public static func parse(_ text: String, path: String? = nil) throws(CSVReadError) -> [[String]] {
        try parse(bytes: Array(text.utf8), path: path)
    }

    /// Reads and parses a CSV file.
    ///
    /// - Parameter path: File to read.
    /// - Returns: One array of fields per record.
    /// - Throws: ``FileError`` when the file cannot be read, ``CSVReadError`` when it is malformed.
    public static func read(path: String) throws -> [[String]] {
        try parse(bytes: FileIO.readAll(path: path), path: path)
    }

    /// Parses CSV bytes (UTF-8) into records of fields.
    ///
    /// - Parameters:
    ///   - bytes: The whole CSV content.
    ///   - path: File name to put in error messages, if the bytes came from a file.
    /// - Returns: One array of fields per record.
    /// - Throws: ``CSVReadError`` for malformed quoting.
    public static func parse(bytes: [UInt8], path: String? = nil) throws(CSVReadError) -> [[String]] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var line = 1
        var fieldStartLine = 1
        var index = 0
        let count = bytes.count

        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func fail(_ reason: String, atLine: Int) -> CSVReadError {
            CSVReadError(path: path, line: atLine, field: record.count + 1, reason: reason)
        }

        while index < count {
            // Start of a field.
            fieldStartLine = line
            if bytes[index] == quote {
                index += 1
                var closed = false
                while index < count {
                    let byte = bytes[index]
                    if byte == quote {
                        if index + 1 < count && bytes[index + 1] == quote {
                            field.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    if byte == lf { line += 1 }
                    field.append(byte)
                    index += 1
                }
                if !closed { throw fail("quoted field is not closed", atLine: fieldStartLine) }
                if index < count {
                    let next = bytes[index]
                    let endsRecord = next == lf || (next == cr && index + 1 < count && bytes[index + 1] == lf)
                    if next != comma && !endsRecord {
                        throw fail("unexpected character after closing quote", atLine: line)
                    }
                }
            } else {
                while index < count {
                    let byte = bytes[index]
                    if byte == comma || byte == lf { break }
                    if byte == cr && index + 1 < count && bytes[index + 1] == lf { break }
                    if byte == quote { throw fail("quote inside an unquoted field", atLine: line) }
                    field.append(byte)
                    index += 1
                }
            }
            endField()
            // Separator or record end.
            if index >= count { break }
            if bytes[index] == comma {
                index += 1
                if index == count { record.append("") }  // trailing comma at end of input
                continue
            }
            index += bytes[index] == cr ? 2 : 1
            line += 1
            records.append(record)
            record.removeAll(keepingCapacity: true)
        }
        if !record.isEmpty { records.append(record) }
        return records
    }
}
