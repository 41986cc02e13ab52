import Foundation

@testable import Workloads

/// Paths and builders shared by the HeadProfiles*Tests files.
enum HeadProfilesTestSupport {
    /// `../shared/head_profiles` relative to the package root (resolved from this file's path).
    static let measuredRoot: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/head_profiles").path
    }()

    /// Whether the measured profiles are present.
    static var measuredAvailable: Bool { FileManager.default.fileExists(atPath: measuredRoot) }

    /// Every measured CSV, as `<scorer>/<file>` relative to ``measuredRoot``, sorted.
    static func measuredFiles() -> [String] {
        var out: [String] = []
        for scorer in (try? FileManager.default.contentsOfDirectory(atPath: measuredRoot)) ?? [] {
            let folder = measuredRoot + "/" + scorer
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where file.hasSuffix(".csv") {
                out.append(scorer + "/" + file)
            }
        }
        return out.sorted()
    }

    /// Every measured file (as in ``measuredFiles()``) read once for all tests, in file order.
    static let measured: [(file: String, profile: Result<HeadProfile, HeadProfileReadError>)] = measuredFiles().map {
        file in
        (
            file,
            Result { () throws(HeadProfileReadError) in try HeadProfileReader.read(path: measuredRoot + "/" + file) }
        )
    }

    /// A profile from hand-written ratios: `ratios[sample][flatHead]`, prompt 10 000, sink 32,
    /// window 4096, kept tokens consistent with the ratios.
    static func profile(_ ratios: [[Double]], layers: [Int], kvHeads: Int) -> HeadProfile {
        let samples = ratios.enumerated().map { s, r in
            HeadProfileSample(
                sampleID: s, promptTokens: 10_000, sinkTokens: 32, windowTokens: 4096, ratios: r,
                keptTokens: r.map { 32 + 4096 + Int(($0 * 10_000).rounded()) })
        }
        return HeadProfile(name: "hand-made", layerIndices: layers, kvHeadsPerLayer: kvHeads, samples: samples)
    }
}
