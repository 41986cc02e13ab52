import ArgumentParser
import GPUModel
import TangramSim
import Workloads

/// Options of compressed policies: kept ratio, scorer, head profile and ragged grouping.
struct CompressionOptions: ParsableArguments {
    @Option(help: "Kept fraction of each prompt (sink and window included) for compressed policies.")
    var ratio = 0.25

    @Option(help: "Compression scorer whose head profile shapes per-head budgets: snapkv, keydiff, ea, fastkvzip.")
    var scorer = "snapkv"

    @Option(help: "A measured head-profile CSV (docs/head-profiles.md) instead of the built-in fitted profile.")
    var profile: String?

    @Option(help: "Heads per ragged page group (H_p).")
    var hp = 4

    @Option(help: "Ragged grouping: sorted (by budget) or adjacent.")
    var grouping = "sorted"

    @Option(help: "Ragged grouping scope: crosslayer or perlayer.")
    var scope = "crosslayer"

    @Option(help: "Static budget multiplier: b_h = mu_h + alpha sigma_h.")
    var alpha = 2.0

    @Option(help: "What static budgets add up to: kept (they share exactly the kept ratio) or headroom (each head reserves mu_h + alpha sigma_h as is, more than the kept ratio).")
    var reservation = ReservationTotal.kept

    @Option(name: .customLong("calibration-samples"), help: "Profile samples used to calibrate static budgets (default: all).")
    var calibrationSamples: Int?

    @Flag(help: "Recompress the whole history at every turn (default: later turns are appended uncompressed, as released).")
    var recompress = false

    @Option(name: .customLong("reclaim-writeback"), help: "How reclaiming policies write kept KV back: batched (the released code) or per-cluster (the fork's earlier per-(layer, group) torch loop, docs/reproduction.md).")
    var reclaimWriteback = ReclaimWriteback.batched

    func validate() throws {
        guard ratio > 0, ratio <= 1 else { throw ValidationError("--ratio must be in (0, 1]") }
        guard hp >= 1 else { throw ValidationError("--hp must be positive") }
        guard HeadScorer(name: scorer) != nil else { throw ValidationError("unknown scorer '\(scorer)'; known: snapkv, keydiff, ea, fastkvzip") }
        guard PolicySpec.Grouping(rawValue: grouping) != nil else { throw ValidationError("--grouping must be sorted or adjacent") }
        guard PolicySpec.Scope(rawValue: scope) != nil else { throw ValidationError("--scope must be crosslayer or perlayer") }
        if let n = calibrationSamples, n < 1 { throw ValidationError("--calibration-samples must be positive") }
    }

    func settings(seed: UInt64) -> CompressionSettings {
        var s = CompressionSettings()
        s.keptRatio = ratio
        s.scorer = HeadScorer(name: scorer) ?? .snapkv
        s.headsPerGroup = hp
        s.grouping = PolicySpec.Grouping(rawValue: grouping) ?? .sorted
        s.scope = PolicySpec.Scope(rawValue: scope) ?? .crosslayer
        s.alpha = alpha
        s.reservation = reservation
        s.calibrationSamples = calibrationSamples
        s.recompressEachTurn = recompress
        s.profilePath = profile
        s.seed = seed
        s.reclaimWriteback = reclaimWriteback
        return s
    }

    /// The measured profile, if one was given.
    func loadProfile() throws -> HeadProfile? {
        guard let profile else { return nil }
        do { return try HeadProfileReader.read(path: profile) } catch { throw CLIError("\(error)") }
    }
}

/// An error the command line reports as one line and a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
