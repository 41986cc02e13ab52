extension CapacityPlan {
    /// The plan as an aligned text table, one line per policy, with a header that states the
    /// setup, the objectives and the confidence.
    public func renderTable() -> String {
        var out = "capacity plan: \(model) on \(tensorParallel) x \(gpu) per replica, \(workload)\n"
        out += "objectives: \(objectives.objectives.map(Self.objectiveText).joined(separator: ", "))\n"
        out += "search: \(settings.seeds.count) seed\(settings.seeds.count == 1 ? "" : "s") (\(settings.seeds.map(String.init).joined(separator: ","))), "
            + "\(settings.measuredSessions) measured + \(settings.warmupSessions) warm-up sessions per probe, "
            + "\(settings.bisectionSteps) bisection steps; \(confidence)\n"
        if let t = targetRatePerSecond {
            out += "target: \(DecimalText.significant(t, 3)) sessions/s (\(targetSource == "option" ? "--target-rate" : "the workload's own rate"))"
            out += gpuHourUSD.map { ", GPU-hour $\(DecimalText.significant($0, 3, minimumDigits: 2))" } ?? ", no GPU price (--gpu-hour-usd)"
            out += "\n"
        }
        out += "\n"
        var headings = ["policy", "max sess/s", "per seed", "spread"]
        headings += objectives.objectives.map { "\($0.name) \($0.metric == .tpot ? "ms" : "s")" }
        headings += ["out tok/sess", "replicas", "GPUs", "$/M out tok", "$/M at cap"]
        let confirmed = policies.contains { $0.confirmation != nil }
        if confirmed { headings.append("cluster check") }
        var rows: [[String]] = []
        for p in policies {
            var row = [p.policy, DecimalText.significant(p.maxSessionRatePerSecond, 3, minimumDigits: 2)]
            let seeds = p.perSeedMaxRatesPerSecond
            row.append(seeds.count == 1 ? "-" : "\(DecimalText.significant(seeds.min()!, 3))..\(DecimalText.significant(seeds.max()!, 3))")
            row.append(p.seedSpreadFraction.map { DecimalText.fixed($0 * 100, digits: 1) + "%" } ?? "-")
            let worst = p.worstObservedSeconds
            for (i, o) in objectives.objectives.enumerated() {
                guard i < worst.count else { row.append("-"); continue }
                row.append(o.metric == .tpot ? DecimalText.fixed(worst[i] * 1000, digits: 1) : DecimalText.fixed(worst[i], digits: 3))
            }
            row.append(p.outputTokensPerSession.map { DecimalText.fixed($0, digits: 0) } ?? "-")
            row.append(p.replicasNeeded.map(String.init) ?? "-")
            row.append(p.gpusNeeded.map(String.init) ?? "-")
            row.append(p.usdPerMillionOutputTokens.map { DecimalText.significant($0, 3, minimumDigits: 2) } ?? "-")
            row.append(p.usdPerMillionOutputTokensAtCapacity.map { DecimalText.significant($0, 3, minimumDigits: 2) } ?? "-")
            if confirmed {
                if let c = p.confirmation {
                    row.append("\(c.passed ? "meets" : "MISSES") (\(c.replicas) x, \(c.routing))")
                } else {
                    row.append("-")
                }
            }
            rows.append(row)
        }
        out += Self.table(headings: headings, rows: rows, leftAligned: 1)
        let notes = policies.flatMap { p -> [String] in
            var n: [String] = []
            for s in p.searches where s.outcome != .bracketed {
                n.append(s.outcome == .aboveRange
                    ? "\(p.policy): seed \(s.seed) passed every rate tried; its maximum is a lower bound"
                    : "\(p.policy): seed \(s.seed) failed every rate tried, down to \(DecimalText.significant(s.failedRatePerSecond ?? 0, 3)) sessions/s")
            }
            if p.jointSearch { n.append("\(p.policy): per-seed maxima were not monotone; a joint bisection set the rate") }
            return n
        }
        let coverage = policies.flatMap { $0.verification.map(\.historyCoverage) }.min()
        if let c = coverage, c < 0.995 {
            out += "\nnote: probes reproduce \(DecimalText.fixed(c * 100, digits: 1))% of the steady-state turn load "
                + "(turns within --history of their session's start)\n"
        }
        for n in notes { out += "note: \(n)\n" }
        return out
    }

    private static func objectiveText(_ o: ServiceLevelObjective) -> String {
        let op = o.inclusive ? "<=" : "<"
        if o.limitSeconds < 1 { return "\(o.name)\(op)\(DecimalText.significant(o.limitSeconds * 1000, 3))ms" }
        return "\(o.name)\(op)\(DecimalText.significant(o.limitSeconds, 3))s"
    }

    /// Columns separated by two spaces; the first `leftAligned` left-aligned, the rest right.
    static func table(headings: [String], rows: [[String]], leftAligned: Int) -> String {
        var widths = headings.map(\.count)
        for row in rows { for (c, cell) in row.enumerated() where c < widths.count { widths[c] = max(widths[c], cell.count) } }
        var out = ""
        for row in [headings, widths.map { String(repeating: "-", count: $0) }] + rows {
            var cells: [String] = []
            for (c, cell) in row.enumerated() where c < widths.count {
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                cells.append(c < leftAligned ? cell + pad : pad + cell)
            }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
