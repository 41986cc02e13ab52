#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The measurement CSV: a header line with ``columns`` and one ``MeasurementRecord`` per line.
/// Numbers use Swift's shortest round-trip form; fields with a comma, quote or line break are quoted.
public enum MeasurementCSV {
    private enum Field {
        case text(WritableKeyPath<MeasurementRecord, String>)
        case integer(WritableKeyPath<MeasurementRecord, Int>)
        case real(WritableKeyPath<MeasurementRecord, Double>)
        case optionalReal(WritableKeyPath<MeasurementRecord, Double?>)
        case kernelClass
    }

    private static var layout: [(String, Field)] {
        [
            ("gpu_name", .text(\.gpuName)), ("driver_version", .text(\.driverVersion)),
            ("cuda_driver_version", .integer(\.cudaDriverVersion)), ("sm_count", .integer(\.smCount)),
            ("sm_clock_mhz", .integer(\.smClockMHz)), ("mem_clock_mhz", .integer(\.memClockMHz)),
            ("kernel_class", .kernelClass), ("phase", .text(\.phase)), ("label", .text(\.label)),
            ("profile", .text(\.profile)), ("kept_ratio", .real(\.keptRatio)), ("layer", .integer(\.layer)),
            ("batch", .integer(\.batch)), ("context_tokens", .integer(\.contextTokens)),
            ("kv_tokens_read", .integer(\.kvTokensRead)), ("q_heads", .integer(\.qHeads)),
            ("kv_heads", .integer(\.kvHeads)), ("head_dim", .integer(\.headDim)), ("h_p", .integer(\.headsPerPage)),
            ("page_tokens", .integer(\.pageTokens)), ("split_mode", .text(\.splitMode)), ("splits", .integer(\.splits)),
            ("ctas", .integer(\.ctas)), ("chunk_tokens", .integer(\.chunkTokens)),
            ("history_tokens", .integer(\.historyTokens)), ("m", .integer(\.m)), ("n", .integer(\.n)),
            ("k", .integer(\.k)), ("bytes", .integer(\.bytes)), ("flops", .integer(\.flops)),
            ("median_s", .real(\.medianSeconds)), ("p90_s", .real(\.p90Seconds)), ("min_s", .real(\.minSeconds)),
            ("mean_s", .real(\.meanSeconds)), ("plan_s", .real(\.planSeconds)), ("repeats", .integer(\.repeats)),
            ("rotations", .integer(\.rotations)), ("check_rel_error", .optionalReal(\.checkRelativeError)),
            ("status", .text(\.status)),
        ]
    }

    /// Column names, in file order.
    public static let columns: [String] = layout.map(\.0)

    /// The unescaped field texts of `record`, in ``columns`` order (an unchecked result is "").
    public static func fields(of record: MeasurementRecord) -> [String] {
        layout.map { value(of: $0.1, in: record) }
    }

    /// The CSV text of `records`, header first, each line ending in `\n`.
    public static func encode(_ records: [MeasurementRecord]) -> String {
        var out = columns.joined(separator: ",") + "\n"
        for record in records {
            out += fields(of: record).map(escape).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Parses CSV text written by ``encode(_:)``; `file` names the source in errors.
    /// - Throws: ``MeasurementCSVError`` naming the file, line and field of the first problem.
    public static func decode(_ text: String, file: String = "<text>") throws(MeasurementCSVError) -> [MeasurementRecord] {
        let lines = try splitRecords(text, file: file)
        guard let header = lines.first else {
            throw MeasurementCSVError(file: file, line: 1, field: nil, reason: "empty file, expected a header")
        }
        guard header.fields == columns else {
            throw MeasurementCSVError(file: file, line: 1, field: nil,
                                      reason: "header does not match; expected \(columns.joined(separator: ","))")
        }
        var records: [MeasurementRecord] = []
        for line in lines.dropFirst() {
            guard line.fields.count == columns.count else {
                throw MeasurementCSVError(file: file, line: line.number, field: nil,
                                          reason: "\(line.fields.count) fields, expected \(columns.count)")
            }
            var record = MeasurementRecord.empty
            for (index, (name, field)) in layout.enumerated() {
                let raw = line.fields[index]
                func bad(_ what: String) -> MeasurementCSVError {
                    MeasurementCSVError(file: file, line: line.number, field: name, reason: "\(what): \"\(raw)\"")
                }
                switch field {
                case .text(let path):
                    record[keyPath: path] = raw
                case .integer(let path):
                    guard let v = Int(raw) else { throw bad("not an integer") }
                    record[keyPath: path] = v
                case .real(let path):
                    guard let v = Double(raw) else { throw bad("not a number") }
                    record[keyPath: path] = v
                case .optionalReal(let path):
                    if raw.isEmpty {
                        record[keyPath: path] = nil
                    } else {
                        guard let v = Double(raw) else { throw bad("not a number") }
                        record[keyPath: path] = v
                    }
                case .kernelClass:
                    guard let v = KernelClass(rawValue: raw) else { throw bad("unknown kernel class") }
                    record.kernelClass = v
                }
            }
            records.append(record)
        }
        return records
    }

    /// Writes `records` to `path` through a temporary file in the same folder renamed into place.
    /// - Throws: ``MeasurementCSVError`` (line 0) naming the path and the system error.
    public static func write(_ records: [MeasurementRecord], to path: String) throws(MeasurementCSVError) {
        try writeAtomically(encode(records), to: path)
    }

    /// Writes `text` to `path` through a temporary file in the same folder, then renames it.
    public static func writeAtomically(_ text: String, to path: String) throws(MeasurementCSVError) {
        let temporary = path + ".tmp-\(getpid())"
        func failure(_ what: String) -> MeasurementCSVError {
            MeasurementCSVError(file: path, line: 0, field: nil, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure("cannot create \(temporary)") }
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeMutableBytes { systemWrite(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                let error = failure("cannot write \(temporary)")
                close(fd)
                unlink(temporary)
                throw error
            }
            written += n
        }
        bytes.removeAll()
        if fsync(fd) != 0 || close(fd) != 0 {
            let error = failure("cannot flush \(temporary)")
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("cannot rename \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
    }

    private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, buffer, count)
        #else
        return Darwin.write(fd, buffer, count)
        #endif
    }

    private static func value(of field: Field, in record: MeasurementRecord) -> String {
        switch field {
        case .text(let path): return record[keyPath: path]
        case .integer(let path): return String(record[keyPath: path])
        case .real(let path): return "\(record[keyPath: path])"
        case .optionalReal(let path): return record[keyPath: path].map { "\($0)" } ?? ""
        case .kernelClass: return record.kernelClass.rawValue
        }
    }

    /// Quotes a field if it holds a comma, a quote or a line break (quotes doubled).
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }

    private struct Line {
        var number: Int
        var fields: [String]
    }

    /// Splits text into records of fields (RFC 4180 quoting; empty lines skipped).
    private static func splitRecords(_ text: String, file: String) throws(MeasurementCSVError) -> [Line] {
        var lines: [Line] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var lineNumber = 1
        var recordStart = 1
        var chars = Array(text.unicodeScalars)[...]
        var sawAnything = false
        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { lines.append(Line(number: recordStart, fields: fields)) }
            fields = []
        }
        while let c = chars.popFirst() {
            sawAnything = true
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        chars.removeFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { lineNumber += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true
            case ",":
                fields.append(field)
                field = ""
            case "\r": continue
            case "\n":
                endRecord()
                lineNumber += 1
                recordStart = lineNumber
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes {
            throw MeasurementCSVError(file: file, line: recordStart, field: nil, reason: "unterminated quoted field")
        }
        if sawAnything && (!field.isEmpty || !fields.isEmpty) { endRecord() }
        return lines
    }
}

extension MeasurementRecord {
    /// A row with every field zero or empty (the start of decoding).
    static var empty: MeasurementRecord {
        MeasurementRecord(
            device: DeviceInfo(name: "", smCount: 0, computeCapability: "", cudaDriverVersion: 0, cudaRuntimeVersion: 0,
                               driverString: "", smClockMHz: 0, memClockMHz: 0, maxSMClockMHz: 0, maxMemClockMHz: 0,
                               totalMemoryBytes: 0, l2Bytes: 0),
            point: MeasurementPoint(kernelClass: .copy, label: ""), phase: "", result: nil, status: "")
    }
}
