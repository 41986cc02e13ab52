import GPUModel
import Workloads

/// The KV memory one request needs under each page layout, for `tangram-sim memory` and
/// docs/memory.md.
public struct LayoutFootprint: Sendable, Hashable {
    /// Layout name: `full`, `uniform`, `monolithic-nonuniform`, `ragged-adjacent`, `ragged-sorted`, `ideal`.
    public var name: String
    /// KV bytes of the compressible (full-attention) layers.
    public var bytes: Double
    /// Fraction of the full KV this layout frees: 1 - bytes / full bytes.
    public var reclaimedFraction: Double
    /// Fraction of the layout's pages holding no token: 1 - ideal bytes / bytes.
    public var fragmentationFraction: Double
    /// Page-table entries the request holds (one per page per group).
    public var blockTableEntries: Double
    /// Head groups (page tables) per request.
    public var groups: Int
}

/// Computes ``LayoutFootprint``s for one request.
///
/// The typical request keeps, in every head, the head's mean ratio over the profile's samples,
/// rescaled to the kept ratio's middle fraction (``RetentionTable``); layouts then round those
/// per-head lengths up to pages their own way. Sliding-window layers are excluded (never
/// compressed). Per-request variation around the means is what the simulation's dynamic
/// policies draw; it is not part of this static comparison.
public enum MemoryLayouts {
    public static func footprints(model: ModelSpec, profile: HeadProfile, settings: CompressionSettings,
                                  promptTokens p: Int, blockSize b: Int = 16) -> [LayoutFootprint] {
        let layers = model.fullAttentionLayerCount, heads = model.kvHeads
        let cells = layers * heads
        precondition(profile.headCount == cells, "profile shape does not match the model")
        let cellPageBytes = Double(b * model.headDim * 2 * model.bytesPerKVElement)
        let a = RetentionTable.middleFraction(promptTokens: p, keptRatio: settings.keptRatio,
                                              sink: settings.sinkTokens, window: settings.windowTokens)
        func kept(_ ratio: Double) -> Int {
            let middle = p - settings.sinkTokens - settings.windowTokens
            guard middle > 0 else { return p }
            let k = settings.sinkTokens + Int((ratio * Double(middle)).rounded(.up)) + settings.windowTokens
            return min(p, max(settings.floorTokens, k))
        }
        let means = profile.meanRatios
        let hp = settings.headsPerGroup
        let adjacent = HeadGroups.make(layout: .ragged(headsPerGroup: hp, grouping: .adjacent, scope: settings.scope),
                                       meanRatios: means, layers: layers, kvHeads: heads)
        let sorted = HeadGroups.make(layout: .ragged(headsPerGroup: hp, grouping: .sorted, scope: settings.scope),
                                     meanRatios: means, layers: layers, kvHeads: heads)
        // The typical request: every head keeps its mean ratio, rescaled to the kept ratio.
        let lengths = RetentionTable.rescale(means, toMean: a).map(kept)
        let idealBytes = Double(lengths.reduce(0, +)) * cellPageBytes / Double(b)
        let longest = lengths.max() ?? 0
        let mono = Double(cells * ceilDiv(longest, b)) * cellPageBytes
        let monoEntries = Double(ceilDiv(longest, b))
        let adj = raggedPages(adjacent, lengths, b), srt = raggedPages(sorted, lengths, b)
        let full = Double(cells * ceilDiv(p, b)) * cellPageBytes
        let uniformKept = kept(a)
        let uniform = Double(cells * ceilDiv(uniformKept, b)) * cellPageBytes
        func row(_ name: String, _ bytes: Double, _ entries: Double, _ groups: Int, exactIdeal: Double) -> LayoutFootprint {
            LayoutFootprint(name: name, bytes: bytes, reclaimedFraction: 1 - bytes / full,
                            fragmentationFraction: bytes > 0 ? max(0, 1 - exactIdeal / bytes) : 0,
                            blockTableEntries: entries, groups: groups)
        }
        let uniformIdeal = Double(cells * uniformKept) * cellPageBytes / Double(b)
        return [
            row("full", full, Double(ceilDiv(p, b)), 1, exactIdeal: Double(cells * p) * cellPageBytes / Double(b)),
            row("uniform", uniform, Double(ceilDiv(uniformKept, b)), 1, exactIdeal: uniformIdeal),
            row("monolithic-nonuniform", mono, monoEntries, 1, exactIdeal: idealBytes),
            row("ragged-adjacent", Double(adj.cellPages) * cellPageBytes, Double(adj.entries), adjacent.count,
                exactIdeal: idealBytes),
            row("ragged-sorted", Double(srt.cellPages) * cellPageBytes, Double(srt.entries), sorted.count,
                exactIdeal: idealBytes),
            row("ideal", idealBytes, 0, cells, exactIdeal: idealBytes),
        ]
    }

    /// Cell-pages and page-table entries of ragged groups holding per-cell `lengths`.
    static func raggedPages(_ groups: [[Int]], _ lengths: [Int], _ b: Int) -> (cellPages: Int, entries: Int) {
        var pages = 0, entries = 0
        for g in groups {
            var l = 0
            for c in g { l = max(l, lengths[c]) }
            pages += g.count * ceilDiv(l, b)
            entries += ceilDiv(l, b)
        }
        return (pages, entries)
    }
}
