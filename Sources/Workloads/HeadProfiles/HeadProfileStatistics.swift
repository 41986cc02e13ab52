/// Diagnostics of a profile: how stable its head ranking is and how ratios are distributed.
///
/// - Rank stability: Spearman's rho (``RankCorrelation/spearman(_:_:)``, average ranks for ties)
///   of each sample's ranking of all heads against the aggregate ranking, the per-head mean over
///   all samples, as Tangram's `validate.py` computes it. The per-layer value averages, over
///   layers, the mean over samples of the same correlation within each layer.
/// - Samples to settle: the smallest N such that the ranking by mean over the first N samples has
///   rho >= ``settleThreshold`` (0.95) against the all-sample ranking, for N and every larger
///   count. It is at most the sample count (where rho is 1).
/// - Percentiles of every (sample, head) ratio and of the per-head means.
public struct HeadProfileStatistics: Sendable, Hashable {
    /// The rho a prefix's ranking must reach (and keep) to count as settled.
    public static let settleThreshold = 0.95
    /// The fractions at which percentiles are reported.
    public static let percentileFractions: [Double] = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1]

    /// Spearman's rho of each sample's ranking against the aggregate ranking, in sample order.
    public let sampleSpearman: [Double]
    /// Mean over layers of the mean over samples of the within-layer rho (0 for one head per layer).
    public let perLayerSpearmanMean: Double
    /// rho of the ranking from the first N samples against the all-sample ranking, for N = 1...count.
    public let prefixSpearman: [Double]
    /// See the type's discussion.
    public let samplesToSettle: Int
    /// Percentiles of all (sample, head) ratios at ``percentileFractions``.
    public let ratioPercentiles: [PercentilePoint]
    /// Percentiles of the per-head mean ratios at ``percentileFractions``.
    public let meanRatioPercentiles: [PercentilePoint]
    /// The mean of every (sample, head) ratio.
    public let meanRatio: Double
    /// The fraction of (sample, head) values that are exactly 0 (only sink and window kept).
    public let zeroFraction: Double

    /// Computes the statistics of a profile.
    ///
    /// - Complexity: O(S · H log H) for S samples and H heads.
    public init(profile: HeadProfile) {
        let aggregate = profile.meanRatios
        sampleSpearman = profile.samples.map { RankCorrelation.spearman($0.ratios, aggregate) }

        let k = profile.kvHeadsPerLayer
        var layerSum = 0.0
        for position in profile.layerIndices.indices {
            let slice = position * k..<(position + 1) * k
            let layerAggregate = Array(aggregate[slice])
            let perSample = profile.samples.map { RankCorrelation.spearman(Array($0.ratios[slice]), layerAggregate) }
            layerSum += perSample.reduce(0, +) / Double(perSample.count)
        }
        perLayerSpearmanMean = layerSum / Double(profile.layerIndices.count)

        var sums = [Double](repeating: 0, count: profile.headCount)
        var prefix: [Double] = []
        for (i, sample) in profile.samples.enumerated() {
            for h in sums.indices { sums[h] += sample.ratios[h] }
            let n = Double(i + 1)
            prefix.append(RankCorrelation.spearman(sums.map { $0 / n }, aggregate))
        }
        prefixSpearman = prefix
        var settle = prefix.count
        while settle > 1 && prefix[settle - 2] >= Self.settleThreshold { settle -= 1 }
        samplesToSettle = settle

        let all = profile.samples.flatMap(\.ratios).sorted()
        ratioPercentiles = Self.percentileFractions.map {
            PercentilePoint(fraction: $0, value: RankCorrelation.percentile(sorted: all, $0))
        }
        let sortedMeans = aggregate.sorted()
        meanRatioPercentiles = Self.percentileFractions.map {
            PercentilePoint(fraction: $0, value: RankCorrelation.percentile(sorted: sortedMeans, $0))
        }
        meanRatio = all.reduce(0, +) / Double(all.count)
        zeroFraction = Double(all.lazy.filter { $0 == 0 }.count) / Double(all.count)
    }

    /// The smallest per-sample rho.
    public var spearmanMin: Double { sampleSpearman.min() ?? 0 }
    /// The median per-sample rho (mean of the middle two for an even count).
    public var spearmanMedian: Double { RankCorrelation.percentile(sampleSpearman, 0.5) }
    /// The largest per-sample rho.
    public var spearmanMax: Double { sampleSpearman.max() ?? 0 }
}
