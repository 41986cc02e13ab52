import GPUModel

/// Turns the rows of a measurement CSV (``MeasurementCSV``) into the samples
/// ``CoefficientFitter`` fits, as `tangram-sim calibrate` and `tangram-sim validate --from-csv` do.
///
/// ```swift
/// let records = try MeasurementCSV.decode(text, file: "calibrations/h200-measurements.csv")
/// let (samples, notes) = MeasurementSamples.calibrationSamples(from: records, file: "m.csv")
/// ```
public enum MeasurementSamples {
    /// Converts measurement rows into fitter samples: timed rows with status ok; decode rows get
    /// their per-(request, group) lengths rebuilt from the row's profile, kept ratio, layer,
    /// context, batch and H_p exactly as `MeasurementGrid` built them, checked against the row's
    /// `kv_tokens_read` and `ctas`.
    public static func calibrationSamples(from records: [MeasurementRecord], file: String)
        -> (samples: [CalibrationSample], notes: [String])
    {
        let profiles = Dictionary(
            uniqueKeysWithValues: [HeadBudgetProfile.snapKVLlama31_8B, .syntheticHeavyTail]
                .map { ($0.name, $0) })
        var keptCache: [String: [[Int]]] = [:]
        var samples: [CalibrationSample] = [], notes: [String] = []
        var skipped = 0
        var resident = 1
        for (index, r) in records.enumerated() where r.phase == "measure" && r.status == "ok" {
            let line = index + 2
            guard let kind = CalibrationKernelClass(rawValue: r.kernelClass.rawValue) else { continue }
            var sample = CalibrationSample(
                kernelClass: kind, measuredSeconds: r.medianSeconds, bytes: Double(r.bytes),
                flops: Double(r.flops), planSeconds: r.planSeconds, line: line, label: r.label,
                chunkTokens: r.chunkTokens, historyTokens: r.historyTokens)
            if kind == .decodeAttention || kind == .decodePlanner {
                let partition: DecodePartition
                switch r.splitMode {
                case "uniform": partition = .flashDecoding
                case "planner": partition = .flashInfer
                case "ahead_of_time": partition = .aheadOfTime
                default:
                    notes.append("\(file):\(line): field split_mode: unknown \"\(r.splitMode)\", row skipped")
                    continue
                }
                guard r.headsPerPage > 0, r.kvHeads % r.headsPerPage == 0, r.batch > 0 else {
                    notes.append("\(file):\(line): field h_p: \(r.headsPerPage) does not divide kv_heads, row skipped")
                    continue
                }
                let perHead: [Int]
                if r.profile.isEmpty {
                    perHead = Array(repeating: r.contextTokens, count: r.kvHeads)
                } else if let profile = profiles[r.profile] {
                    let key = "\(r.profile)|\(r.contextTokens)|\(r.keptRatio)"
                    let kept =
                        keptCache[key] ?? profile.keptTokens(promptTokens: r.contextTokens, keptRatio: r.keptRatio)
                    keptCache[key] = kept
                    perHead = kept[max(0, min(r.layer, kept.count - 1))]
                } else {
                    notes.append("\(file):\(line): field profile: unknown \"\(r.profile)\", row skipped")
                    continue
                }
                guard perHead.count == r.kvHeads else {
                    notes.append("\(file):\(line): field kv_heads: profile has \(perHead.count) heads, row skipped")
                    continue
                }
                let groups = HeadBudgetProfile.groupLengths(perHead, headsPerPage: r.headsPerPage)
                let lengths = Array((0..<r.batch).map { _ in groups }.joined())
                var problem = DecodeCalibrationProblem(
                    batch: r.batch, queryHeads: r.qHeads, kvHeads: r.kvHeads, headDim: r.headDim,
                    headsPerPage: r.headsPerPage, partition: partition, uniformSplits: r.splits, reportedCTAs: r.ctas,
                    groupLengths: lengths, targetCTAs: 2 * resident * r.smCount)
                let tokenHeads = lengths.reduce(0, +) * r.headsPerPage
                var ctas = problem.ctaTokens().count
                if ctas != r.ctas && partition != .flashDecoding {
                    // The runner aims at 2 waves of its resident CTAs per SM, an occupancy the CSV
                    // does not record: take the smallest that reproduces the reported CTA count.
                    for candidate in 1...32 where candidate != resident {
                        problem.targetCTAs = 2 * candidate * r.smCount
                        ctas = problem.ctaTokens().count
                        if ctas == r.ctas {
                            resident = candidate
                            break
                        }
                    }
                }
                guard tokenHeads == r.kvTokensRead, ctas == r.ctas else {
                    skipped += 1
                    notes.append(
                        "\(file):\(line): rebuilt \(tokenHeads) token-heads and \(ctas) CTAs, the row "
                            + "reports \(r.kvTokensRead) and \(r.ctas); row skipped")
                    continue
                }
                sample.decode = problem
            }
            samples.append(sample)
        }
        if skipped > 0 { notes.append("\(skipped) decode rows could not be rebuilt exactly and were skipped") }
        if samples.contains(where: { $0.decode != nil }) {
            notes.append("the runner's planner and table aimed at 2 waves of \(resident) resident CTAs per SM")
        }
        return (samples, notes)
    }
}
