import GPUModel
import Workloads

extension PaperReproduction {
    /// Prompt length of the static memory tables, tokens: 65,536 (the middle of SCBench's Mid
    /// bucket, 20-100K).
    public static let memoryPromptTokens = 65_536

    /// The built-in cross-layer head profile (scorer: ``scorer(for:)``) of `model` (28 samples, the count of the
    /// measured profiles in head_profiles/).
    func profile(_ model: ModelSpec) throws -> HeadProfile {
        try SyntheticHeadProfiles.profile(model: model.name, scorer: Self.scorer(for: model), layout: .crosslayer, samples: 28, seed: seed)
    }

    /// Table 4: fraction of the full KV (full-attention layers) freed by ragged pages of H_p = 4
    /// heads grouped adjacently versus sorted by budget, at 70/50/30 % kept, for a 64K prompt.
    public func memoryReclaimed() throws -> ReproTable {
        var t = ReproTable(
            name: "memory_reclaimed", title: "Memory reclaimed, adjacent vs budget-sorted grouping (H_p=4, 64K prompt)",
            columns: ["model", "kept_ratio", "monolithic_reclaimed", "adjacent_reclaimed", "sorted_reclaimed",
                      "sorted_minus_adjacent", "ideal_reclaimed"])
        for model in grid.memoryModels {
            let prof = try profile(model)
            for kept in Self.memoryKeptRatios {
                let f = MemoryLayouts.footprints(model: model, profile: prof, settings: settings(keptRatio: kept),
                                                 promptTokens: Self.memoryPromptTokens, blockSize: engine.blockSizeTokens)
                func r(_ n: String) -> Double { f.first { $0.name == n }?.reclaimedFraction ?? .nan }
                t.rows.append([model.name, ReproTable.fixed(kept, 2), ReproTable.fixed(r("monolithic-nonuniform"), 4),
                               ReproTable.fixed(r("ragged-adjacent"), 4), ReproTable.fixed(r("ragged-sorted"), 4),
                               ReproTable.fixed(r("ragged-sorted") - r("ragged-adjacent"), 4),
                               ReproTable.fixed(r("ideal"), 4)])
            }
        }
        return t
    }

    /// Table 7: fragmentation (pages holding no token) and block-table cost of budget-sorted
    /// ragged pages as H_p varies (Llama-3.1-8B, kept 25 %, 64K prompt). The host cost is that
    /// of one decode step in which all 16 requests (`max_num_seqs`) cross a page boundary in
    /// every group, so the host writes 16 x groups entries.
    public func fragmentationVersusHeadsPerGroup() throws -> ReproTable {
        var t = ReproTable(
            name: "fragmentation_vs_hp", title: "Fragmentation and block-table cost vs H_p (llama-3.1-8b, kept 0.25, 64K prompt)",
            columns: ["heads_per_group", "groups", "fragmentation", "reclaimed", "block_table_entries_per_request",
                      "block_table_naive_us", "block_table_vectorized_us"])
        let model = ModelCatalog.llama3_1_8b
        let prof = try profile(model)
        let naive = KernelCostModel(model: model, gpu: gpu, blockTableUpdate: .naive, calibration: calibration)
        let vectorized = KernelCostModel(model: model, gpu: gpu, blockTableUpdate: .vectorized, calibration: calibration)
        for hp in grid.headsPerGroup {
            let f = MemoryLayouts.footprints(model: model, profile: prof, settings: settings(keptRatio: 0.25, headsPerGroup: hp),
                                             promptTokens: Self.memoryPromptTokens, blockSize: engine.blockSizeTokens)
            guard let s = f.first(where: { $0.name == "ragged-sorted" }) else { continue }
            var w = StepWorkload()
            w.decodeSequences = engine.maxNumSeqs
            w.sampledSequences = engine.maxNumSeqs
            w.blockTableEntriesWritten = engine.maxNumSeqs * s.groups
            t.rows.append(["\(hp)", "\(s.groups)", ReproTable.fixed(s.fragmentationFraction, 4),
                           ReproTable.fixed(s.reclaimedFraction, 4), ReproTable.fixed(s.blockTableEntries, 0),
                           ReproTable.fixed(naive.stepCost(w).blockTableSeconds * 1e6, 2),
                           ReproTable.fixed(vectorized.stepCost(w).blockTableSeconds * 1e6, 2)])
        }
        return t
    }
}
