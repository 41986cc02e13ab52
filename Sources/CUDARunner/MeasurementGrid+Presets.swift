import GPUModel

extension MeasurementGrid {
    /// The full grid recorded in `calibrations/h200-measurements.csv` (docs/validation.md).
    public static func standard(model: ModelSpec = ModelCatalog.llama3_1_8b) -> MeasurementGrid {
        var g = MeasurementGrid(model: model)
        g.copyBytes = [256 << 20, 1 << 30, 4 << 30]
        g.fullKVBatches = [1, 4, 16, 64]
        g.fullKVContexts = [1024, 4096, 16384, 32768, 131_072]
        g.profiles = [.syntheticHeavyTail]
        g.keptRatios = [0.25]
        g.compressedBatches = [1, 8, 32]
        g.compressedContexts = [16384, 32768, 131_072]
        g.headsPerPage = [1, 2, 4, model.kvHeads]
        g.wholeModelProfile = .snapKVLlama31_8B
        g.wholeModelKeptRatio = 0.25
        g.wholeModelBatches = [8, 32]
        g.wholeModelContexts = [32768, 131_072]
        g.wholeModelHeadsPerPage = [1, 4]
        g.prefillChunks = [512, 2048, 8192]
        g.prefillHistories = [0, 4096, 16384, 32768]
        g.compactionBatches = [1, 8, 32]
        g.compactionContexts = [16384, 32768, 131_072]
        g.compactionHeadsPerPage = [1, 4]
        g.gemmTokens = [1, 8, 32, 128, 512, 2048, 8192]
        return g
    }

    /// A small grid (about a minute on an H200) with one point of each series.
    public static func quick(model: ModelSpec = ModelCatalog.llama3_1_8b) -> MeasurementGrid {
        var g = MeasurementGrid(model: model)
        g.copyBytes = [1 << 30]
        g.fullKVBatches = [8]
        g.fullKVContexts = [4096, 32768]
        g.profiles = [.syntheticHeavyTail]
        g.keptRatios = [0.25]
        g.compressedBatches = [8]
        g.compressedContexts = [32768]
        g.headsPerPage = [1, 4]
        g.wholeModelProfile = .snapKVLlama31_8B
        g.wholeModelBatches = [8]
        g.wholeModelContexts = [32768]
        g.wholeModelHeadsPerPage = [4]
        g.prefillChunks = [2048]
        g.prefillHistories = [0, 16384]
        g.compactionBatches = [8]
        g.compactionContexts = [32768]
        g.compactionHeadsPerPage = [4]
        g.gemmTokens = [1, 2048]
        return g
    }

    /// The per-CTA work sweep (docs/cost-model.md, `ctaSetupBytes`): full-KV decode at a fixed KV
    /// size with 2 to 256 splits per (request, KV head), so the CTA count grows 128-fold while the
    /// bytes read stay the same; the slope of time against CTAs is each CTA's fixed work plus its
    /// partial's merge. One copy size gives the bandwidth beside it.
    public static func ctaSweep(model: ModelSpec = ModelCatalog.llama3_1_8b) -> MeasurementGrid {
        var g = MeasurementGrid(model: model)
        g.copyBytes = [1 << 30]
        g.ctaSweepBatches = [8, 32]
        g.ctaSweepContexts = [32768]
        g.ctaSweepSplits = [2, 4, 8, 16, 32, 64, 128, 256]
        return g
    }

    /// Small correctness problems, compared on the GPU machine against references (CPU in double
    /// precision for attention and compaction, a naive fp32 GPU kernel for GEMM). Lengths include
    /// edge cases: 1 token, one under and over a page, a page boundary, lengths shorter than the
    /// split count, and no multiple of the tile sizes.
    public static func checkPoints() -> [MeasurementPoint] {
        var out: [MeasurementPoint] = []
        var copy = MeasurementPoint(kernelClass: .copy, label: "check")
        copy.copyBytes = 64 << 20
        out.append(copy)
        let lengthCycle: [UInt32] = [1, 15, 16, 17, 100, 777, 1500, 2049, 3001, 64, 513, 2]
        // (qHeads, kvHeads, headDim, H_p, requested splits)
        let decodeShapes: [(Int, Int, Int, Int, Int)] = [
            (32, 8, 128, 1, 0), (32, 8, 128, 2, 0), (32, 8, 128, 4, 0), (32, 8, 128, 8, 0),
            (32, 8, 128, 4, 40), (16, 2, 64, 1, 0), (8, 4, 256, 2, 0), (8, 8, 128, 4, 0),
        ]
        for (index, shape) in decodeShapes.enumerated() {
            for mode in SplitMode.allCases {
                var p = MeasurementPoint(kernelClass: .decodeAttention, label: "check")
                p.batch = 3
                p.qHeads = shape.0
                p.kvHeads = shape.1
                p.headDim = shape.2
                p.headsPerPage = shape.3
                p.pageTokens = 16
                p.splitMode = mode
                p.requestedSplits = shape.4
                let rows = p.batch * p.groups
                p.lengths = (0..<rows).map { lengthCycle[($0 + index) % lengthCycle.count] }
                p.contextTokens = Int(p.lengths.max() ?? 0)
                out.append(p)
            }
        }
        // (batch, qHeads, kvHeads, headDim, history, chunk)
        let prefillShapes: [(Int, Int, Int, Int, Int, Int)] = [
            (2, 8, 2, 128, 70, 100), (1, 4, 4, 64, 0, 65), (1, 8, 2, 128, 1000, 130), (1, 4, 1, 128, 0, 1),
        ]
        for s in prefillShapes {
            var p = MeasurementPoint(kernelClass: .prefillAttention, label: "check")
            p.batch = s.0
            p.qHeads = s.1
            p.kvHeads = s.2
            p.headDim = s.3
            p.headsPerPage = s.2
            p.historyTokens = s.4
            p.chunkTokens = s.5
            p.contextTokens = s.4 + s.5
            p.pageTokens = 16
            out.append(p)
        }
        for hp in [1, 4, 8] {
            var p = MeasurementPoint(kernelClass: .compaction, label: "check")
            p.batch = 2
            p.kvHeads = 8
            p.qHeads = 32
            p.headDim = 128
            p.headsPerPage = hp
            p.pageTokens = 16
            p.contextTokens = 1000
            p.lengths = (0..<(p.batch * p.groups)).map { [1, 17, 333, 1000, 512, 64, 999, 250][$0 % 8] }
            out.append(p)
        }
        for (m, n, k) in [(64, 256, 512), (1, 4096, 4096), (33, 6144, 4096)] {
            var p = MeasurementPoint(kernelClass: .gemm, label: "check")
            p.m = m
            p.n = n
            p.k = k
            out.append(p)
        }
        return out
    }
}
