/// One SQLite value: what a statement parameter binds and what a query column returns.
public enum SQLiteValue: Sendable, Hashable {
    /// A 64-bit signed integer (`SQLITE_INTEGER`).
    case integer(Int64)
    /// A double (`SQLITE_FLOAT`). SQLite stores NaN as `NULL`.
    case real(Double)
    /// UTF-8 text (`SQLITE_TEXT`).
    case text(String)
    /// Raw bytes (`SQLITE_BLOB`).
    case blob([UInt8])
    /// `NULL`.
    case null

    /// An integer value from a Swift `Int`.
    public static func int(_ value: Int) -> SQLiteValue { .integer(Int64(value)) }

    /// The integer, or `nil` for other kinds.
    public var integerValue: Int64? {
        if case .integer(let v) = self { return v }
        return nil
    }

    /// The number as a double: reals as they are, integers converted; `nil` for other kinds.
    public var doubleValue: Double? {
        switch self {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }

    /// The text, or `nil` for other kinds.
    public var textValue: String? {
        if case .text(let v) = self { return v }
        return nil
    }

    /// Whether the value is `NULL`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as an unquoted CSV field: integers plain, doubles as `"\(double)"`, `NULL` empty,
    /// blobs as lowercase hexadecimal.
    var csvText: String {
        switch self {
        case .integer(let v): return String(v)
        case .real(let v): return CSVWriter.text(v)
        case .text(let v): return v
        case .null: return ""
        case .blob(let bytes):
            let digits: [Character] = Array("0123456789abcdef")
            var s = ""
            s.reserveCapacity(bytes.count * 2)
            for b in bytes {
                s.append(digits[Int(b >> 4)])
                s.append(digits[Int(b & 0xF)])
            }
            return s
        }
    }

    /// `.integer` when `value` is a whole number that fits in 64 bits, else `.real`. Used for
    /// quantities that are whole by nature but carried as `Double` (bytes).
    public static func wholeOrReal(_ value: Double) -> SQLiteValue {
        if value.isFinite && value.rounded(.towardZero) == value && abs(value) < 9.2e18 {
            return .integer(Int64(value))
        }
        return .real(value)
    }
}

extension SQLiteValue: CustomStringConvertible {
    /// The value as SQL-ish text: `NULL`, numbers plain, text in single quotes.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .text(let v): return "'" + v.replacing("'", with: "''") + "'"
        case .blob: return "x'" + csvText + "'"
        default: return csvText
        }
    }
}
