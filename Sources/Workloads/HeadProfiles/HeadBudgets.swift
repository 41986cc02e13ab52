/// Static per-head budgets calibrated from a profile: `b_h = clamp(mu_h + alpha * sigma_h, 0, 1)`.
///
/// `mu_h` and `sigma_h` are the mean and the **population** standard deviation (divide by N) of
/// head h's ratio over the first N calibration samples. Population, not sample, deviation is what
/// Tangram's profiler stores (`ratio_std_per_head = np.std(raw_ratio, axis=1)` in
/// `tools/head_group_clustering/build_profile.py`, aiha-lab/TANGRAM, where `np.std` has `ddof=0`).
/// `alpha = 2` is the paper's setting (DOMAIN.md section 2).
///
/// The same calibration also gives each head's mean ratio and spread, which dynamic policies use
/// to draw a request's realised ratio around the head's profile, and the aggregate ranking.
///
/// ```swift
/// let budgets = try HeadBudgets(profile: profile, alpha: 2, calibrationSamples: 16)
/// budgets.budgets[budgets.ranking[0]]  // the largest-budget head's budget
/// ```
public struct HeadBudgets: Sendable, Hashable {
    /// The paper's default multiplier of the standard deviation.
    public static let defaultAlpha = 2.0

    /// The model layer indices, as in the profile.
    public let layerIndices: [Int]
    /// KV heads per layer, as in the profile.
    public let kvHeadsPerLayer: Int
    /// The multiplier of the standard deviation.
    public let alpha: Double
    /// How many leading samples of the profile were used.
    public let calibrationSampleCount: Int
    /// mu_h: each head's mean ratio over the calibration samples, by flat head index.
    public let meanRatios: [Double]
    /// sigma_h: each head's population standard deviation of the ratio, by flat head index.
    public let standardDeviations: [Double]
    /// b_h = clamp(mu_h + alpha * sigma_h, 0, 1), by flat head index.
    public let budgets: [Double]

    /// Calibrates budgets from the first `calibrationSamples` samples of `profile`.
    ///
    /// - Parameters:
    ///   - alpha: multiplier of sigma_h; finite (negative values are allowed and shrink budgets).
    ///   - calibrationSamples: how many leading samples to use; `nil` uses all.
    /// - Throws: ``HeadBudgetsError`` for a non-finite alpha or a sample count outside
    ///   `1...profile.sampleCount`.
    public init(profile: HeadProfile, alpha: Double = defaultAlpha, calibrationSamples: Int? = nil)
        throws(HeadBudgetsError)
    {
        guard alpha.isFinite else { throw .invalidAlpha(alpha) }
        let n = calibrationSamples ?? profile.sampleCount
        guard (1...profile.sampleCount).contains(n) else {
            throw .calibrationSamplesOutOfRange(n, available: profile.sampleCount)
        }
        let used = profile.samples.prefix(n)
        var means = [Double](repeating: 0, count: profile.headCount)
        for sample in used {
            for h in means.indices { means[h] += sample.ratios[h] }
        }
        means = means.map { $0 / Double(n) }
        var variances = [Double](repeating: 0, count: profile.headCount)
        for sample in used {
            for h in variances.indices {
                let d = sample.ratios[h] - means[h]
                variances[h] += d * d
            }
        }
        let deviations = variances.map { ($0 / Double(n)).squareRoot() }
        self.layerIndices = profile.layerIndices
        self.kvHeadsPerLayer = profile.kvHeadsPerLayer
        self.alpha = alpha
        self.calibrationSampleCount = n
        self.meanRatios = means
        self.standardDeviations = deviations
        self.budgets = zip(means, deviations).map { min(max($0 + alpha * $1, 0), 1) }
    }

    /// Number of heads.
    public var headCount: Int { budgets.count }

    /// The budget of one head.
    ///
    /// - Parameter layerPosition: the position in ``layerIndices`` (not the model's layer index).
    public func budget(layerPosition: Int, kvHead: Int) -> Double {
        budgets[layerPosition * kvHeadsPerLayer + kvHead]
    }

    /// The mean of all heads' budgets: the kept fraction a static reservation plans for.
    public var meanBudget: Double { budgets.reduce(0, +) / Double(max(headCount, 1)) }

    /// Flat head indices ordered by mean ratio, largest first; ties by flat index (layer, then head),
    /// as Tangram's cluster builder orders them.
    public var ranking: [Int] {
        meanRatios.indices.sorted { meanRatios[$0] > meanRatios[$1] || (meanRatios[$0] == meanRatios[$1] && $0 < $1) }
    }

    /// Flat head indices ordered by budget, largest first; ties by flat index. This is the order
    /// budget-sorted ragged paging cuts into groups.
    public var budgetRanking: [Int] {
        budgets.indices.sorted { budgets[$0] > budgets[$1] || (budgets[$0] == budgets[$1] && $0 < $1) }
    }

    /// The budgets as one row per layer (`[layerPosition][kvHead]`).
    public var budgetsByLayer: [[Double]] {
        (0..<layerIndices.count).map { Array(budgets[($0 * kvHeadsPerLayer)..<(($0 + 1) * kvHeadsPerLayer)]) }
    }
}
