/// Where a row came from, and field readers that turn bad values into ``TraceParseError``s
/// naming that file, line and field.
struct RowContext {
    let file: String
    let line: Int

    func error(_ field: String?, _ reason: String) -> TraceParseError {
        TraceParseError(file: file, line: line, field: field, reason: reason)
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        switch range.lowerBound {
        case 1: return "a positive integer"
        case 0: return "a non-negative integer"
        default: return "an integer >= \(range.lowerBound)"
        }
    }

    /// An integer field: an integer literal, or a number with no fractional part.
    func integer(_ value: JSONValue?, field: String, in range: ClosedRange<Int>) throws(TraceParseError) -> Int {
        guard let value else { throw error(field, "is missing") }
        let i: Int
        switch value {
        case .integer(let x): i = x
        case .number(let d) where d.rounded() == d && abs(d) < 9e18: i = Int(d)
        case .number(let d) where d.rounded() == d:
            throw error(field, "must be at most \(range.upperBound), got \(d)")
        default:
            throw error(field, "must be \(Self.describe(range)), got \(value.brief)")
        }
        if i < range.lowerBound { throw error(field, "must be \(Self.describe(range)), got \(i)") }
        if i > range.upperBound { throw error(field, "must be at most \(range.upperBound), got \(i)") }
        return i
    }

    /// A finite number field within `range`.
    func number(_ value: JSONValue?, field: String, in range: ClosedRange<Double>) throws(TraceParseError) -> Double {
        guard let value else { throw error(field, "is missing") }
        guard let d = value.doubleValue else {
            throw error(field, "must be a number, got \(value.brief)")
        }
        if d < range.lowerBound {
            let what = range.lowerBound == 0 ? "a non-negative number" : "a number >= \(range.lowerBound)"
            throw error(field, "must be \(what), got \(d)")
        }
        if d > range.upperBound { throw error(field, "must be at most \(range.upperBound), got \(d)") }
        return d
    }

    /// An integer CSV cell (optional surrounding spaces; `812.0` accepted).
    func integer(csv text: String, field: String, in range: ClosedRange<Int>) throws(TraceParseError) -> Int {
        let t = text.trimmingSpaces
        if t.isEmpty { throw error(field, "is empty") }
        if let i = Int(t) {
            if i < range.lowerBound { throw error(field, "must be \(Self.describe(range)), got \(i)") }
            if i > range.upperBound { throw error(field, "must be at most \(range.upperBound), got \(i)") }
            return i
        }
        if let d = Double(t), d.isFinite, d.rounded() == d {
            if d > Double(range.upperBound) { throw error(field, "must be at most \(range.upperBound), got \(t)") }
            if d < Double(range.lowerBound) { throw error(field, "must be \(Self.describe(range)), got \(t)") }
            return Int(d)
        }
        throw error(field, "must be \(Self.describe(range)), got \"\(t.prefix(40))\"")
    }

    /// A finite number CSV cell within `range`.
    func number(csv text: String, field: String, in range: ClosedRange<Double>) throws(TraceParseError) -> Double {
        let t = text.trimmingSpaces
        if t.isEmpty { throw error(field, "is empty") }
        guard let d = Double(t), d.isFinite else {
            throw error(field, "must be a number, got \"\(t.prefix(40))\"")
        }
        if d < range.lowerBound {
            let what = range.lowerBound == 0 ? "a non-negative number" : "a number >= \(range.lowerBound)"
            throw error(field, "must be \(what), got \(t)")
        }
        if d > range.upperBound { throw error(field, "must be at most \(range.upperBound), got \(t)") }
        return d
    }
}

/// Limits shared by all trace readers, so that sums of tokens and times can never overflow.
enum TraceLimits {
    /// Most tokens in one field of one row.
    static let maximumTokens = 1_000_000_000
    /// Latest arrival time accepted, in seconds (about 31,700 years).
    static let maximumSeconds = 1e12
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
