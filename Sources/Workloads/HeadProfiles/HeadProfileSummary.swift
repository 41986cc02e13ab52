import Foundation

/// What `tangram-sim profile stats` reports about a profile: rank stability, ratio percentiles,
/// the calibrated budget vector and how many samples the ranking took to settle.
///
/// ``jsonText()`` gives the JSON form (keys in snake case, sorted); ``text()`` the terminal form.
public struct HeadProfileSummary: Sendable, Hashable, Encodable {
    /// The profile's name (its file path).
    public var name: String
    /// The model layer indices covered.
    public var layerIndices: [Int]
    /// KV heads per layer.
    public var kvHeadsPerLayer: Int
    /// Number of samples in the profile.
    public var sampleCount: Int
    /// Shortest and longest `prompt_tokens` over samples.
    public var promptTokensRange: [Int]
    /// Sink tokens of the first sample.
    public var sinkTokens: Int
    /// Window tokens of the first sample.
    public var windowTokens: Int
    /// Spearman's rho of each sample against the aggregate ranking, in sample order.
    public var sampleSpearman: [Double]
    /// Smallest per-sample rho.
    public var spearmanMin: Double
    /// Median per-sample rho.
    public var spearmanMedian: Double
    /// Largest per-sample rho.
    public var spearmanMax: Double
    /// See ``HeadProfileStatistics/perLayerSpearmanMean``.
    public var perLayerSpearmanMean: Double
    /// The settle threshold (``HeadProfileStatistics/settleThreshold``).
    public var settleThreshold: Double
    /// See ``HeadProfileStatistics/samplesToSettle``.
    public var samplesToSettle: Int
    /// See ``HeadProfileStatistics/prefixSpearman``.
    public var prefixSpearman: [Double]
    /// Mean of all ratios.
    public var meanRatio: Double
    /// Fraction of (sample, head) ratios that are exactly 0.
    public var zeroFraction: Double
    /// Percentiles of all (sample, head) ratios.
    public var ratioPercentiles: [PercentilePoint]
    /// Percentiles of the per-head mean ratios.
    public var meanRatioPercentiles: [PercentilePoint]
    /// alpha of the budgets.
    public var alpha: Double
    /// Samples used to calibrate the budgets.
    public var calibrationSamples: Int
    /// Mean of the budgets.
    public var budgetMean: Double
    /// Budgets per layer: `budgets[layerPosition][kvHead]`.
    public var budgets: [[Double]]

    /// Computes the summary.
    ///
    /// - Parameters:
    ///   - alpha: multiplier of sigma_h in the budgets.
    ///   - calibrationSamples: leading samples used for the budgets; `nil` uses all. Rank
    ///     stability and percentiles always use every sample.
    /// - Throws: ``HeadBudgetsError``.
    public init(profile: HeadProfile, alpha: Double = HeadBudgets.defaultAlpha, calibrationSamples: Int? = nil)
        throws(HeadBudgetsError)
    {
        let stats = HeadProfileStatistics(profile: profile)
        let budgets = try HeadBudgets(profile: profile, alpha: alpha, calibrationSamples: calibrationSamples)
        let prompts = profile.samples.map(\.promptTokens)
        name = profile.name
        layerIndices = profile.layerIndices
        kvHeadsPerLayer = profile.kvHeadsPerLayer
        sampleCount = profile.sampleCount
        promptTokensRange = [prompts.min()!, prompts.max()!]
        sinkTokens = profile.samples[0].sinkTokens
        windowTokens = profile.samples[0].windowTokens
        sampleSpearman = stats.sampleSpearman
        spearmanMin = stats.spearmanMin
        spearmanMedian = stats.spearmanMedian
        spearmanMax = stats.spearmanMax
        perLayerSpearmanMean = stats.perLayerSpearmanMean
        settleThreshold = HeadProfileStatistics.settleThreshold
        samplesToSettle = stats.samplesToSettle
        prefixSpearman = stats.prefixSpearman
        meanRatio = stats.meanRatio
        zeroFraction = stats.zeroFraction
        ratioPercentiles = stats.ratioPercentiles
        meanRatioPercentiles = stats.meanRatioPercentiles
        self.alpha = budgets.alpha
        self.calibrationSamples = budgets.calibrationSampleCount
        budgetMean = budgets.meanBudget
        self.budgets = budgets.budgetsByLayer
    }

    enum CodingKeys: String, CodingKey {
        case name = "file", layerIndices = "layer_indices", kvHeadsPerLayer = "kv_heads_per_layer"
        case sampleCount = "samples", promptTokensRange = "prompt_tokens_range", sinkTokens = "sink_tokens"
        case windowTokens = "window_tokens", sampleSpearman = "spearman_per_sample", spearmanMin = "spearman_min"
        case spearmanMedian = "spearman_median", spearmanMax = "spearman_max"
        case perLayerSpearmanMean = "per_layer_spearman_mean", settleThreshold = "settle_threshold"
        case samplesToSettle = "samples_to_settle", prefixSpearman = "prefix_spearman", meanRatio = "mean_ratio"
        case zeroFraction = "zero_fraction", ratioPercentiles = "ratio_percentiles"
        case meanRatioPercentiles = "mean_ratio_percentiles", alpha, calibrationSamples = "calibration_samples"
        case budgetMean = "budget_mean", budgets
    }

    /// The summary as pretty-printed JSON with sorted keys, ending with a newline.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Encoding plain numbers, strings and arrays cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The summary for a terminal: a few header lines, the percentile table and the budget vector
    /// (one row per layer, 3 decimals).
    public func text() -> String {
        func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
        let heads = layerIndices.count * kvHeadsPerLayer
        var lines: [String] = []
        lines.append("profile \(name)")
        lines.append(
            "  \(layerIndices.count) layers x \(kvHeadsPerLayer) KV heads = \(heads) heads, \(sampleCount) samples "
                + "(prompt_tokens \(promptTokensRange[0])-\(promptTokensRange[1]), sink \(sinkTokens), window \(windowTokens))"
        )
        lines.append("rank stability (Spearman of each sample's head ranking vs the mean ranking; ties share ranks)")
        lines.append(
            "  min \(f(spearmanMin))  median \(f(spearmanMedian))  max \(f(spearmanMax))  "
                + "(within-layer mean \(f(perLayerSpearmanMean)))")
        lines.append(
            "  samples to settle: \(samplesToSettle) (the first N samples' ranking has Spearman >= "
                + "\(f(settleThreshold, 2)) vs all \(sampleCount), for N = \(samplesToSettle) and every larger N)")
        let header = ratioPercentiles.map { p -> String in
            let label =
                "p"
                + (p.fraction * 100 == (p.fraction * 100).rounded()
                    ? String(Int(p.fraction * 100)) : f(p.fraction * 100, 1))
            return label.padding(toLength: 7, withPad: " ", startingAt: 0)
        }.joined()
        lines.append("ratio percentiles       " + header)
        lines.append(
            "  all (sample, head)    "
                + ratioPercentiles.map { f($0.value).padding(toLength: 7, withPad: " ", startingAt: 0) }.joined())
        lines.append(
            "  per-head mean         "
                + meanRatioPercentiles.map { f($0.value).padding(toLength: 7, withPad: " ", startingAt: 0) }.joined())
        lines.append("  mean ratio \(f(meanRatio, 4)), zero ratios \(f(zeroFraction * 100, 1))%")
        lines.append(
            "budgets b = clamp(mu + \(alpha == alpha.rounded() ? String(Int(alpha)) : String(alpha)) sigma, 0, 1) over the first "
                + "\(calibrationSamples) samples (population sigma); mean \(f(budgetMean, 4))")
        lines.append(
            "  layer "
                + (0..<kvHeadsPerLayer).map { "h\($0)".padding(toLength: 6, withPad: " ", startingAt: 0) }.joined())
        for (position, row) in budgets.enumerated() {
            let label = "L\(layerIndices[position])".padding(toLength: 6, withPad: " ", startingAt: 0)
            lines.append("  " + label + row.map { f($0).padding(toLength: 6, withPad: " ", startingAt: 0) }.joined())
        }
        return lines.map { $0.trailingSpacesRemoved }.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate var trailingSpacesRemoved: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
