/// A strict JSON (RFC 8259) parser for one document held in memory, such as one JSONL line.
///
/// It never traps on bad input: syntax errors, nesting deeper than ``maximumDepth``, and
/// numbers that overflow a `Double` are reported as ``JSONParser/Failure``.
public struct JSONParser {
    /// Why a document could not be parsed, with the 0-based byte offset.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// Byte offset in the input.
        public var offset: Int
        /// What is wrong.
        public var reason: String
        public var description: String { "invalid JSON at byte \(offset + 1): \(reason)" }
    }

    /// Deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 64

    /// Parses `bytes` as one JSON value, with only whitespace around it.
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        do {
            return try bytes.withUnsafeBufferPointer { buffer in
                var parser = Cursor(bytes: buffer)
                parser.skipWhitespace()
                let value = try parser.value(depth: 0)
                parser.skipWhitespace()
                guard parser.position == buffer.count else {
                    throw Failure(offset: parser.position, reason: "unexpected text after the value")
                }
                return value
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(offset: 0, reason: "\(error)")
        }
    }

    /// Parses a UTF-8 string as one JSON value.
    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func fail(_ reason: String) -> Failure { Failure(offset: position, reason: reason) }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(Failure) -> JSONValue {
            guard position < bytes.count else { throw fail("unexpected end of input") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                guard depth < JSONParser.maximumDepth else {
                    throw fail("nesting deeper than \(JSONParser.maximumDepth)")
                }
                return try object(depth: depth + 1)
            case UInt8(ascii: "["):
                guard depth < JSONParser.maximumDepth else {
                    throw fail("nesting deeper than \(JSONParser.maximumDepth)")
                }
                return try array(depth: depth + 1)
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try number()
            default:
                throw fail("unexpected character '\(printable(bytes[position]))'")
            }
        }

        func printable(_ b: UInt8) -> String {
            (0x20..<0x7F).contains(b) ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
        }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let n = word.utf8CodeUnitCount
            guard position + n <= bytes.count else { throw fail("unexpected end of input") }
            let ok = word.withUTF8Buffer { w in
                (0..<n).allSatisfy { bytes[position + $0] == w[$0] }
            }
            guard ok else { throw fail("invalid literal") }
            position += n
        }

        mutating func object(depth: Int) throws(Failure) -> JSONValue {
            position += 1
            var members: [(key: String, value: JSONValue)] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count else { throw fail("unexpected end of input in an object") }
                guard bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let key = try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw fail("expected ':' after a key")
                }
                position += 1
                skipWhitespace()
                let v = try value(depth: depth)
                members.append((key, v))
                skipWhitespace()
                guard position < bytes.count else { throw fail("unexpected end of input in an object") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(members)
                }
                throw fail("expected ',' or '}' in an object")
            }
        }

        mutating func array(depth: Int) throws(Failure) -> JSONValue {
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth))
                skipWhitespace()
                guard position < bytes.count else { throw fail("unexpected end of input in an array") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(elements)
                }
                throw fail("expected ',' or ']' in an array")
            }
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard position + 4 <= bytes.count else { throw fail("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[position]
                let d: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
                default: throw fail("invalid hex digit in \\u escape")
                }
                v = v << 4 | d
                position += 1
            }
            return v
        }

        mutating func string() throws(Failure) -> String {
            position += 1
            var out: [UInt8] = []
            while true {
                guard position < bytes.count else { throw fail("unterminated string") }
                let b = bytes[position]
                if b == UInt8(ascii: "\"") {
                    position += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if b < 0x20 { throw fail("control character in a string") }
                if b != UInt8(ascii: "\\") {
                    out.append(b)
                    position += 1
                    continue
                }
                position += 1
                guard position < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        if position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                            bytes[position + 1] == UInt8(ascii: "u")
                        {
                            position += 2
                            let low = try hex4()
                            if (0xDC00..<0xE000).contains(low) {
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                scalar = 0xFFFD
                            }
                        } else {
                            scalar = 0xFFFD
                        }
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        scalar = 0xFFFD
                    }
                    let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                default:
                    throw fail("invalid escape '\\\(printable(e))'")
                }
            }
        }

        mutating func number() throws(Failure) -> JSONValue {
            let start = position
            var isInteger = true
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("invalid number") }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
                if position < bytes.count, isDigit(bytes[position]) { throw fail("leading zero in a number") }
            } else {
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { throw fail("invalid fraction") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                isInteger = false
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
                {
                    position += 1
                }
                guard position < bytes.count, isDigit(bytes[position]) else { throw fail("invalid exponent") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if isInteger, position - start <= 18 {
                // Fast path: at most 18 characters cannot overflow Int64.
                var i = start
                let negative = bytes[i] == UInt8(ascii: "-")
                if negative { i += 1 }
                var v = 0
                while i < position {
                    v = v * 10 + Int(bytes[i] - UInt8(ascii: "0"))
                    i += 1
                }
                return .integer(negative ? -v : v)
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            if isInteger, let i = Int(text) { return .integer(i) }
            guard let d = Double(text), d.isFinite else {
                position = start
                throw fail("number out of range: \(text.prefix(40))")
            }
            return .number(d)
        }

        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    }
}
