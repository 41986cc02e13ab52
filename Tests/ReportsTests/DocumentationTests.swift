import Foundation
import Testing

@testable import Reports

/// docs/reports.md documents every column, table and chart the code writes.
@Suite struct DocumentationTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../docs/reports.md"
    ).standardized.path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: path)))
    func everyColumnAndChartIsDocumented() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        for table in ReportSchema.tables {
            #expect(text.contains("`\(table.csvFileName)`"), "\(table.csvFileName)")
            for column in table.columns {
                #expect(text.contains("`\(column.name)`"), "\(table.name).\(column.name)")
            }
        }
        for id in HTMLReport.chartIDs + ["chart-memory-1", "chart-preemptions-time"] {
            #expect(text.contains(id), "\(id)")
        }
        #expect(text.contains("Schema version \(ReportSchema.version)."))
    }
}
