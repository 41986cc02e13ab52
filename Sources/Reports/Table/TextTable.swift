/// An aligned plain-text table: a heading line, a dashed rule, one line per row.
///
/// The first `leftAlignedColumns` columns are left-aligned, the others right-aligned; columns are
/// separated by two spaces and lines carry no trailing spaces. Every line ends with `\n`.
///
/// ```
/// run  policy  req/s
/// ---  ------  -----
/// 1    vllm     0.30
/// ```
struct TextTable: Sendable {
    /// Column headings.
    var headings: [String]
    /// Cells, one array per row, as many as headings.
    var rows: [[String]]
    /// How many leading columns are left-aligned.
    var leftAlignedColumns = 1

    /// The table text.
    func render() -> String {
        var widths = headings.map { $0.count }
        for row in rows {
            for (c, cell) in row.enumerated() where c < widths.count { widths[c] = max(widths[c], cell.count) }
        }
        let all = [headings, widths.map { String(repeating: "-", count: $0) }] + rows
        var out = ""
        for row in all {
            var cells: [String] = []
            for (c, cell) in row.enumerated() where c < widths.count {
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                if c < leftAlignedColumns {
                    cells.append(cell + pad)
                } else {
                    cells.append(pad + cell)
                }
            }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
