/// Headline numbers of a measurement run, computed from its rows (phase `measure`, status `ok`).
public struct MeasurementSummary: Sendable, Hashable {
    /// Decode attention on one (profile, batch, context, H_p) summed over the measured layers, per split mode.
    public struct SplitComparison: Sendable, Hashable {
        /// Head-budget profile (empty for full KV).
        public var profile: String
        /// Kept ratio.
        public var keptRatio: Double
        /// Requests.
        public var batch: Int
        /// Context tokens.
        public var contextTokens: Int
        /// Heads per page.
        public var headsPerPage: Int
        /// Layers summed.
        public var layers: Int
        /// Summed median time, uniform (FlashDecoding-like) splits, s.
        public var uniformSeconds: Double
        /// Summed median time, host planner (kernels only), s.
        public var plannerSeconds: Double
        /// Summed median host planning time of the planner over the layers, s: the planner's own
        /// rows (class `decode_planner`) where the run has them, else the decode rows' `plan_s`.
        public var plannerPlanSeconds: Double
        /// Summed median time, ahead-of-time table, s.
        public var aheadOfTimeSeconds: Double

        /// uniform / ahead-of-time.
        public var uniformOverAheadOfTime: Double { uniformSeconds / aheadOfTimeSeconds }
        /// planner (kernels plus host planning) / ahead-of-time.
        public var plannerWithPlanOverAheadOfTime: Double { (plannerSeconds + plannerPlanSeconds) / aheadOfTimeSeconds }
    }

    /// The fastest full-KV decode row at the longest measured context.
    public struct LongContextDecode: Sendable, Hashable {
        /// Context tokens.
        public var context: Int
        /// Requests.
        public var batch: Int
        /// Split mode.
        public var mode: String
        /// Least bytes moved per second of the median call.
        public var bytesPerSecond: Double
    }

    /// Best device-to-device copy bandwidth (bytes read + written per second).
    public var copyBytesPerSecond: Double?
    /// Full-KV decode at the longest measured context.
    public var longContextDecode: LongContextDecode?
    /// Split-mode comparisons, in the order first seen.
    public var splitComparisons: [SplitComparison]

    /// Summarises `records`.
    public init(records: [MeasurementRecord]) {
        let ok = records.filter { $0.phase == "measure" && $0.status == "ok" && $0.medianSeconds > 0 }
        copyBytesPerSecond = ok.filter { $0.kernelClass == .copy }.map { Double($0.bytes) / $0.medianSeconds }.max()
        let full = ok.filter { $0.kernelClass == .decodeAttention && $0.label == "full-kv" }
        if let longest = full.map(\.contextTokens).max(),
           let best = full.filter({ $0.contextTokens == longest })
            .max(by: { Double($0.bytes) / $0.medianSeconds < Double($1.bytes) / $1.medianSeconds }) {
            longContextDecode = LongContextDecode(context: longest, batch: best.batch, mode: best.splitMode,
                                                  bytesPerSecond: Double(best.bytes) / best.medianSeconds)
        } else {
            longContextDecode = nil
        }
        struct Key: Hashable {
            var profile: String, ratio: Double, batch: Int, context: Int, hp: Int, series: String
        }
        struct PlanKey: Hashable {
            var profile: String, ratio: Double, batch: Int, context: Int, hp: Int, layer: Int, label: String
            init(_ r: MeasurementRecord) {
                profile = r.profile
                ratio = r.keptRatio
                batch = r.batch
                context = r.contextTokens
                hp = r.headsPerPage
                layer = r.layer
                label = r.label
            }
        }
        var plannerRows: [PlanKey: Double] = [:]
        for r in ok where r.kernelClass == .decodePlanner { plannerRows[PlanKey(r)] = r.planSeconds }
        var order: [Key] = []
        var sums: [Key: [String: (Double, Double, Set<Int>)]] = [:]
        for r in ok where r.kernelClass == .decodeAttention && !r.profile.isEmpty {
            let series = r.label.hasPrefix("layer") ? "layers" : r.label
            let key = Key(profile: r.profile, ratio: r.keptRatio, batch: r.batch, context: r.contextTokens,
                          hp: r.headsPerPage, series: series)
            if sums[key] == nil { order.append(key) }
            var entry = sums[key, default: [:]][r.splitMode, default: (0, 0, [])]
            entry.0 += r.medianSeconds
            entry.1 += r.splitMode == SplitMode.planner.rawValue ? plannerRows[PlanKey(r)] ?? r.planSeconds : r.planSeconds
            entry.2.insert(r.layer)
            sums[key, default: [:]][r.splitMode] = entry
        }
        splitComparisons = order.compactMap { key in
            guard let modes = sums[key], let u = modes[SplitMode.uniform.rawValue], let p = modes[SplitMode.planner.rawValue],
                  let a = modes[SplitMode.aheadOfTime.rawValue], u.2 == p.2, p.2 == a.2 else { return nil }
            return SplitComparison(profile: key.profile, keptRatio: key.ratio, batch: key.batch, contextTokens: key.context,
                                   headsPerPage: key.hp, layers: a.2.count, uniformSeconds: u.0, plannerSeconds: p.0,
                                   plannerPlanSeconds: p.1, aheadOfTimeSeconds: a.0)
        }
    }

    /// Human-readable lines (bandwidths in GB/s = 1e9 bytes/s, times in ms).
    public func lines() -> [String] {
        var out: [String] = []
        func f(_ v: Double, _ digits: Int = 2) -> String {
            var s = String(Int((v * pow10(digits)).rounded()))
            while s.count <= digits { s = "0" + s }
            return digits == 0 ? s : String(s.dropLast(digits)) + "." + String(s.suffix(digits))
        }
        if let copy = copyBytesPerSecond { out.append("device-to-device copy: \(f(copy / 1e9, 0)) GB/s (read + write)") }
        if let d = longContextDecode {
            var line = "full-KV decode attention at \(d.context) tokens (batch \(d.batch), \(d.mode)): \(f(d.bytesPerSecond / 1e9, 0)) GB/s"
            if let copy = copyBytesPerSecond { line += " = \(f(100 * d.bytesPerSecond / copy, 1))% of copy" }
            out.append(line)
        }
        for c in splitComparisons {
            out.append("\(c.profile) kept \(f(c.keptRatio)) batch \(c.batch) context \(c.contextTokens) H_p \(c.headsPerPage) "
                + "(\(c.layers) layer\(c.layers == 1 ? "" : "s")): uniform \(f(c.uniformSeconds * 1e3, 3)) ms, "
                + "planner \(f(c.plannerSeconds * 1e3, 3)) ms + plan \(f(c.plannerPlanSeconds * 1e3, 3)) ms, "
                + "ahead-of-time \(f(c.aheadOfTimeSeconds * 1e3, 3)) ms; uniform/AOT \(f(c.uniformOverAheadOfTime, 3)), "
                + "(planner+plan)/AOT \(f(c.plannerWithPlanOverAheadOfTime, 3))")
        }
        return out
    }

    private func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 10 } }
}
