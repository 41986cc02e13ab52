/// Parses `YYYY-MM-DD HH:MM:SS[.fffffff]` timestamps (no zone, read as UTC) into whole seconds
/// since 1970 and a fraction, without Foundation's date machinery.
enum CivilTime {
    /// Seconds since 1970-01-01 00:00:00 and the fractional second, or `nil` when malformed.
    static func parse(_ text: String) -> (seconds: Int, fraction: Double)? {
        let b = Array(text.trimmingSpaces.utf8)
        guard b.count >= 19 else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10),
            let hour = digits(11..<13), let minute = digits(14..<16), let second = digits(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if b.count > 19 {
            guard b[19] == UInt8(ascii: "."), b.count > 20, b.count <= 32, digits(20..<b.count) != nil,
                let f = Double("0" + String(decoding: b[19...], as: UTF8.self))
            else { return nil }
            fraction = f
        }
        return (
            daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second, fraction
        )
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
