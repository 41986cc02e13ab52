/// Splits one CSV line (RFC 4180 quoting within the line) into fields.
///
/// Quoted fields may contain commas and doubled quotes; a quoted field that spans lines is not
/// supported (none of the supported trace formats has one) and is reported as unterminated.
enum CSVLine {
    /// The fields of `bytes`, or a reason when quoting is malformed.
    static func split(_ bytes: [UInt8]) -> Result<[String], CSVSplitFailure> {
        var fields: [String] = []
        var current: [UInt8] = []
        var i = 0
        var inQuotes = false
        var wasQuoted = false
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < bytes.count, bytes[i + 1] == 0x22 {
                        current.append(0x22)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    i += 1
                    continue
                }
                current.append(b)
                i += 1
                continue
            }
            switch b {
            case 0x2C:
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                wasQuoted = false
            case 0x22:
                if !current.isEmpty || wasQuoted {
                    return .failure(CSVSplitFailure(reason: "quote inside an unquoted field \(fields.count + 1)"))
                }
                inQuotes = true
                wasQuoted = true
            default:
                if wasQuoted, b != 0x20 {
                    return .failure(CSVSplitFailure(reason: "text after a closing quote in field \(fields.count + 1)"))
                }
                current.append(b)
            }
            i += 1
        }
        if inQuotes { return .failure(CSVSplitFailure(reason: "unterminated quoted field \(fields.count + 1)")) }
        fields.append(String(decoding: current, as: UTF8.self))
        return .success(fields)
    }
}

struct CSVSplitFailure: Error {
    let reason: String
}
