import Foundation

/// Reads head-profile CSV files of the shape in `head_profiles/<scorer>/<model>_<layout>.csv`.
///
/// The header must be exactly
/// `sample,prompt_tokens,sink_tokens,window_tokens,layer,kv_head,kept_tokens,ratio`, and every
/// row must have those eight fields. Rows may come in any order; every sample must list every
/// (layer, KV head) cell exactly once, KV heads must be numbered `0..<H`, and a sample's
/// `prompt_tokens`, `sink_tokens` and `window_tokens` must agree on all its rows. Each field is
/// range-checked, and `kept_tokens` must agree with `ratio`:
/// `|kept_tokens - (sink_tokens + window_tokens + ratio * prompt_tokens)| <= 1 + ratio * sink_tokens`
/// (the slack accepts both `prompt_tokens` and `prompt_tokens - sink_tokens` as the ratio's
/// denominator, and rounding). The full format is in `docs/head-profiles.md`.
///
/// ```swift
/// let profile = try HeadProfileReader.read(path: "../shared/head_profiles/snapkv/llama-3.1-8b-instruct_crosslayer.csv")
/// print(profile.layerIndices.count, profile.kvHeadsPerLayer, profile.sampleCount)  // 32 8 28
/// ```
public enum HeadProfileReader {
    /// The required header row.
    public static let header = "sample,prompt_tokens,sink_tokens,window_tokens,layer,kv_head,kept_tokens,ratio"

    /// The column names, in order.
    public static let columns = header.split(separator: ",").map(String.init)

    /// Reads and validates a profile file; `-` reads standard input.
    ///
    /// - Throws: ``HeadProfileReadError`` naming the file, line and field of the first problem.
    public static func read(path: String) throws(HeadProfileReadError) -> HeadProfile {
        let data: Data?
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else {
            throw HeadProfileReadError(file: path, line: 0, field: "file", message: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), fileName: path)
    }

    /// Parses and validates profile CSV text.
    ///
    /// - Parameters:
    ///   - text: the whole file's contents (LF or CRLF line ends; trailing blank lines allowed).
    ///   - fileName: the label used in errors and as the profile's ``HeadProfile/name``.
    /// - Throws: ``HeadProfileReadError`` naming the file, line and field of the first problem.
    public static func parse(_ text: String, fileName: String) throws(HeadProfileReadError) -> HeadProfile {
        func fail(_ line: Int, _ field: String, _ message: String) -> HeadProfileReadError {
            HeadProfileReadError(file: fileName, line: line, field: field, message: message)
        }
        // Work on UTF-8 bytes: lines end at "\n", with an optional "\r" before it.
        let bytes = Array(text.utf8)
        var lines: [Range<Int>] = []
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let next = end + 1
            if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(start..<end)
            start = next
        }
        while let last = lines.last, bytes[last].allSatisfy({ $0 == 32 || $0 == 9 }) { lines.removeLast() }

        guard let headerRange = lines.first else { throw fail(1, "file", "the file is empty") }
        let headerLine = String(decoding: bytes[headerRange], as: UTF8.self)
        let headerFields = headerLine.split(separator: ",", omittingEmptySubsequences: false)
        for (i, name) in columns.enumerated() {
            guard i < headerFields.count else {
                throw fail(1, name, "header is missing column '\(name)' (expected \(header))")
            }
            let got = headerFields[i].trimmingCharacters(in: .whitespaces)
            guard got == name else {
                throw fail(1, name, "header column \(i + 1) is '\(got)', expected '\(name)' (expected \(header))")
            }
        }
        guard headerFields.count == columns.count else {
            throw fail(1, "row", "header has \(headerFields.count) columns, expected \(columns.count)")
        }
        guard lines.count > 1 else { throw fail(1, "file", "no data rows after the header") }

        var rows: [Row] = []
        rows.reserveCapacity(lines.count - 1)
        for (offset, line) in lines.enumerated().dropFirst() {
            rows.append(try parseRow(bytes[line], lineNumber: offset + 1, fail: fail))
        }
        return try assemble(rows, fileName: fileName, fail: fail)
    }

    /// One validated data row.
    private struct Row {
        var line: Int
        var sample: Int
        var promptTokens: Int
        var sinkTokens: Int
        var windowTokens: Int
        var layer: Int
        var kvHead: Int
        var keptTokens: Int
        var ratio: Double
    }

    /// A decimal integer with an optional sign, or nil.
    private static func parseInt(_ field: ArraySlice<UInt8>) -> Int? {
        var i = field.startIndex
        var negative = false
        if i < field.endIndex && (field[i] == UInt8(ascii: "-") || field[i] == UInt8(ascii: "+")) {
            negative = field[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < field.endIndex else { return nil }
        var value = 0
        while i < field.endIndex {
            let d = Int(field[i]) - 48
            guard (0...9).contains(d) else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(d)
            guard !o1 && !o2 else { return nil }
            value = sum
            i += 1
        }
        return negative ? -value : value
    }

    private static func parseRow(
        _ line: ArraySlice<UInt8>, lineNumber: Int, fail: (Int, String, String) -> HeadProfileReadError
    ) throws(HeadProfileReadError) -> Row {
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(columns.count)
        var fieldStart = line.startIndex
        for i in line.indices where line[i] == UInt8(ascii: ",") {
            fields.append(line[fieldStart..<i])
            fieldStart = i + 1
        }
        fields.append(line[fieldStart..<line.endIndex])
        guard fields.count == columns.count else {
            throw fail(lineNumber, "row", "expected \(columns.count) fields, found \(fields.count)")
        }
        func trimmed(_ i: Int) -> ArraySlice<UInt8> {
            var f = fields[i]
            while let c = f.first, c == 32 || c == 9 { f.removeFirst() }
            while let c = f.last, c == 32 || c == 9 { f.removeLast() }
            return f
        }
        func int(_ i: Int, min lower: Int) throws(HeadProfileReadError) -> Int {
            let raw = trimmed(i)
            guard let v = parseInt(raw) else {
                throw fail(lineNumber, columns[i], "'\(String(decoding: raw, as: UTF8.self))' is not an integer")
            }
            guard v >= lower else { throw fail(lineNumber, columns[i], "\(v) is below the minimum \(lower)") }
            return v
        }
        let sample = try int(0, min: 0)
        let prompt = try int(1, min: 1)
        let sink = try int(2, min: 0)
        let window = try int(3, min: 0)
        guard window < prompt else {
            throw fail(lineNumber, "window_tokens", "window \(window) must be below prompt_tokens \(prompt)")
        }
        let layer = try int(4, min: 0)
        let kvHead = try int(5, min: 0)
        let kept = try int(6, min: 0)
        guard kept <= prompt + sink else {
            throw fail(lineNumber, "kept_tokens", "\(kept) exceeds prompt_tokens + sink_tokens = \(prompt + sink)")
        }
        let rawRatio = String(decoding: trimmed(7), as: UTF8.self)
        guard let ratio = Double(rawRatio), ratio.isFinite else {
            throw fail(lineNumber, "ratio", "'\(rawRatio)' is not a finite number")
        }
        guard (0...1).contains(ratio) else { throw fail(lineNumber, "ratio", "\(ratio) is outside [0, 1]") }
        let expected = Double(sink + window) + ratio * Double(prompt)
        let slack = 1 + ratio * Double(sink)
        if ratio > 0 {
            guard abs(Double(kept) - expected) <= slack else {
                throw fail(
                    lineNumber, "kept_tokens",
                    "\(kept) disagrees with ratio \(rawRatio): sink + window + ratio * prompt_tokens = \(expected)")
            }
        } else {
            guard Double(kept) <= expected + slack else {
                throw fail(
                    lineNumber, "kept_tokens",
                    "\(kept) exceeds sink + window = \(sink + window) although ratio is 0")
            }
        }
        return Row(
            line: lineNumber, sample: sample, promptTokens: prompt, sinkTokens: sink, windowTokens: window,
            layer: layer, kvHead: kvHead, keptTokens: kept, ratio: ratio)
    }

    private static func assemble(
        _ rows: [Row], fileName: String, fail: (Int, String, String) -> HeadProfileReadError
    ) throws(HeadProfileReadError) -> HeadProfile {
        let layers = Set(rows.map(\.layer)).sorted()
        let kvHeads = (rows.map(\.kvHead).max() ?? 0) + 1
        var seenHeads = [Bool](repeating: false, count: kvHeads)
        for row in rows { seenHeads[row.kvHead] = true }
        if let missing = seenHeads.firstIndex(of: false) {
            let row = rows.first { $0.kvHead == kvHeads - 1 }!
            throw fail(
                row.line, "kv_head", "KV heads must be numbered 0..<\(kvHeads) but kv_head \(missing) never appears")
        }
        let layerPosition = Dictionary(uniqueKeysWithValues: layers.enumerated().map { ($1, $0) })
        let headCount = layers.count * kvHeads

        struct Partial {
            var firstLine: Int
            var promptTokens: Int
            var sinkTokens: Int
            var windowTokens: Int
            var ratios: [Double]
            var kept: [Int]
            var lineOfCell: [Int]
        }
        var partials: [Partial] = []
        var indexOfSample: [Int: Int] = [:]
        for row in rows {
            let h = layerPosition[row.layer]! * kvHeads + row.kvHead
            let k: Int
            if let existing = indexOfSample[row.sample] {
                k = existing
                let p = partials[k]
                for (name, value, first) in [
                    ("prompt_tokens", row.promptTokens, p.promptTokens), ("sink_tokens", row.sinkTokens, p.sinkTokens),
                    ("window_tokens", row.windowTokens, p.windowTokens),
                ] where value != first {
                    throw fail(
                        row.line, name, "\(value) differs from \(first) on line \(p.firstLine) of sample \(row.sample)")
                }
                if p.lineOfCell[h] != 0 {
                    throw fail(
                        row.line, "kv_head",
                        "duplicate cell (sample \(row.sample), layer \(row.layer), kv_head \(row.kvHead)); "
                            + "first on line \(p.lineOfCell[h])")
                }
            } else {
                k = partials.count
                indexOfSample[row.sample] = k
                partials.append(
                    Partial(
                        firstLine: row.line, promptTokens: row.promptTokens, sinkTokens: row.sinkTokens,
                        windowTokens: row.windowTokens, ratios: Array(repeating: 0, count: headCount),
                        kept: Array(repeating: 0, count: headCount), lineOfCell: Array(repeating: 0, count: headCount)))
            }
            // Mutate in place (no copy of the per-sample arrays).
            partials[k].ratios[h] = row.ratio
            partials[k].kept[h] = row.keptTokens
            partials[k].lineOfCell[h] = row.line
        }
        var samples: [HeadProfileSample] = []
        for id in indexOfSample.keys.sorted() {
            let p = partials[indexOfSample[id]!]
            if let h = p.lineOfCell.firstIndex(of: 0) {
                let layer = layers[h / kvHeads]
                throw fail(
                    p.firstLine, "layer",
                    "sample \(id) has no row for layer \(layer), kv_head \(h % kvHeads) (every sample needs all \(layers.count) x \(kvHeads) cells)"
                )
            }
            samples.append(
                HeadProfileSample(
                    sampleID: id, promptTokens: p.promptTokens, sinkTokens: p.sinkTokens,
                    windowTokens: p.windowTokens, ratios: p.ratios, keptTokens: p.kept))
        }
        return HeadProfile(name: fileName, layerIndices: layers, kvHeadsPerLayer: kvHeads, samples: samples)
    }
}
