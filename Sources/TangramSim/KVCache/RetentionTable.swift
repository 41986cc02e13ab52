import Workloads

/// Per-head retention of a model's compressible KV cells, precomputed for every target kept
/// fraction so that the engine never touches per-head arrays on its hot path.
///
/// A request compressing a `P`-token context to a kept ratio `r` keeps the sink `S`, the window
/// `W` and a fraction `a = (r (P - S) - W) / (P - S - W)` of the middle (DOMAIN.md section 4);
/// `a` is clamped to [0, 1] and quantised to ``binCount`` bins. Per bin and *variant* the table
/// holds every cell's ratio and every head group's largest ratio:
/// - uniform budgets: one variant, every cell `a`;
/// - dynamic budgets: one variant per profile sample — a request draws one sample, and each head's
///   measured ratio is rescaled so that the sample keeps `a` of the middle on average (ratios
///   clamped to 1, the excess moved to heads with room), preserving the sample's head ranking;
/// - reserved budgets: one variant, `b_h = clamp(mu_h + alpha sigma_h, 0, 1)` over the rescaled
///   calibration samples (population deviation, as Tangram's profiler computes it). With
///   ``ReservationTotal/kept`` the `b_h` are computed over the measured samples as they are and
///   rescaled like a sample, so that they keep `a` of the middle on average (the kept ratio's
///   total); with ``ReservationTotal/headroom`` over the samples rescaled to `a`, and kept as is.
/// Groups are cut once from the profile's mean ranking (budget-sorted) or in natural order (adjacent).
public struct RetentionTable: Sendable {
    /// Bins of the middle fraction `a` (0, 1/50, ..., 1).
    public static let binCount = 51
    /// Compressible cells (full-attention layers x KV heads).
    public let cellCount: Int
    /// Cells of each group, in group order.
    public let groupCells: [Int]
    /// Cell indices of each group.
    public let groups: [[Int]]
    /// Number of variants (1, or the profile's sample count for dynamic budgets).
    public let variantCount: Int
    private let cellRatio: [Double]  // [variant][bin][cell]
    private let groupMax: [Double]  // [variant][bin][group]
    private let overallMax: [Double]  // [variant][bin]

    /// Builds the table for a budget mode and a head grouping.
    ///
    /// - Parameters:
    ///   - profile: measured or synthetic per-head retention samples (its shape gives the cells).
    ///   - budget: uniform, dynamic or reserved (`.none` is not compressible and traps).
    ///   - groups: cell indices per head group (one group of every cell for monolithic layouts).
    ///   - alpha, calibrationSamples: static budget calibration.
    ///   - reservation: what static budgets add up to.
    public init(profile: HeadProfile, budget: PolicySpec.Budget, groups: [[Int]], alpha: Double,
                calibrationSamples: Int?, reservation: ReservationTotal) {
        precondition(budget != .none, "an uncompressed policy needs no retention table")
        let cells = profile.headCount
        cellCount = cells
        self.groups = groups
        groupCells = groups.map(\.count)
        let bins = Self.binCount
        let shapes = profile.samples.map(\.ratios)
        // Per sample and bin: each cell's rescaled ratio (what dynamic budgets and headroom
        // reservations read).
        var scaled = [[Double]](repeating: [], count: shapes.count * bins)
        if budget == .dynamic || (budget == .reserved && reservation == .headroom) {
            for (k, x) in shapes.enumerated() {
                for b in 0..<bins { scaled[k * bins + b] = Self.rescale(x, toMean: Double(b) / Double(bins - 1)) }
            }
        }
        let variants: Int
        var ratios: [Double] = []
        switch budget {
        case .uniform, .none:
            variants = 1
            for b in 0..<bins { ratios += Array(repeating: Double(b) / Double(bins - 1), count: cells) }
        case .dynamic:
            variants = shapes.count
            for k in 0..<shapes.count { for b in 0..<bins { ratios += scaled[k * bins + b] } }
        case .reserved:
            variants = 1
            let n = max(1, min(calibrationSamples ?? shapes.count, shapes.count))
            switch reservation {
            case .kept:
                // The measured profile's own statistics shape the budgets; the total is the kept ratio's.
                let shape = Self.meanPlusDeviations(Array(shapes.prefix(n)), alpha: alpha, cells: cells)
                for b in 0..<bins { ratios += Self.rescale(shape, toMean: Double(b) / Double(bins - 1)) }
            case .headroom:
                // Statistics of the samples as rescaled to each bin, reserved as they are.
                for b in 0..<bins {
                    ratios += Self.meanPlusDeviations((0..<n).map { scaled[$0 * bins + b] }, alpha: alpha, cells: cells)
                }
            }
        }
        variantCount = variants
        cellRatio = ratios
        var gm: [Double] = [], om: [Double] = []
        gm.reserveCapacity(variants * bins * groups.count)
        for v in 0..<variants {
            for b in 0..<bins {
                let base = (v * bins + b) * cells
                var all = 0.0
                for g in groups {
                    var m = 0.0
                    for c in g { m = max(m, ratios[base + c]) }
                    gm.append(m)
                    all = max(all, m)
                }
                om.append(all)
            }
        }
        groupMax = gm
        overallMax = om
    }

    /// The bin of middle fraction `a`.
    public static func bin(middleFraction a: Double) -> Int {
        Int((min(1, max(0, a)) * Double(binCount - 1)).rounded())
    }

    /// The middle fraction a prompt of `promptTokens` keeps at kept ratio `r` (DOMAIN.md section 4).
    public static func middleFraction(promptTokens p: Int, keptRatio r: Double, sink s: Int, window w: Int) -> Double {
        let middle = Double(p - s - w)
        guard middle > 0 else { return 1 }
        return min(1, max(0, (r * Double(p - s) - Double(w)) / middle))
    }

    /// A cell's ratio for a variant and bin.
    @inline(__always)
    public func cellRatio(variant v: Int, bin b: Int, cell c: Int) -> Double {
        cellRatio[(v * Self.binCount + b) * cellCount + c]
    }

    /// A group's largest ratio for a variant and bin.
    @inline(__always)
    public func groupMaxRatio(variant v: Int, bin b: Int, group g: Int) -> Double {
        groupMax[(v * Self.binCount + b) * groups.count + g]
    }

    /// The largest ratio of any cell for a variant and bin.
    public func maxRatio(variant v: Int, bin b: Int) -> Double { overallMax[v * Self.binCount + b] }

    /// `clamp(mu_c + alpha sigma_c, 0, 1)` per cell over `samples` (population deviation).
    static func meanPlusDeviations(_ samples: [[Double]], alpha: Double, cells: Int) -> [Double] {
        var mean = [Double](repeating: 0, count: cells), sq = [Double](repeating: 0, count: cells)
        for r in samples {
            for c in 0..<cells { mean[c] += r[c]; sq[c] += r[c] * r[c] }
        }
        let n = Double(max(samples.count, 1))
        return (0..<cells).map { c in
            let mu = mean[c] / n
            let sigma = max(0, sq[c] / n - mu * mu).squareRoot()
            return min(1, max(0, mu + alpha * sigma))
        }
    }

    /// Rescales a sample's ratios so that their mean is `target`, keeping their order: ratios
    /// scale by a common factor and saturate at 1; if even saturation falls short, heads that
    /// kept nothing share the rest equally.
    static func rescale(_ x: [Double], toMean target: Double) -> [Double] {
        let n = Double(x.count)
        guard target > 0, !x.isEmpty else { return Array(repeating: 0, count: x.count) }
        let positive = x.filter { $0 > 0 }.count
        if Double(positive) <= target * n {
            let zeros = x.count - positive
            let rest = zeros > 0 ? min(1, (target * n - Double(positive)) / Double(zeros)) : 0
            return x.map { $0 > 0 ? 1 : rest }
        }
        func mean(_ s: Double) -> Double { x.reduce(0) { $0 + min(1, s * $1) } / n }
        var lo = 0.0, hi = 1.0
        while mean(hi) < target { hi *= 2 }
        for _ in 0..<50 {
            let mid = (lo + hi) / 2
            if mean(mid) < target { lo = mid } else { hi = mid }
        }
        return x.map { min(1, hi * $0) }
    }
}
