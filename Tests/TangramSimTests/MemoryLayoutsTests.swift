import Foundation
import GPUModel
import Testing
import Workloads

@testable import TangramSim

@Suite struct MemoryLayoutsTests {
    static let sharedProfiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/head_profiles").standardized.path

    static func llamaProfile() throws -> HeadProfile {
        try SyntheticHeadProfiles.profile(model: "llama-3.1-8b", scorer: .snapkv, layout: .crosslayer, samples: 28, seed: 1)
    }

    static func footprints(ratio: Double, hp: Int = 4, profile: HeadProfile? = nil) throws -> [String: LayoutFootprint] {
        var settings = CompressionSettings()
        settings.keptRatio = ratio
        settings.headsPerGroup = hp
        let rows = MemoryLayouts.footprints(model: ModelCatalog.llama3_1_8b, profile: try profile ?? llamaProfile(),
                                            settings: settings, promptTokens: 32_768)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0) })
    }

    /// Issue 3: monolithic pages sized by the longest head free almost nothing; budget-sorted ragged
    /// groups of 4 come within 10% of the per-head ideal and beat adjacent groups.
    @Test func layoutsReclaimAsTheDesignPredicts() throws {
        let f = try Self.footprints(ratio: 0.5)
        let mono = try #require(f["monolithic-nonuniform"]), sorted = try #require(f["ragged-sorted"])
        let adjacent = try #require(f["ragged-adjacent"]), ideal = try #require(f["ideal"])
        #expect(mono.reclaimedFraction < 0.05)
        #expect(sorted.bytes <= ideal.bytes * 1.10, "sorted \(sorted.bytes) vs ideal \(ideal.bytes)")
        #expect(sorted.reclaimedFraction > adjacent.reclaimedFraction)
        #expect(ideal.bytes <= sorted.bytes && sorted.bytes <= adjacent.bytes && adjacent.bytes <= mono.bytes)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedProfiles), "needs ../shared/head_profiles"))
    func measuredSnapKVProfileBehavesTheSame() throws {
        let path = Self.sharedProfiles + "/snapkv/llama-3.1-8b-instruct_crosslayer.csv"
        let f = try Self.footprints(ratio: 0.5, profile: try HeadProfileReader.read(path: path))
        #expect(f["monolithic-nonuniform"]!.reclaimedFraction < 0.05)
        #expect(f["ragged-sorted"]!.bytes <= f["ideal"]!.bytes * 1.10)
        #expect(f["ragged-sorted"]!.reclaimedFraction > f["ragged-adjacent"]!.reclaimedFraction)
    }

    /// Larger groups trap more memory but hold fewer page-table entries.
    @Test func fragmentationGrowsAndEntriesFallWithGroupSize() throws {
        let sizes = [1, 2, 4, 8, 16, 32, 64]
        let rows = try sizes.map { try Self.footprints(ratio: 0.3, hp: $0)["ragged-sorted"]! }
        for (a, b) in zip(rows, rows.dropFirst()) {
            #expect(b.fragmentationFraction >= a.fragmentationFraction)
            #expect(b.blockTableEntries <= a.blockTableEntries)
        }
        #expect(rows.last!.fragmentationFraction > rows.first!.fragmentationFraction)
    }

    /// Full KV of a 32K prompt: 32 layers x 8 heads x 2048 blocks x 16 tokens x 128 x K,V x 2 bytes.
    @Test func fullAndUniformByHand() throws {
        let f = try Self.footprints(ratio: 0.5)
        #expect(f["full"]!.bytes == Double(32 * 8 * 2048 * 16 * 128 * 2 * 2))
        // Uniform at r = 0.5 keeps 16,384 of 32,768 tokens per head (sink and window included): half.
        #expect(abs(f["uniform"]!.reclaimedFraction - 0.5) < 0.002)
    }
}
