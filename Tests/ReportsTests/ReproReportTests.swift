import Foundation
import TangramSim
import Testing

@testable import Reports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The HTML page of `repro paper`: one section per table, the charts the brief lists, every
/// row shown, text escaped, and nothing but the tables shaping the output.
@Suite struct ReproReportTests {
    // MARK: Fixtures (numbers chosen by hand)

    static let ablationColumns = [
        "model", "tp", "bucket", "kept_ratio", "policy", "tasks", "requests", "throughput_req_s",
        "normalised_to_vllm", "pooled_normalised_to_vllm", "preemptions", "max_concurrent_sessions",
    ]

    /// Normalised throughput of (model, bucket, kept, policy). At long / 0.25 the non-baseline
    /// policies read 1.11 / 1.22 / 1.33 (m-a) and 2.11 / 2.22 / 2.33 (m-b); everything else is
    /// in 5..9, so a bar chart built from the wrong bucket or ratio shows other numbers.
    static func normalised(_ model: Int, _ bucket: String, _ kept: String, _ policy: Int) -> String {
        if policy == 0 { return "1.000" }
        if bucket == "long" && kept == "0.25" { return "\(1 + model).\(policy)\(policy)" }
        if bucket == "short" && policy == 3 { return kept == "0.75" ? "5.20" : "5.80" }
        return "\(6 + model).\(bucket == "long" ? 7 : 4)\(policy)"
    }

    /// 2 models × 2 buckets × 2 kept ratios × 4 policies; the long bucket comes first so that
    /// "longest" cannot mean "last seen".
    static var ablation: ReproTable {
        var rows: [[String]] = []
        let policies = ["vllm", "tangram-sb", "tangram-sb-rp", "tangram"]
        for bucket in ["long", "short"] {
            for (m, model) in [("m-a", "1"), ("m-b", "2")].enumerated() {
                for kept in ["0.75", "0.25"] {
                    for (p, policy) in policies.enumerated() {
                        let value = normalised(m, bucket, kept, p)
                        rows.append([
                            model.0, model.1, bucket, kept, policy, "t1+t2", "20", "0.1", value, value, "0", "4",
                        ])
                    }
                }
            }
        }
        return ReproTable(
            name: "throughput_ablation", title: "Throughput ablation", columns: ablationColumns, rows: rows)
    }

    static let decode = ReproTable(
        name: "decode_attention", title: "Decode attention",
        columns: [
            "kept_ratio", "partition", "attention_ms", "ideal_attention_ms", "imbalance", "planning_ms",
            "attention_plus_planning_ms", "step_ms", "planning_share_of_step", "vs_aot",
        ],
        rows: [
            ["0.75", "flashinfer", "9", "9", "1.000", "3", "12", "20", "0.15", "1.3"],
            ["0.75", "flashdecoding", "10", "9", "1.111", "0", "10", "19", "0", "1.1"],
            ["0.75", "aot", "9.5", "9", "1.056", "0", "9.5", "18", "0", "1"],
            ["0.25", "flashinfer", "4", "4", "1.000", "3", "7", "16", "0.19", "1.6"],
            ["0.25", "flashdecoding", "6", "4", "1.500", "0", "6", "15", "0", "1.4"],
            ["0.25", "aot", "4.4", "4", "1.100", "0", "4.4", "13", "0", "1"],
        ])

    /// dynamic-fd: 10 + 5 + 0 + 1 + 4 = 20 ms; tangram: 10 + 5 + 0 + 0 + 4 = 19 ms; compression is
    /// zero in both rows.
    static let prefill = ReproTable(
        name: "prefill_breakdown", title: "Prefill breakdown",
        columns: [
            "task", "context_tokens", "policy", "prefill_ms", "gemm_ms", "attention_ms", "compression_ms",
            "reclaim_ms", "other_ms", "reclaim_share", "vs_tangram",
        ],
        rows: [
            ["qa", "50000", "dynamic-fd", "20", "10", "5", "0", "1", "4", "0.05", "1.0526"],
            ["qa", "50000", "tangram", "19", "10", "5", "0", "0", "4", "0", "1"],
        ])

    static let memory = ReproTable(
        name: "memory_reclaimed", title: "Memory reclaimed",
        columns: [
            "model", "kept_ratio", "monolithic_reclaimed", "adjacent_reclaimed", "sorted_reclaimed",
            "sorted_minus_adjacent", "ideal_reclaimed",
        ],
        rows: [
            ["Model X.1", "0.70", "0.0000", "0.0450", "0.2947", "0.2497", "0.3"],
            ["Model X.1", "0.30", "0.0000", "0.4939", "0.6938", "0.1999", "0.7"],
            ["m-b", "0.70", "0.0000", "0.1000", "0.2900", "0.1900", "0.3"],
            ["m-b", "0.30", "0.5000", "0.6000", "0.6900", "0.0900", "0.7"],
        ])

    static let throughputVersusHp = ReproTable(
        name: "throughput_vs_hp", title: "Throughput vs H_p",
        columns: [
            "heads_per_group", "throughput_req_s", "normalised_to_vllm", "fragmentation",
            "block_table_entries_per_step",
        ],
        rows: [
            ["1", "0.12", "1.70", "0.0004", "1941"], ["4", "0.12", "1.71", "0.02", "514"],
            ["16", "0.12", "1.72", "0.05", "139"], ["64", "0.12", "1.73", "0.19", "47"],
        ])

    static let ttft = ReproTable(
        name: "ttft_vs_rate", title: "TTFT vs rate",
        columns: ["rate_req_s", "policy", "mean_ttft_s", "p90_ttft_s", "throughput_req_s"],
        rows: [
            ["0.05", "vllm", "3.8", "4.8", "0.04"], ["0.05", "tangram", "2.9", "3.5", "0.04"],
            ["2.0", "vllm", "25", "45", "0.26"], ["2.0", "tangram", "19", "33", "0.33"],
        ])

    static let fragmentation = ReproTable(
        name: "fragmentation_vs_hp", title: "Fragmentation vs H_p",
        columns: [
            "heads_per_group", "groups", "fragmentation", "reclaimed", "block_table_entries_per_request",
            "block_table_naive_us", "block_table_vectorized_us",
        ],
        rows: [
            ["1", "256", "0.0005", "0.7495", "262666", "3400", "60"],
            ["4", "64", "0.0225", "0.7439", "67142", "850", "16"],
            ["16", "16", "0.0999", "0.7218", "18229", "212", "5.4"],
            ["64", "4", "0.3530", "0.6130", "6340", "53", "2.7"],
        ])

    static let perTask = ReproTable(
        name: "throughput_per_task", title: "Per task",
        columns: ["model", "task", "policy", "normalised_to_vllm"],
        rows: [["m-a", "qa", "vllm", "1.000"], ["m-a", "qa", "tangram", "1.500"]])

    static var all: [ReproTable] {
        [ablation, perTask, decode, prefill, memory, throughputVersusHp, ttft, fragmentation]
    }

    /// The chart ids the brief and the type's documentation promise for ``all``.
    static let expectedIDs: Set<String> = [
        "chart-ablation-kept-short", "chart-ablation-kept-long", "chart-ablation-policies",
        "chart-decode-latency", "chart-decode-imbalance", "chart-prefill-breakdown", "chart-prefill-reclaim-share",
        "chart-memory-reclaimed-model-x-1", "chart-memory-reclaimed-m-b", "chart-hp-throughput",
        "chart-hp-fragmentation", "chart-ttft-rate", "chart-ttft-throughput", "chart-frag-share",
        "chart-frag-block-table",
    ]

    // MARK: Helpers

    /// Every `<svg …>…</svg>` element of `html`, with its id.
    static func svgs(_ html: String) -> [(id: String, svg: String)] {
        HTMLReportTests.svgElements(html).map { svg in
            guard let r = svg.range(of: "id=\""), let e = svg.range(of: "\"", range: r.upperBound..<svg.endIndex) else {
                return ("", svg)
            }
            return (String(svg[r.upperBound..<e.lowerBound]), svg)
        }
    }

    static func svg(_ id: String, in html: String) -> String? { svgs(html).first { $0.id == id }?.svg }

    /// The text between `<section id="ID">` and its `</section>`.
    static func section(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "<section id=\"\(id)\">"),
            let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex)
        else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// Every substring between `open…>` and `close`, in order.
    static func elements(_ text: String, open: String, close: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let start = rest.range(of: open), let gt = rest.range(of: ">", range: start.upperBound..<rest.endIndex),
            let end = rest.range(of: close, range: gt.upperBound..<rest.endIndex)
        {
            out.append(String(rest[gt.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }

    /// The body rows of the first HTML table in `section`, as cell texts.
    static func bodyRows(_ section: String) -> [[String]] {
        guard let body = elements(section, open: "<tbody", close: "</tbody>").first else { return [] }
        return elements(body, open: "<tr", close: "</tr>").map { elements($0, open: "<td", close: "</td>") }
    }

    /// HTML escaping of `&`, `<`, `>` (the fixtures have no quotes).
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The (x, y) vertices of each `class="series"` path of an SVG, in drawing order.
    static func seriesPaths(_ svg: String) -> [[(Double, Double)]] {
        svg.components(separatedBy: "<path class=\"series\" d=\"").dropFirst().map { chunk in
            let d = chunk.prefix { $0 != "\"" }
            return d.split(whereSeparator: { $0 == "M" || $0 == "L" }).map { pair in
                let xy = pair.split(separator: ",").map { Double($0) ?? .nan }
                return (xy[0], xy.count > 1 ? xy[1] : .nan)
            }
        }
    }

    // MARK: Tests

    @Test func everyExpectedChartAppearsExactlyOnceAsWellFormedSVG() throws {
        let html = ReproReport(tables: Self.all, title: "Repro", subtitle: "unit grid").render()
        let ids = Self.svgs(html).map(\.id)
        #expect(Set(ids) == Self.expectedIDs)
        for id in Self.expectedIDs {
            #expect(ids.filter { $0 == id }.count == 1, "chart \(id)")
        }
        for (id, svg) in Self.svgs(html) {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "chart \(id) is not well-formed")
        }
        // Each chart sits in its table's section.
        let owners: [String: String] = [
            "chart-ablation-policies": "throughput_ablation", "chart-decode-imbalance": "decode_attention",
            "chart-prefill-breakdown": "prefill_breakdown", "chart-memory-reclaimed-m-b": "memory_reclaimed",
            "chart-hp-fragmentation": "throughput_vs_hp", "chart-ttft-rate": "ttft_vs_rate",
            "chart-frag-block-table": "fragmentation_vs_hp",
        ]
        for (chart, table) in owners {
            #expect(Self.section(table, in: html)?.contains("id=\"\(chart)\"") == true, "\(chart) in \(table)")
        }
        // The per-task table has no chart.
        #expect(Self.section("throughput_per_task", in: html)?.contains("<svg") == false)
    }

    @Test func pageIsSelfContained() {
        let html = ReproReport(tables: Self.all, title: "Repro", subtitle: "unit grid").render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
        #expect(html.contains("<p class=\"meta\">unit grid</p>"))
    }

    @Test func sectionsFollowTheTablesAndShowEveryRow() throws {
        let tables = Self.all
        let html = ReproReport(tables: tables, title: "Repro", subtitle: "").render()
        var previous = html.startIndex
        for table in tables {
            let start = try #require(html.range(of: "<section id=\"\(table.name)\">"), "section \(table.name)")
            #expect(start.lowerBound > previous, "\(table.name) out of order")
            previous = start.lowerBound
            let section = try #require(Self.section(table.name, in: html))
            #expect(section.contains("<h2>\(Self.escaped(table.title))</h2>"))
            let head = try #require(Self.elements(section, open: "<thead", close: "</thead>").first)
            let headings = Self.elements(head, open: "<th", close: "</th>")
            #expect(headings == table.columns.map(Self.escaped), "\(table.name) headings")
            #expect(Self.bodyRows(section) == table.rows.map { $0.map(Self.escaped) }, "\(table.name) rows")
        }
    }

    @Test func textIsEscaped() throws {
        let odd = ReproTable(
            name: "custom_table", title: "A <b> & c", columns: ["x<y", "z"], rows: [["<&>", "1"], ["2", "3"]])
        let html = ReproReport(tables: [odd], title: "T <i>", subtitle: "s & t").render()
        #expect(html.contains("<title>T &lt;i&gt;</title>"))
        #expect(html.contains("s &amp; t"))
        #expect(html.contains("<h2>A &lt;b&gt; &amp; c</h2>"))
        #expect(html.contains("&lt;&amp;&gt;"))
        #expect(!html.contains("<&>"))
        #expect(!html.contains("<b>"))
        let section = try #require(Self.section("custom_table", in: html))
        #expect(Self.bodyRows(section) == [["&lt;&amp;&gt;", "1"], ["2", "3"]])
        #expect(!section.contains("<svg"))
    }

    @Test func missingAndEmptyTablesGiveNoChartAndNoCrash() throws {
        // Only one known table: only its charts, and a note naming the others.
        let html = ReproReport(tables: [Self.decode], title: "T", subtitle: "").render()
        #expect(Set(Self.svgs(html).map(\.id)) == ["chart-decode-latency", "chart-decode-imbalance"])
        #expect(html.contains("<code>throughput_ablation</code>"))
        #expect(html.contains("<code>fragmentation_vs_hp</code>"))

        // No tables at all.
        let none = ReproReport(tables: [], title: "T", subtitle: "").render()
        #expect(!none.contains("<svg"))
        #expect(!none.contains("<section"))
        #expect(none.hasSuffix("</html>\n"))

        // A known table without rows: its section, a note, no chart.
        let empty = ReproTable(name: "throughput_ablation", title: "Empty", columns: Self.ablationColumns)
        let page = ReproReport(tables: [empty], title: "T", subtitle: "").render()
        let section = try #require(Self.section("throughput_ablation", in: page))
        #expect(!section.contains("<svg"))
        #expect(section.contains("class=\"note\""))
        #expect(!section.contains("<tbody"))

        // A known table without the columns the charts need.
        let odd = ReproTable(name: "ttft_vs_rate", title: "Odd", columns: ["a"], rows: [["1"]])
        let oddPage = ReproReport(tables: [odd], title: "T", subtitle: "").render()
        #expect(!oddPage.contains("<svg"))
        #expect(Self.bodyRows(try #require(Self.section("ttft_vs_rate", in: oddPage))) == [["1"]])
    }

    @Test func renderingIsDeterministic() {
        let a = ReproReport(tables: Self.all, title: "Repro", subtitle: "x").render()
        let b = ReproReport(tables: Self.all, title: "Repro", subtitle: "x").render()
        #expect(a == b)
        #expect(a == ReproReport(tables: Self.all, title: "Repro", subtitle: "x").render())
    }

    @Test func ablationBarsUseTheSmallestKeptRatioOfTheLongestBucket() throws {
        let html = ReproReport(tables: [Self.ablation], title: "T", subtitle: "").render()
        let svg = try #require(Self.svg("chart-ablation-policies", in: html))
        let description = try #require(Self.elements(svg, open: "<desc", close: "</desc>").first)
        // Labels are the model (with its TP when above 1), annotations the policy.
        let expected = [
            "m-a: 1.11  tangram-sb", "m-a: 1.22  tangram-sb-rp", "m-a: 1.33  tangram",
            "m-b (TP 2): 2.11  tangram-sb", "m-b (TP 2): 2.22  tangram-sb-rp", "m-b (TP 2): 2.33  tangram",
        ]
        #expect(description.hasSuffix(expected.joined(separator: "; ")))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 6)
        #expect(!description.contains("vllm:"))
        #expect(Self.elements(svg, open: "<title", close: "</title>").first == "Ablation at kept 0.25, long bucket")
    }

    @Test func keptRatioAxisRunsFromLittleToMuchCompression() throws {
        let html = ReproReport(tables: [Self.ablation], title: "T", subtitle: "").render()
        // Bucket charts in short, mid, long order whatever the row order.
        let ids = Self.svgs(html).map(\.id)
        #expect(ids == ["chart-ablation-kept-short", "chart-ablation-kept-long", "chart-ablation-policies"])
        let svg = try #require(Self.svg("chart-ablation-kept-short", in: html))
        let paths = Self.seriesPaths(svg)
        #expect(paths.count == 2)
        // m-a: 5.20 at kept 0.75 (left), 5.80 at kept 0.25 (right, so higher on screen).
        let line = try #require(paths.first)
        #expect(line.count == 2)
        #expect(line[0].0 < line[1].0)
        #expect(line[0].1 > line[1].1)
    }

    @Test func nanCellsAreSkipped() throws {
        let table = ReproTable(
            name: "ttft_vs_rate", title: "TTFT",
            columns: ["rate_req_s", "policy", "mean_ttft_s", "p90_ttft_s", "throughput_req_s"],
            rows: [
                ["0.1", "vllm", "1.0", "2", "nan"], ["1", "vllm", "nan", "4", "nan"],
                ["10", "vllm", "3.0", "6", "nan"],
            ])
        let html = ReproReport(tables: [table], title: "T", subtitle: "").render()
        let svg = try #require(Self.svg("chart-ttft-rate", in: html))
        // Mean: two points left of three rows; p90: all three.
        #expect(Self.seriesPaths(svg).map(\.count) == [2, 3])
        #expect(!svg.contains("nan"))
        // Throughput has no number: no chart.
        #expect(Self.svg("chart-ttft-throughput", in: html) == nil)
        // The table still shows the cells as they are.
        #expect(
            Self.bodyRows(try #require(Self.section("ttft_vs_rate", in: html)))[1] == ["1", "vllm", "nan", "4", "nan"])
    }

    @Test func headsPerGroupAxisIsLogTwoAndBlockTableAxisIsLogTen() throws {
        let html = ReproReport(tables: [Self.throughputVersusHp, Self.fragmentation], title: "T", subtitle: "")
            .render()
        let hp = try #require(Self.svg("chart-hp-throughput", in: html))
        // H_p 1, 4, 16, 64 on a log2 axis: every power of two from 1 to 64 is a tick label.
        for label in ["1", "2", "4", "8", "16", "32", "64"] {
            #expect(hp.contains(">\(label)</text>"), "tick \(label)")
        }
        // Equal steps in log2 H_p are equal steps in x.
        let xs = try #require(Self.seriesPaths(hp).first).map(\.0)
        #expect(xs.count == 4)
        #expect(abs((xs[1] - xs[0]) - (xs[3] - xs[2])) <= 0.2)
        // Block-table times from 2.7 to 3,400 µs: decades 1 to 10,000.
        let table = try #require(Self.svg("chart-frag-block-table", in: html))
        for label in ["1", "10", "100", "1,000", "10,000"] {
            #expect(table.contains(">\(label)</text>"), "tick \(label)")
        }
        // Naive is a constant factor above vectorised in these rows at every H_p.
        let paths = Self.seriesPaths(table)
        #expect(paths.count == 2)
        for (naive, vectorised) in zip(paths[0], paths[1]) { #expect(naive.1 < vectorised.1) }
    }

    @Test func prefillChartLeavesOutPartsThatAreZeroEverywhere() throws {
        let html = ReproReport(tables: [Self.prefill], title: "T", subtitle: "").render()
        let svg = try #require(Self.svg("chart-prefill-breakdown", in: html))
        for part in ["GEMM", "attention", "reclaim", "other"] { #expect(svg.contains(">\(part)</text>"), "\(part)") }
        #expect(!svg.contains(">compression</text>"))
        #expect(svg.contains(">20 ms</text>"))
        #expect(svg.contains(">19 ms</text>"))
        #expect(svg.contains(">qa · dynamic-fd</text>"))
    }

    /// With model and chunk columns: one breakdown per model at the first chunk size listed, and
    /// one reclaim-share line per (model, chunk) that reclaims.
    @Test func prefillChartsSplitByModelAndChunk() throws {
        let columns = [
            "model", "tp", "chunk_tokens", "task", "context_tokens", "policy", "prefill_ms", "gemm_ms", "attention_ms",
            "compression_ms", "reclaim_ms", "other_ms", "reclaim_share", "vs_tangram",
        ]
        var rows: [[String]] = []
        for (model, tp) in [("small-1b", "1"), ("big-9b", "2")] {
            for chunk in ["8192", "2048"] {
                for (task, context) in [("a", "30000"), ("b", "90000")] {
                    rows.append([
                        model, tp, chunk, task, context, "dynamic-fd", "100", "50", "40", "0", "3", "7", "0.03", "1.03",
                    ])
                    rows.append([model, tp, chunk, task, context, "tangram", "97", "50", "40", "0", "0", "7", "0", "1"])
                }
            }
        }
        let table = ReproTable(name: "prefill_breakdown", title: "P", columns: columns, rows: rows)
        let html = ReproReport(tables: [table], title: "T", subtitle: "").render()
        let ids = Self.svgs(html).map(\.id)
        #expect(
            Set(ids) == [
                "chart-prefill-reclaim-share", "chart-prefill-breakdown-small-1b", "chart-prefill-breakdown-big-9b",
            ])
        // The breakdown of a model shows its two tasks under both policies at 8,192-token chunks only.
        let small = try #require(Self.svg("chart-prefill-breakdown-small-1b", in: html))
        #expect(small.contains("8192-token chunks"))
        #expect(small.components(separatedBy: "· dynamic-fd</text>").count - 1 == 2)
        #expect(small.contains("big-9b (TP 2)") == false)
        #expect(try #require(Self.svg("chart-prefill-breakdown-big-9b", in: html)).contains("big-9b (TP 2)"))
        // Four reclaim-share lines: two models x two chunk sizes, each with a legend entry.
        let share = try #require(Self.svg("chart-prefill-reclaim-share", in: html))
        for label in [
            "small-1b, 8192-token chunks", "small-1b, 2048-token chunks", "big-9b (TP 2), 8192-token chunks",
            "big-9b (TP 2), 2048-token chunks",
        ] {
            #expect(share.contains(">\(label)</text>"), "\(label)")
        }
    }

    @Test func writesAtomically() throws {
        let dir = TemporaryDirectory()
        let report = ReproReport(tables: Self.all, title: "Repro", subtitle: "")
        try report.write(to: dir.file("sub/report.html"))
        #expect(dir.text("sub/report.html") == report.render())
        #expect(dir.entries("sub") == ["report.html"])
    }

    @Test func quickGridGivesEverySectionAndChart() throws {
        let tables = try PaperReproduction(grid: .quick).run()
        let html = ReproReport(tables: tables, title: "Tangram paper reproduction", subtitle: "quick").render()
        let expectedNames = [
            "throughput_ablation", "throughput_per_task", "decode_attention", "prefill_breakdown",
            "memory_reclaimed", "throughput_vs_hp", "ttft_vs_rate", "fragmentation_vs_hp",
        ]
        #expect(tables.map(\.name) == expectedNames)
        for name in expectedNames {
            let section = try #require(Self.section(name, in: html), "section \(name)")
            #expect(section.contains("<svg") == (name != "throughput_per_task"), "charts of \(name)")
        }
        // The quick grid is Llama-3.1-8B on the Mid bucket only.
        let ids = Set(Self.svgs(html).map(\.id))
        #expect(ids.contains("chart-ablation-kept-mid"))
        #expect(ids.contains("chart-memory-reclaimed-llama-3-1-8b"))
        #expect(ids.contains("chart-prefill-breakdown-llama-3-1-8b"))
        #expect(ids.contains("chart-prefill-reclaim-share"))
        #expect(!html.contains("Not in this report"))
    }
}
