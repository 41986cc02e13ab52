/// JSON scalar encoding for the hand-written reports (deterministic; no Foundation).
enum JSONText {
    /// A JSON string literal with `"` `\` and control characters escaped.
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A JSON number: shortest round-trip text; NaN and infinities (not valid JSON) become `null`.
    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    /// A JSON number for a quantity that is whole by nature (bytes): an integer when it is one.
    static func wholeNumber(_ value: Double) -> String {
        if case .integer(let v) = SQLiteValue.wholeOrReal(value) { return String(v) }
        return number(value)
    }

    /// A JSON value for an SQLite value: numbers as above, text as a string, `NULL` as `null`,
    /// blobs as a string of lowercase hexadecimal.
    static func value(_ value: SQLiteValue) -> String {
        switch value {
        case .integer(let v): return String(v)
        case .real(let v): return number(v)
        case .text(let v): return string(v)
        case .null: return "null"
        case .blob: return string(value.csvText)
        }
    }
}
