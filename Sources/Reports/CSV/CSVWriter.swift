/// An RFC 4180 CSV encoder that appends records to an in-memory byte buffer.
///
/// A field is quoted only when it contains a comma, a double quote, a carriage return or a line
/// feed; embedded double quotes are doubled. Every record, including the last, ends with a single
/// line feed (`\n`). Numbers are formatted deterministically: integers in plain decimal, doubles
/// with Swift's shortest round-trip text (`"\(double)"`, e.g. `0.1`, `1.0`, `1e-05`, `nan`, `inf`).
///
/// The writer never touches a file: a streaming caller takes the bytes with ``takeBytes()``
/// whenever ``byteCount`` passes a chunk size and writes them on, so memory stays bounded.
///
/// ```swift
/// var csv = CSVWriter()
/// csv.writeRecord(["policy", "ttft_s"])
/// csv.writeRecord(["vllm", CSVWriter.text(0.25)])
/// // String(decoding: csv.bytes, as: UTF8.self) == "policy,ttft_s\nvllm,0.25\n"
/// ```
public struct CSVWriter: Sendable {
    /// Encoded bytes not yet taken with ``takeBytes()``.
    public private(set) var bytes: [UInt8]

    /// Creates an empty writer.
    ///
    /// - Parameter capacityBytes: Bytes to reserve in the buffer up front.
    public init(capacityBytes: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacityBytes)
    }

    /// Number of encoded bytes waiting in the buffer.
    public var byteCount: Int { bytes.count }

    /// Appends one record of already formatted fields, quoting each as needed.
    ///
    /// - Parameter fields: The fields in column order. An empty sequence writes an empty line.
    public mutating func writeRecord<S: Sequence>(_ fields: S) where S.Element == String {
        var first = true
        for field in fields {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            Self.appendField(field, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Appends one record of typed values: integers and doubles as described on ``CSVWriter``,
    /// text quoted as needed, `NULL` as an empty field, blobs as lowercase hexadecimal.
    ///
    /// - Parameter values: The values in column order.
    public mutating func writeRecord(values: [SQLiteValue]) {
        writeRecord(values.lazy.map(\.csvText))
    }

    /// Returns the buffered bytes and empties the buffer, keeping its capacity.
    ///
    /// - Returns: Every byte appended since the last call.
    public mutating func takeBytes() -> [UInt8] {
        let taken = bytes
        bytes.removeAll(keepingCapacity: true)
        return taken
    }

    /// The field as it appears in a CSV file: unchanged, or quoted with inner quotes doubled when
    /// it contains `,` `"` CR or LF.
    ///
    /// - Parameter field: Raw field text.
    /// - Returns: The encoded field.
    public static func escape(_ field: String) -> String {
        var out: [UInt8] = []
        appendField(field, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Deterministic text for a double: Swift's shortest round-trip representation.
    ///
    /// - Parameter value: Any double, including NaN and infinities (`nan`, `inf`, `-inf`).
    /// - Returns: Text that parses back to exactly `value` (NaN to a NaN).
    public static func text(_ value: Double) -> String { "\(value)" }

    /// Plain decimal text for an integer.
    ///
    /// - Parameter value: Any integer.
    /// - Returns: The integer in base 10 with a leading `-` when negative.
    public static func text(_ value: Int) -> String { "\(value)" }

    static func appendField(_ field: String, to out: inout [UInt8]) {
        let utf8 = field.utf8
        let needsQuotes = utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\n")
        }
        guard needsQuotes else {
            out.append(contentsOf: utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}
