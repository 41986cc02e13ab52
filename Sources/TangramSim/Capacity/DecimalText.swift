/// Fixed-point and significant-digit number text without Foundation, for tables and messages.
enum DecimalText {
    /// `value` rounded to `digits` decimals (`2.28`, `0.050`); `nan`, `inf` and `-inf` as such.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let n = Int64(scaled)
        let unit = Int64(scale)
        var text = String(n / unit)
        if digits > 0 {
            let fraction = String(n % unit)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return (value < 0 && n != 0 ? "-" : "") + text
    }

    /// `value` with at least `significant` significant digits and no fewer than `minimumDigits`
    /// decimals: `4.12`, `0.0418`, `1234.5`.
    static func significant(_ value: Double, _ significant: Int = 3, minimumDigits: Int = 0) -> String {
        guard value.isFinite, value != 0 else { return fixed(value, digits: minimumDigits) }
        var digits = minimumDigits
        var magnitude = abs(value)
        var leading = 0  // digits before the decimal point
        while magnitude >= 1 { magnitude /= 10; leading += 1 }
        if leading >= significant { return fixed(value, digits: minimumDigits) }
        if leading > 0 {
            digits = max(digits, significant - leading)
        } else {
            var zeros = 0
            var m = abs(value)
            while m < 0.1 { m *= 10; zeros += 1 }
            digits = max(digits, zeros + significant)
        }
        return fixed(value, digits: digits)
    }
}
