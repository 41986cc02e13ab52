import TangramSim

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The figures of each known table of ``ReproReport``.
extension ReproReport {
    /// Cells of a table read by column name; numbers are finite doubles (`nan` and text give nil).
    struct Cells {
        private var index: [String: Int] = [:]
        /// The table's rows.
        let rows: [[String]]

        init(_ table: ReproTable) {
            rows = table.rows
            for (i, column) in table.columns.enumerated() where index[column] == nil { index[column] = i }
        }

        /// The cell of `column` in `row`, nil when the table has no such column.
        func text(_ row: [String], _ column: String) -> String? {
            guard let i = index[column], i < row.count else { return nil }
            return row[i]
        }

        /// The cell as a finite number.
        func number(_ row: [String], _ column: String) -> Double? {
            guard let text = text(row, column), let value = Double(text), value.isFinite else { return nil }
            return value
        }

        /// Distinct texts of `column` in order of first appearance.
        func distinct(_ column: String, in rows: [[String]]? = nil) -> [String] {
            var seen: Set<String> = []
            return (rows ?? self.rows).compactMap { text($0, column) }.filter { seen.insert($0).inserted }
        }

        /// (x, y) of every row where both are numbers, sorted by x.
        func points(
            _ rows: [[String]], x: String, y: String, mapX: (Double) -> Double? = { $0 }
        ) -> [(Double, Double)] {
            rows.compactMap { row -> (Double, Double)? in
                guard let xv = number(row, x).flatMap(mapX), xv.isFinite, let yv = number(row, y) else { return nil }
                return (xv, yv)
            }.sorted { $0.0 < $1.0 }
        }
    }

    /// The figures (`<figure>` elements) of a table; empty for unknown tables and when nothing
    /// can be drawn.
    static func figures(for table: ReproTable) -> [String] {
        let cells = Cells(table)
        switch table.name {
        case "throughput_ablation": return ablationFigures(cells)
        case "decode_attention": return decodeFigures(cells)
        case "prefill_breakdown": return prefillFigures(cells)
        case "memory_reclaimed": return memoryFigures(cells)
        case "throughput_vs_hp": return headsPerGroupThroughputFigures(cells)
        case "ttft_vs_rate": return ttftFigures(cells)
        case "fragmentation_vs_hp": return fragmentationFigures(cells)
        default: return []
        }
    }

    // MARK: Throughput ablation

    private static func ablationFigures(_ cells: Cells) -> [String] {
        let models = cells.rows.compactMap { modelLabel(cells, $0) }.reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        let buckets = bucketOrder(cells.distinct("bucket"))
        let domain = keptDomain(cells.rows.compactMap { cells.number($0, "kept_ratio") })
        var figures: [String] = []
        for bucket in buckets {
            let rows = cells.rows.filter { cells.text($0, "bucket") == bucket && cells.text($0, "policy") == "tangram" }
            let series = models.enumerated().compactMap { index, model -> LineChart.Series? in
                let points = cells.points(
                    rows.filter { modelLabel(cells, $0) == model }, x: "kept_ratio", y: "normalised_to_vllm",
                    mapX: { 1 - $0 })
                return points.isEmpty
                    ? nil
                    : LineChart.Series(
                        label: model, color: ChartPalette.color(index), dash: ChartPalette.dash(index), points: points)
            }
            guard !series.isEmpty else { continue }
            let chart = LineChart(
                id: "chart-ablation-kept-\(slug(bucket))", title: "tangram over vllm, \(bucket) bucket",
                subtitle: "Request throughput normalised to vllm, by kept ratio", xTitle: keptTitle,
                yTitle: "throughput / vllm", xFormatter: keptLabel, series: series, xDomain: domain,
                guides: [LineChart.Guide(value: 1, label: "vllm")], height: 360)
            figures.append(
                HTMLReport.figure(
                    chart.render(), caption: "Above the vllm line is faster than vllm on the same datasets.")
            )
        }
        if let bars = ablationBars(cells, models: models, buckets: buckets) { figures.append(bars) }
        return figures
    }

    /// Every non-baseline policy per model at the smallest kept ratio of the longest bucket.
    private static func ablationBars(_ cells: Cells, models: [String], buckets: [String]) -> String? {
        guard let bucket = buckets.last else { return nil }
        let inBucket = cells.rows.filter { cells.text($0, "bucket") == bucket }
        guard let kept = inBucket.compactMap({ cells.number($0, "kept_ratio") }).min() else { return nil }
        let rows = inBucket.filter { cells.number($0, "kept_ratio") == kept && cells.text($0, "policy") != "vllm" }
        let policies = policyOrder(cells.distinct("policy", in: rows))
        var bars: [BarChart.Bar] = []
        for model in models {
            for policy in policies {
                for row in rows where modelLabel(cells, row) == model && cells.text(row, "policy") == policy {
                    guard let value = cells.number(row, "normalised_to_vllm") else { continue }
                    bars.append(
                        BarChart.Bar(
                            label: model, value: value, color: policyColor(policy, among: policies),
                            annotation: policy))
                }
            }
        }
        guard !bars.isEmpty else { return nil }
        let chart = BarChart(
            id: "chart-ablation-policies", title: "Ablation at kept \(plain(kept)), \(bucket) bucket",
            subtitle: "Each policy adds one piece of Tangram", axisTitle: "request throughput / vllm (1 = vllm)",
            bars: bars)
        return HTMLReport.figure(
            chart.render(),
            caption:
                "tangram-sb: static budgets on monolithic pages; tangram-sb-rp: plus ragged paging; tangram: plus the ahead-of-time attention table."
        )
    }

    /// `model`, with ` (TP n)` when the table says n > 1.
    private static func modelLabel(_ cells: Cells, _ row: [String]) -> String? {
        guard let model = cells.text(row, "model") else { return nil }
        guard let tp = cells.text(row, "tp").flatMap({ Int($0) }), tp > 1 else { return model }
        return "\(model) (TP \(tp))"
    }

    /// Buckets short, mid, long in that order, then unknown ones in order of appearance.
    static func bucketOrder(_ buckets: [String]) -> [String] {
        let known = ["short", "mid", "long"]
        return buckets.enumerated().sorted { a, b in
            let ra = known.firstIndex(of: a.element.lowercased()) ?? known.count
            let rb = known.firstIndex(of: b.element.lowercased()) ?? known.count
            return (ra, a.offset) < (rb, b.offset)
        }.map(\.element)
    }

    // MARK: Decode attention

    private static func decodeFigures(_ cells: Cells) -> [String] {
        let partitions = partitionOrder(cells.distinct("partition"))
        let domain = keptDomain(cells.rows.compactMap { cells.number($0, "kept_ratio") })
        func series(_ column: String) -> [LineChart.Series] {
            partitions.enumerated().compactMap { index, partition in
                let rows = cells.rows.filter { cells.text($0, "partition") == partition }
                let points = cells.points(rows, x: "kept_ratio", y: column, mapX: { 1 - $0 })
                return points.isEmpty
                    ? nil
                    : LineChart.Series(
                        label: partitionLabel(partition), color: partitionColor(partition, index: index),
                        dash: ChartPalette.dash(index), points: points)
            }
        }
        var figures: [String] = []
        var latency = series("attention_plus_planning_ms")
        if !latency.isEmpty {
            let ideal = idealPoints(cells)
            if !ideal.isEmpty {
                latency.append(
                    LineChart.Series(
                        label: "ideal (perfect balance)", color: ChartPalette.muted, dash: "2.5 3", points: ideal,
                        width: 1.5))
            }
            let chart = LineChart(
                id: "chart-decode-latency", title: "Decode attention latency",
                subtitle: "One step at batch 4, attention plus host planning", xTitle: keptTitle,
                yTitle: "attention + planning (ms)", xFormatter: keptLabel, series: latency, xDomain: domain,
                height: 360)
            figures.append(HTMLReport.figure(chart.render(), caption: "Lower is better."))
        }
        let imbalance = series("imbalance")
        if !imbalance.isEmpty {
            let chart = LineChart(
                id: "chart-decode-imbalance", title: "Load imbalance",
                subtitle: "Slowest thread block over the perfectly balanced time", xTitle: keptTitle,
                yTitle: "imbalance (× ideal)", xFormatter: keptLabel, series: imbalance, xDomain: domain,
                guides: [LineChart.Guide(value: 1, label: "balanced")], height: 360)
            figures.append(
                HTMLReport.figure(
                    chart.render(), caption: "Fixed splits straggle more as head budgets grow unequal."))
        }
        return figures
    }

    /// The ideal attention time at each kept ratio (first row that has it).
    private static func idealPoints(_ cells: Cells) -> [(Double, Double)] {
        var seen: Set<Double> = []
        return cells.points(cells.rows, x: "kept_ratio", y: "ideal_attention_ms", mapX: { 1 - $0 })
            .filter { seen.insert($0.0).inserted }
    }

    /// Known partitions first (ahead-of-time, FlashDecoding-like, FlashInfer-like), then others.
    private static func partitionOrder(_ partitions: [String]) -> [String] {
        let known = ["flashinfer", "flashdecoding", "aot"]
        return partitions.enumerated().sorted { a, b in
            ((known.firstIndex(of: a.element) ?? known.count), a.offset)
                < ((known.firstIndex(of: b.element) ?? known.count), b.offset)
        }.map(\.element)
    }

    private static func partitionLabel(_ partition: String) -> String {
        switch partition {
        case "flashinfer": return "FlashInfer-like (attention + planning)"
        case "flashdecoding": return "FlashDecoding-like"
        case "aot": return "ahead-of-time (Tangram)"
        default: return partition
        }
    }

    private static func partitionColor(_ partition: String, index: Int) -> String {
        switch partition {
        case "aot": return ChartPalette.color(0)
        case "flashdecoding": return ChartPalette.color(1)
        case "flashinfer": return ChartPalette.color(2)
        default: return ChartPalette.color(3 + index)
        }
    }

    // MARK: Prefill breakdown

    /// Parts of the prefill, with their colours (Okabe–Ito, grey for the rest).
    static let prefillParts: [(column: String, label: String, color: String)] = [
        ("gemm_ms", "GEMM", "#0072B2"), ("attention_ms", "attention", "#E69F00"),
        ("compression_ms", "compression", "#009E73"), ("reclaim_ms", "reclaim", "#D55E00"),
        ("other_ms", "other", "#BBBBBB"),
    ]

    /// The reclaim share of the dynamic policy against context length, one line per model and
    /// chunk size (one chart per `writeback` value when the table has that column), then the
    /// stacked breakdown: one chart per model (at the first chunk size listed) when the table has a
    /// `model` column, else one chart of every row.
    private static func prefillFigures(_ cells: Cells) -> [String] {
        var figures: [String] = []
        let writebacks = cells.distinct("writeback").filter { !$0.isEmpty }
        if writebacks.isEmpty {
            if let share = reclaimShareFigure(cells, rows: cells.rows, writeback: nil) { figures.append(share) }
        }
        for writeback in writebacks {
            let rows = cells.rows.filter { cells.text($0, "writeback") == writeback }
            if let share = reclaimShareFigure(cells, rows: rows, writeback: writeback) { figures.append(share) }
        }
        let models = cells.distinct("model")
        guard !models.isEmpty else {
            return figures
                + [prefillBreakdownFigure(cells, rows: cells.rows, id: "chart-prefill-breakdown", title: "")]
                .compactMap { $0 }
        }
        let chunk = cells.distinct("chunk_tokens").first
        var used: Set<String> = []
        for model in models {
            let rows = cells.rows.filter {
                cells.text($0, "model") == model && (chunk == nil || cells.text($0, "chunk_tokens") == chunk)
            }
            let label = rows.first.flatMap { modelLabel(cells, $0) } ?? model
            let id = uniqueID("chart-prefill-breakdown-\(slug(model))", &used)
            let title = chunk.map { "\(label), \($0)-token chunks" } ?? label
            if let figure = prefillBreakdownFigure(cells, rows: rows, id: id, title: title) { figures.append(figure) }
        }
        return figures
    }

    /// Stacked parts of the first prefill of each (task, policy) row.
    private static func prefillBreakdownFigure(_ cells: Cells, rows: [[String]], id: String, title: String) -> String? {
        var categories: [String] = []
        var values: [[Double]] = []
        for row in rows {
            let parts = prefillParts.map { cells.number(row, $0.column) ?? .nan }
            guard parts.contains(where: \.isFinite) else { continue }
            categories.append(
                [cells.text(row, "task"), cells.text(row, "policy"), cells.text(row, "writeback")]
                    .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · "))
            values.append(parts)
        }
        let shown = prefillParts.indices.filter { c in values.contains { $0[c].isFinite && $0[c] > 0 } }
        guard !categories.isEmpty, !shown.isEmpty else { return nil }
        let chart = StackedBarChart(
            id: id, title: title.isEmpty ? "First-prefill time by part" : "First-prefill time by part: \(title)",
            subtitle: "Modelled time of all chunks of one conversation's first prefill",
            axisTitle: "prefill time (ms)",
            components: shown.map {
                StackedBarChart.Component(label: prefillParts[$0].label, color: prefillParts[$0].color)
            },
            categories: categories, values: values.map { row in shown.map { row[$0] } }, totalSuffix: " ms",
            valueDecimals: 0)
        return HTMLReport.figure(
            chart.render(), caption: "Percentages: share of the prefill. Hover a part for its exact time.", wide: true)
    }

    /// Reclaim's share of the prefill of every row of `rows` that reclaims, against the context
    /// length: one line per model (colour) and chunk size (solid for the first listed, dashed
    /// after); `writeback` names the write-back the rows share, if the table says.
    private static func reclaimShareFigure(_ cells: Cells, rows: [[String]], writeback: String?) -> String? {
        let reclaiming = rows.filter { (cells.number($0, "reclaim_ms") ?? 0) > 0 }
        let models = cells.distinct("model", in: reclaiming)
        let chunks = cells.distinct("chunk_tokens", in: reclaiming)
        var series: [LineChart.Series] = []
        for (m, model) in (models.isEmpty ? [nil] : models.map { Optional($0) }).enumerated() {
            for (c, chunk) in (chunks.isEmpty ? [nil] : chunks.map { Optional($0) }).enumerated() {
                let rows = reclaiming.filter {
                    (model == nil || cells.text($0, "model") == model)
                        && (chunk == nil || cells.text($0, "chunk_tokens") == chunk)
                }
                let points = cells.points(rows, x: "context_tokens", y: "reclaim_share", mapX: { $0 / 1000 })
                guard !points.isEmpty else { continue }
                let name = [rows.first.flatMap { modelLabel(cells, $0) }, chunk.map { "\($0)-token chunks" }]
                    .compactMap { $0 }.joined(separator: ", ")
                series.append(
                    LineChart.Series(
                        label: name.isEmpty ? "reclaim" : name, color: ChartPalette.color(m),
                        dash: c == 0 ? "" : "8 4", points: points))
            }
        }
        guard !series.isEmpty else { return nil }
        let chart = LineChart(
            id: writeback.map { $0 == "batched" ? "chart-prefill-reclaim-share" : "chart-prefill-reclaim-share-\(slug($0))" }
                ?? "chart-prefill-reclaim-share",
            title: "Reclaim's share of the dynamic prefill" + (writeback.map { ", \($0) write-back" } ?? ""),
            subtitle: "Compact-and-free time over the whole first prefill, kept 0.25",
            xTitle: "context (thousand tokens)", yTitle: "reclaim share of prefill", series: series,
            yFormatter: percent, width: 1100, height: 420)
        return HTMLReport.figure(
            chart.render(), caption: "One line per model and chunk size; dashed: the second chunk size listed.",
            wide: true)
    }

    // MARK: Memory reclaimed

    private static func memoryFigures(_ cells: Cells) -> [String] {
        let parts: [(column: String, label: String, color: String, dash: String)] = [
            ("sorted_reclaimed", "sorted", ChartPalette.color(0), ""),
            ("adjacent_reclaimed", "adjacent", ChartPalette.color(1), "8 4"),
            ("monolithic_reclaimed", "monolithic", ChartPalette.color(2), "10 3 2.5 3"),
            ("ideal_reclaimed", "ideal", ChartPalette.muted, "2.5 3"),
        ]
        let largest = cells.rows.flatMap { row in parts.compactMap { cells.number(row, $0.column) } }.max() ?? 1
        let domain = keptDomain(cells.rows.compactMap { cells.number($0, "kept_ratio") })
        var used: Set<String> = []
        return cells.distinct("model").compactMap { model in
            let rows = cells.rows.filter { cells.text($0, "model") == model }
            let series = parts.compactMap { part -> LineChart.Series? in
                let points = cells.points(rows, x: "kept_ratio", y: part.column, mapX: { 1 - $0 })
                return points.isEmpty
                    ? nil
                    : LineChart.Series(
                        label: part.label, color: part.color, dash: part.dash, points: points,
                        width: part.label == "ideal" ? 1.5 : 2)
            }
            guard !series.isEmpty else { return nil }
            let chart = LineChart(
                id: uniqueID("chart-memory-reclaimed-\(slug(model))", &used), title: model,
                subtitle: "Share of the full KV cache freed after compression", xTitle: keptTitle,
                yTitle: "reclaimed (share of KV)", xFormatter: keptLabel, series: series, xDomain: domain,
                yMaximum: max(largest, 0.01), yFormatter: percent, height: 320)
            return HTMLReport.figure(chart.render(), caption: "")
        }
    }

    // MARK: Throughput and fragmentation against H_p

    private static func headsPerGroupThroughputFigures(_ cells: Cells) -> [String] {
        var figures: [String] = []
        let throughput = cells.points(cells.rows, x: "heads_per_group", y: "normalised_to_vllm", mapX: log2OfPositive)
        if !throughput.isEmpty {
            let chart = hpChart(
                "chart-hp-throughput", "tangram throughput against H_p", "Request throughput normalised to vllm",
                "throughput / vllm",
                [LineChart.Series(label: "tangram", color: policyColor("tangram", among: []), points: throughput)],
                guides: [LineChart.Guide(value: 1, label: "vllm")])
            figures.append(HTMLReport.figure(chart.render(), caption: "Above the vllm line is faster than vllm."))
        }
        let fragmentation = cells.points(cells.rows, x: "heads_per_group", y: "fragmentation", mapX: log2OfPositive)
        if !fragmentation.isEmpty {
            let chart = hpChart(
                "chart-hp-fragmentation", "Fragmentation against H_p", "Share of allocated KV memory holding nothing",
                "fragmentation",
                [LineChart.Series(label: "fragmentation", color: ChartPalette.trapped, points: fragmentation)],
                yFormatter: percent)
            figures.append(HTMLReport.figure(chart.render(), caption: "A page group is sized by its longest head."))
        }
        return figures
    }

    private static func fragmentationFigures(_ cells: Cells) -> [String] {
        var figures: [String] = []
        let shares = [
            ("fragmentation", "fragmentation", ChartPalette.trapped, ""),
            ("reclaimed", "reclaimed", ChartPalette.used, "8 4"),
        ].compactMap { column, label, color, dash -> LineChart.Series? in
            let points = cells.points(cells.rows, x: "heads_per_group", y: column, mapX: log2OfPositive)
            return points.isEmpty ? nil : LineChart.Series(label: label, color: color, dash: dash, points: points)
        }
        if !shares.isEmpty {
            let chart = hpChart(
                "chart-frag-share", "Fragmentation and reclaimed memory", "Share of the full KV cache", "share of KV",
                shares, yFormatter: percent)
            figures.append(HTMLReport.figure(chart.render(), caption: "Larger groups reclaim less."))
        }
        if let figure = blockTableFigure(cells) { figures.append(figure) }
        return figures
    }

    /// Host block-table time, naive vs vectorised, on a log y axis (drawn as decades).
    private static func blockTableFigure(_ cells: Cells) -> String? {
        let columns = [
            ("block_table_naive_us", "naive (per entry)", ChartPalette.color(1), ""),
            ("block_table_vectorized_us", "vectorised", ChartPalette.color(0), "8 4"),
        ]
        let raw = columns.map { cells.points(cells.rows, x: "heads_per_group", y: $0.0, mapX: log2OfPositive) }
        guard let axis = DecadeAxis(values: raw.flatMap { $0.map(\.1) }) else { return nil }
        let series = zip(columns, raw).compactMap { column, points -> LineChart.Series? in
            let mapped = points.filter { $0.1 > 0 }.map { ($0.0, axis.position($0.1)) }
            return mapped.isEmpty
                ? nil : LineChart.Series(label: column.1, color: column.2, dash: column.3, points: mapped)
        }
        let chart = hpChart(
            "chart-frag-block-table", "Host block-table time", "Per decode step, 16 requests crossing a page boundary",
            "host time (µs, log scale)", series, yMaximum: axis.maximum, yTickCount: axis.tickCount,
            yFormatter: axis.label)
        return HTMLReport.figure(chart.render(), caption: "Work falls as 1/H_p; vectorising removes most of it.")
    }

    /// A line chart against H_p on a log2 x axis.
    private static func hpChart(
        _ id: String, _ title: String, _ subtitle: String, _ yTitle: String, _ series: [LineChart.Series],
        guides: [LineChart.Guide] = [], yMaximum: Double? = nil, yTickCount: Int = 5,
        yFormatter: ((Double) -> String)? = nil
    ) -> LineChart {
        let xs = series.flatMap { $0.points.map(\.0) }
        let low = xs.min() ?? 0, high = xs.max() ?? 1
        return LineChart(
            id: id, title: title, subtitle: subtitle, xTitle: "heads per page group H_p (log₂ scale)",
            yTitle: yTitle, xFormatter: powerOfTwoLabel, series: series,
            xDomain: high > low ? (low, high) : (low - 1, high + 1), yMaximum: yMaximum, yTickCount: yTickCount,
            yFormatter: yFormatter, guides: guides, height: 360)
    }

    // MARK: TTFT against request rate

    private static func ttftFigures(_ cells: Cells) -> [String] {
        let policies = policyOrder(cells.distinct("policy"))
        var latency: [LineChart.Series] = []
        var throughput: [LineChart.Series] = []
        for policy in policies {
            let rows = cells.rows.filter { cells.text($0, "policy") == policy }
            let color = policyColor(policy, among: policies)
            let positive: (Double) -> Double? = { $0 > 0 ? $0 : nil }
            let mean = cells.points(rows, x: "rate_req_s", y: "mean_ttft_s", mapX: positive)
            let p90 = cells.points(rows, x: "rate_req_s", y: "p90_ttft_s", mapX: positive)
            let done = cells.points(rows, x: "rate_req_s", y: "throughput_req_s", mapX: positive)
            if !mean.isEmpty { latency.append(LineChart.Series(label: "\(policy) mean", color: color, points: mean)) }
            if !p90.isEmpty {
                latency.append(
                    LineChart.Series(label: "\(policy) p90", color: color, dash: "8 4", points: p90, width: 1.5))
            }
            if !done.isEmpty { throughput.append(LineChart.Series(label: policy, color: color, points: done)) }
        }
        var figures: [String] = []
        if !latency.isEmpty {
            let chart = LineChart(
                id: "chart-ttft-rate", title: "Time to first token against request rate",
                subtitle: "Mean (solid) and p90 (dashed) TTFT", xTitle: "request rate (req/s, log scale)",
                yTitle: "TTFT (s)", series: latency, xKind: .log, height: 360)
            figures.append(HTMLReport.figure(chart.render(), caption: "The knee is where the queue starts to grow."))
        }
        if !throughput.isEmpty {
            let chart = LineChart(
                id: "chart-ttft-throughput", title: "Served throughput against request rate",
                subtitle: "Completed requests per simulated second", xTitle: "request rate (req/s, log scale)",
                yTitle: "throughput (req/s)", series: throughput, xKind: .log, height: 360)
            figures.append(HTMLReport.figure(chart.render(), caption: "The plateau is the sustainable rate."))
        }
        return figures
    }

    // MARK: Shared pieces

    /// Policies in ablation order (vllm, tangram-sb, tangram-sb-rp, tangram, …), then others.
    static let knownPolicies = ["vllm", "tangram-sb", "tangram-sb-rp", "tangram", "dynamic-fd", "dynamic-fi"]

    private static func policyOrder(_ policies: [String]) -> [String] {
        policies.enumerated().sorted { a, b in
            ((knownPolicies.firstIndex(of: a.element) ?? knownPolicies.count), a.offset)
                < ((knownPolicies.firstIndex(of: b.element) ?? knownPolicies.count), b.offset)
        }.map(\.element)
    }

    /// A policy's colour, the same in every chart for known policies (tangram blue, vllm
    /// vermillion); other policies take the remaining colours in their order in `among`.
    static func policyColor(_ policy: String, among policies: [String]) -> String {
        let known = [
            "tangram": 0, "vllm": 1, "tangram-sb-rp": 2, "dynamic-fd": 3, "tangram-sb": 4, "dynamic-fi": 5,
        ]
        if let index = known[policy] { return ChartPalette.color(index) }
        let others = policies.filter { known[$0] == nil }
        return ChartPalette.color(6 + (others.firstIndex(of: policy) ?? 0))
    }

    /// The x domain (compression, 1 − kept) covering `kept` ratios, padded when there is one.
    private static func keptDomain(_ kept: [Double]) -> (Double, Double)? {
        guard let low = kept.min(), let high = kept.max() else { return nil }
        return high > low ? (1 - high, 1 - low) : (1 - high - 0.1, 1 - low + 0.1)
    }

    private static let keptTitle = "kept ratio (compression grows to the right)"

    /// Tick label of a compression x value: the kept ratio 1 − x.
    private static func keptLabel(_ x: Double) -> String { plain(1 - x) }

    /// `value` with at most two decimals and no trailing zeros (`0.50` gives `0.5`).
    static func plain(_ value: Double) -> String {
        var text = NumberText.fixed(value, decimals: 2)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// A share as a percentage tick label.
    private static func percent(_ value: Double) -> String {
        let p = value * 100
        return NumberText.fixed(p, decimals: abs(p - p.rounded()) < 1e-9 ? 0 : 1) + "%"
    }

    private static func log2OfPositive(_ value: Double) -> Double? { value > 0 ? log2(value) : nil }

    /// Tick label of a log2 x value: 2^x at whole x, blank between.
    private static func powerOfTwoLabel(_ x: Double) -> String {
        abs(x - x.rounded()) < 1e-9 ? NumberText.grouped(pow(2, x.rounded()), decimals: 0) : ""
    }

    /// `base`, or `base-2`, `base-3`, … when already used.
    static func uniqueID(_ base: String, _ used: inout Set<String>) -> String {
        var id = base
        var n = 2
        while used.contains(id) {
            id = "\(base)-\(n)"
            n += 1
        }
        used.insert(id)
        return id
    }

    /// A base-10 log y axis drawn on the linear y of ``LineChart``: a value v is placed at
    /// log10(v) − base (base: the decade below the smallest value), ticks at whole decades.
    struct DecadeAxis {
        /// log10 of the lowest tick.
        var base: Double
        /// Decades spanned (at least 1).
        var decades: Int

        /// Nil when no value is positive and finite.
        init?(values: [Double]) {
            let positive = values.filter { $0 > 0 && $0.isFinite }
            guard let low = positive.min(), let high = positive.max() else { return nil }
            base = floor(log10(low))
            decades = max(1, Int(ceil(log10(high) - base - 1e-9)))
        }

        /// The drawn y of `value` (> 0).
        func position(_ value: Double) -> Double { log10(value) - base }
        /// The y maximum.
        var maximum: Double { Double(decades) }
        /// Ticks one decade apart.
        var tickCount: Int { decades }

        /// The value at a drawn y tick, blank between decades.
        func label(_ y: Double) -> String {
            guard abs(y - y.rounded()) < 1e-9 else { return "" }
            let exponent = y.rounded() + base
            return NumberText.grouped(pow(10, exponent), decimals: max(0, Int(-exponent)))
        }
    }
}
