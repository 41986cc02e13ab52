import GPUModel
import Workloads

/// How compressed policies compress: the target kept fraction, the always-kept sink and window,
/// the per-(layer, group) floor, the scorer whose head profile shapes per-head budgets, and the
/// ragged grouping. Defaults are the Tangram benchmarks' (DOMAIN.md section 6): sink 32, window
/// 4096, floor 512, H_p = 4 budget-sorted cross-layer groups, alpha = 2, SnapKV.
public struct CompressionSettings: Sendable, Hashable {
    /// Fraction of a prompt's tokens kept, sink and window included (DOMAIN.md section 4).
    public var keptRatio: Double = 0.25
    public var sinkTokens: Int = 32
    public var windowTokens: Int = 4096
    public var floorTokens: Int = 512
    /// Multiplier of the standard deviation in static budgets.
    public var alpha: Double = 2
    /// Whether static budgets spend exactly the kept ratio or reserve `mu_h + alpha sigma_h` as is.
    public var reservation: ReservationTotal = .kept
    /// Leading profile samples used to calibrate static budgets (`nil`: all).
    public var calibrationSamples: Int?
    public var scorer: HeadScorer = .snapkv
    /// Heads per ragged page group (H_p).
    public var headsPerGroup: Int = 4
    public var grouping: PolicySpec.Grouping = .sorted
    public var scope: PolicySpec.Scope = .crosslayer
    /// Whether each later turn recompresses the whole history (default: appended uncompressed, as released).
    public var recompressEachTurn = false
    /// A measured head profile CSV to use instead of the built-in fitted profile.
    public var profilePath: String?
    /// Seed of the synthetic profile and of dynamic policies' per-request draws.
    public var seed: UInt64 = 1
    /// How reclaiming (dynamic) policies write the kept KV back at a compression boundary: the
    /// released code's batched write-back, or the fork's earlier per-cluster loop.
    public var reclaimWriteback: ReclaimWriteback = .batched

    public init() {}
}
