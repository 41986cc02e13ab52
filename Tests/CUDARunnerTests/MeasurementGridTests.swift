import GPUModel
import Testing

@testable import CUDARunner

@Suite struct MeasurementGridTests {
    @Test func quickGridHasOnePointPerAxisCombination() {
        let points = MeasurementGrid.quick().points()
        func count(_ c: KernelClass) -> Int { points.filter { $0.kernelClass == c }.count }
        // copy: 1 size. decode: full KV 2 contexts x 1 batch x 3 modes = 6; one-layer profile
        // 1 x 1 x 1 x 2 H_p x 3 modes = 6; whole model 1 x 1 x 1 H_p x 3 modes x 32 layers = 96.
        #expect(count(.copy) == 1)
        #expect(count(.decodeAttention) == 6 + 6 + 96)
        #expect(count(.prefillAttention) == 2)
        #expect(count(.compaction) == 1)
        // Llama-3.1-8B is dense: qkv, o, gate_up, down for 2 token counts.
        #expect(count(.gemm) == 8)
    }

    /// The per-CTA sweep keeps the KV read fixed within a series while only the split count
    /// (so the CTA count) changes: 2 batches x 8 split counts, uniform splits, whole contexts.
    @Test func ctaSweepVariesOnlyTheSplitCount() {
        let points = MeasurementGrid.ctaSweep().points()
        #expect(points.filter { $0.kernelClass == .copy }.count == 1)
        let sweep = points.filter { $0.label == "cta-sweep" }
        #expect(sweep.count == 2 * 8)
        #expect(points.count == sweep.count + 1)
        for batch in [8, 32] {
            let series = sweep.filter { $0.batch == batch }
            #expect(series.map(\.requestedSplits) == [2, 4, 8, 16, 32, 64, 128, 256])
            #expect(Set(series.map(\.lengths)).count == 1)
            #expect(series.allSatisfy {
                $0.splitMode == .uniform && $0.isMonolithic && $0.lengths.allSatisfy { $0 == 32_768 }
            })
        }
        // Other grids have no sweep points.
        #expect(!MeasurementGrid.standard().points().contains { $0.label == "cta-sweep" })
    }

    @Test func standardGridLeavesOutPointsOverTheMemoryCap() {
        let grid = MeasurementGrid.standard()
        let points = grid.points()
        // Full KV at batch 64 x 131072 tokens: 64 * 131072 * 8 heads * 128 * 4 bytes = 32 GiB > 24 GiB.
        #expect(!points.contains { $0.label == "full-kv" && $0.batch == 64 && $0.contextTokens == 131_072 })
        #expect(points.contains { $0.label == "full-kv" && $0.batch == 16 && $0.contextTokens == 131_072 })
        #expect(points.allSatisfy { $0.kvBytes <= grid.maxKVBytesPerPoint })
    }

    @Test func decodeLengthsCoverEveryRequestAndGroup() {
        for p in MeasurementGrid.standard().points() where p.kernelClass == .decodeAttention || p.kernelClass == .compaction {
            #expect(p.lengths.count == p.batch * p.kvHeads / p.headsPerPage)
            #expect(p.lengths.allSatisfy { $0 >= 1 && Int($0) <= p.contextTokens })
        }
    }

    @Test func fullKVPointsAreMonolithicWithTheWholeContext() {
        for p in MeasurementGrid.quick().points() where p.label == "full-kv" {
            #expect(p.isMonolithic)
            #expect(p.lengths.allSatisfy { Int($0) == p.contextTokens })
        }
    }

    @Test func wholeModelSeriesHasEveryLayerForEveryMode() {
        let points = MeasurementGrid.quick().points().filter { $0.profile == HeadBudgetProfile.snapKVLlama31_8B.name }
        for mode in SplitMode.allCases {
            let layers = Set(points.filter { $0.splitMode == mode }.map(\.layer))
            #expect(layers == Set(0..<32))
        }
    }

    @Test func raggedGroupsAreSortedGroupMaxima() {
        var grid = MeasurementGrid(model: ModelCatalog.llama3_1_8b)
        grid.profiles = [.syntheticHeavyTail]
        grid.keptRatios = [0.25]
        grid.compressedBatches = [2]
        grid.compressedContexts = [65536]
        grid.headsPerPage = [4]
        grid.splitModes = [.aheadOfTime]
        let points = grid.points()
        #expect(points.count == 1)
        let kept = HeadBudgetProfile.syntheticHeavyTail.keptTokens(promptTokens: 65536, keptRatio: 0.25)[0]
        // Synthetic budgets rise with the head index: the groups' maxima are heads 7 and 3.
        let expected = [UInt32(kept[7]), UInt32(kept[3])]
        #expect(points[0].lengths == expected + expected)
    }

    @Test func plannerPointsMirrorThePlannerDecodePoints() {
        let grid = MeasurementGrid.quick()
        let planner = grid.plannerPoints()
        let decode = grid.points().filter { $0.kernelClass == .decodeAttention && $0.splitMode == .planner }
        // Quick grid: full KV 2 contexts x 1 batch, one-layer profile 2 H_p, whole model 32 layers.
        #expect(planner.count == 2 + 2 + 32)
        #expect(planner.count == decode.count)
        for (p, d) in zip(planner, decode) {
            #expect(p.kernelClass == .decodePlanner)
            #expect(p.lengths == d.lengths && p.batch == d.batch && p.headsPerPage == d.headsPerPage)
            #expect(p.label == d.label && p.layer == d.layer && p.splitMode == .planner)
            #expect(p.kvBytes == 0)
        }
    }

    @Test func linearShapesFollowTheModel() {
        let shapes = MeasurementGrid(model: ModelCatalog.llama3_1_8b).linearShapes()
        // Llama-3.1-8B: (32 + 2 * 8) * 128 = 6144 QKV features; 2 * 14336 gate/up features.
        #expect(shapes.map(\.0) == ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"])
        #expect(shapes[0].1 == 6144 && shapes[0].2 == 4096)
        #expect(shapes[1].1 == 4096 && shapes[1].2 == 4096)
        #expect(shapes[2].1 == 28672 && shapes[2].2 == 4096)
        #expect(shapes[3].1 == 4096 && shapes[3].2 == 14336)
    }

    @Test func checkPointsAreSmallAndWellFormed() {
        let checks = MeasurementGrid.checkPoints()
        // Every class but the host-only planner (its work list is checked by the decode planner checks).
        #expect(Set(checks.map(\.kernelClass)) == Set(KernelClass.allCases).subtracting([.decodePlanner]))
        for p in checks {
            #expect(p.kvBytes < 64 << 20 || p.kernelClass == .copy)
            if p.kernelClass == .decodeAttention || p.kernelClass == .compaction {
                #expect(p.kvHeads % p.headsPerPage == 0)
                #expect(p.lengths.count == p.batch * p.groups)
                #expect(p.qHeads % p.kvHeads == 0)
            }
        }
        // Every split mode is checked on every decode shape.
        let decode = checks.filter { $0.kernelClass == .decodeAttention }
        #expect(decode.count % SplitMode.allCases.count == 0)
    }
}
