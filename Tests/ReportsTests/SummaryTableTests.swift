import TangramSim
import Testing

@testable import Reports

@Suite struct SummaryTableTests {
    @Test(arguments: [
        (1.5, 2, "1.50"),
        (2.345678, 3, "2.346"),
        (-1.25, 1, "-1.3"),  // half away from zero
        (-0.004, 2, "0.00"),  // no "-0.00"
        (12.0, 0, "12"),
        (0.05, 2, "0.05"),
        (1234567.891, 1, "1234567.9"),
    ])
    func fixedDecimals(value: Double, decimals: Int, expected: String) {
        #expect(SummaryTable.fixed(value, decimals: decimals) == expected)
    }

    @Test func nonFiniteFallsBack() {
        #expect(SummaryTable.fixed(.nan, decimals: 2) == "nan")
        #expect(SummaryTable.fixed(-.infinity, decimals: 2) == "-inf")
    }

    @Test func alignedTable() {
        var long = Fixtures.summary("a-much-longer-policy-name")
        long.throughputRequestsPerSecond = 12345.678
        let text = SummaryTable(summaries: [Fixtures.summary("vllm"), long]).render()
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == 4)  // heading, rule, two policies
        #expect(Set(lines.map(\.count)).count == 1, "all lines have the same width")
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
        #expect(lines[0].hasPrefix("policy "))
        for heading in SummaryTable.headings { #expect(lines[0].contains(heading)) }
        #expect(lines[1].allSatisfy { $0 == "-" || $0 == " " })
        // vllm: 0.3 req/s, TTFT p50 0.5 s, TPOT p50 0.0125 s = 12.50 ms, KV used 0.5 GiB, capacity 40 GiB.
        let cells = lines[2].split(separator: " ").map(String.init)
        #expect(cells == ["vllm", "0.30", "1.5", "0.500", "1.000", "12.50", "50.00", "1", "0.50", "40.00"])
        #expect(lines[3].contains("12345.68"))
    }
}
