/// Rank statistics used to judge how input-invariant a head ranking is.
///
/// Follows Tangram's `tools/head_group_clustering/validate.py` (aiha-lab/TANGRAM): average ranks
/// for ties (`scipy.stats.rankdata(method="average")`), Spearman's rho as the Pearson
/// correlation of those ranks, and 0 when either input is constant.
public enum RankCorrelation {
    /// 1-based ranks of `values` in ascending order; tied values share the mean of their ranks.
    ///
    /// ```swift
    /// RankCorrelation.averageRanks([10, 30, 20, 20])  // [1, 4, 2.5, 2.5]
    /// ```
    /// - Complexity: O(n log n).
    public static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end (0-based) hold ranks start+1 ... end; their mean:
            let rank = Double(start + 1 + end) / 2
            for i in start..<end { ranks[order[i]] = rank }
            start = end
        }
        return ranks
    }

    /// Spearman's rank correlation of two equally long samples, with average ranks for ties.
    ///
    /// - Returns: a value in [-1, 1]; 0 when either sample is constant (no ranking to compare).
    /// - Precondition: `a.count == b.count`.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "Spearman needs two samples of equal length")
        return pearson(averageRanks(a), averageRanks(b))
    }

    /// Pearson correlation; 0 when either input has zero variance.
    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count > 1 else { return 0 }
        let n = Double(a.count)
        let meanA = a.reduce(0, +) / n
        let meanB = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            let da = a[i] - meanA, db = b[i] - meanB
            sab += da * db
            saa += da * da
            sbb += db * db
        }
        let denominator = (saa * sbb).squareRoot()
        return denominator == 0 ? 0 : sab / denominator
    }

    /// The value at fraction `q` of `values` by linear interpolation between order statistics
    /// (numpy's default `linear` method and GSL's `gsl_stats_quantile_from_sorted_data`).
    ///
    /// - Precondition: `values` is non-empty and `0 <= q <= 1`.
    public static func percentile(_ values: [Double], _ q: Double) -> Double {
        precondition(!values.isEmpty && (0...1).contains(q))
        return percentile(sorted: values.sorted(), q)
    }

    /// ``percentile(_:_:)`` for values already sorted ascending.
    static func percentile(sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower])
    }
}
