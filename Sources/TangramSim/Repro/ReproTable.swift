import Foundation

/// One result table of the paper reproduction (`tangram-sim repro paper`): a file stem, a title,
/// column headings and rows of already formatted cells, rendered as CSV or Markdown.
public struct ReproTable: Sendable, Hashable {
    /// File stem (`throughput_ablation` gives `throughput_ablation.csv`).
    public var name: String
    /// One-line title for the Markdown report.
    public var title: String
    /// Column headings.
    public var columns: [String]
    /// Rows, each with one cell per column.
    public var rows: [[String]]

    public init(name: String, title: String, columns: [String], rows: [[String]] = []) {
        self.name = name
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// The cells of column `heading`, top to bottom (empty when there is no such column).
    public func column(_ heading: String) -> [String] {
        guard let i = columns.firstIndex(of: heading) else { return [] }
        return rows.map { $0[i] }
    }

    /// RFC 4180 CSV with a header line.
    public var csv: String {
        func escape(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = columns.map(escape).joined(separator: ",") + "\n"
        for r in rows { out += r.map(escape).joined(separator: ",") + "\n" }
        return out
    }

    /// A GitHub-flavoured Markdown table under a `###` heading.
    public var markdown: String {
        var out = "### \(title)\n\n| " + columns.joined(separator: " | ") + " |\n|"
        out += String(repeating: "---|", count: columns.count) + "\n"
        for r in rows { out += "| " + r.joined(separator: " | ") + " |\n" }
        return out
    }

    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "nan" }
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let r = (value * p).rounded() / p
        if digits == 0 { return "\(Int(r))" }
        var s = "\(r)"
        if s.contains("e") { return "\(value)" }
        if !s.contains(".") { s += "." }
        let decimals = s.split(separator: ".", omittingEmptySubsequences: false)[1].count
        return s + String(repeating: "0", count: max(0, digits - decimals))
    }
}
