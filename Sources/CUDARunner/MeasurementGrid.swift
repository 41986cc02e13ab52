import GPUModel

/// The measurement grid of `tangram-sim validate`: which problems are timed on the GPU.
///
/// Every axis is a list; ``points()`` expands them in a fixed order. Decode attention is measured
/// for one layer at a time (the shapes of ``model``): full KV on monolithic pages; a compressed
/// single-layer profile over H_p and the three split modes; and every layer of a whole-model
/// profile, so that per-step sums over the model can be formed.
public struct MeasurementGrid: Sendable, Hashable {
    /// The model whose layer shapes are used (heads, head dim, hidden and intermediate sizes).
    public var model: ModelSpec
    /// Tokens per KV page (vLLM's default block size is 16).
    public var pageTokens: Int = 16
    /// Device-to-device copy sizes in bytes.
    public var copyBytes: [Int] = []
    /// Full-KV decode (monolithic pages, every split mode): batch sizes.
    public var fullKVBatches: [Int] = []
    /// Full-KV decode: context lengths in tokens.
    public var fullKVContexts: [Int] = []
    /// Compressed decode on one layer: profiles (their first layer is used) ...
    public var profiles: [HeadBudgetProfile] = []
    /// ... kept ratios ...
    public var keptRatios: [Double] = []
    /// ... batch sizes ...
    public var compressedBatches: [Int] = []
    /// ... context lengths ...
    public var compressedContexts: [Int] = []
    /// ... and heads per page (H_p; the model's KV head count is the monolithic layout).
    public var headsPerPage: [Int] = []
    /// Split modes of every decode series.
    public var splitModes: [SplitMode] = SplitMode.allCases
    /// Per-CTA work sweep: full-KV decode with a fixed split count per (request, KV head) in the
    /// uniform mode, so the KV bytes stay fixed while the CTA count grows: batch sizes ...
    public var ctaSweepBatches: [Int] = []
    /// ... context lengths ...
    public var ctaSweepContexts: [Int] = []
    /// ... and splits per (request, KV head).
    public var ctaSweepSplits: [Int] = []
    /// Whole-model decode: a profile measured layer by layer (nil: none) ...
    public var wholeModelProfile: HeadBudgetProfile?
    /// ... at this kept ratio ...
    public var wholeModelKeptRatio: Double = 0.25
    /// ... batch sizes ...
    public var wholeModelBatches: [Int] = []
    /// ... context lengths ...
    public var wholeModelContexts: [Int] = []
    /// ... and heads per page.
    public var wholeModelHeadsPerPage: [Int] = []
    /// Chunked prefill: chunk sizes in tokens (batch 1).
    public var prefillChunks: [Int] = []
    /// Chunked prefill: history lengths in tokens.
    public var prefillHistories: [Int] = []
    /// Compaction: profile and kept ratio (uses the profile's first layer) ...
    public var compactionProfile: HeadBudgetProfile = .syntheticHeavyTail
    /// ... kept ratio ...
    public var compactionKeptRatio: Double = 0.25
    /// ... batch sizes ...
    public var compactionBatches: [Int] = []
    /// ... context lengths ...
    public var compactionContexts: [Int] = []
    /// ... and heads per page of the destination.
    public var compactionHeadsPerPage: [Int] = []
    /// GEMM: token counts (rows) for each linear layer of ``model``.
    public var gemmTokens: [Int] = []
    /// Points whose input set would exceed this many KV bytes are left out.
    public var maxKVBytesPerPoint: Int = 24 << 30

    /// An empty grid for `model`; fill the axes you want.
    public init(model: ModelSpec) { self.model = model }

    /// Every point, in a fixed order: copy, full-KV decode, the per-CTA sweep, compressed decode,
    /// whole-model decode, prefill, compaction, GEMM.
    public func points() -> [MeasurementPoint] {
        var out: [MeasurementPoint] = []
        for bytes in copyBytes {
            var p = MeasurementPoint(kernelClass: .copy, label: "device-to-device")
            p.copyBytes = bytes
            out.append(p)
        }
        for context in fullKVContexts {
            for batch in fullKVBatches {
                for mode in splitModes {
                    out.append(decodePoint(label: "full-kv", batch: batch, context: context, mode: mode,
                                           headsPerPage: model.kvHeads, perHeadKept: nil))
                }
            }
        }
        for context in ctaSweepContexts {
            for batch in ctaSweepBatches {
                for splits in ctaSweepSplits {
                    var p = decodePoint(label: "cta-sweep", batch: batch, context: context, mode: .uniform,
                                        headsPerPage: model.kvHeads, perHeadKept: nil)
                    p.requestedSplits = splits
                    out.append(p)
                }
            }
        }
        for profile in profiles {
            for ratio in keptRatios {
                for context in compressedContexts {
                    let kept = profile.keptTokens(promptTokens: context, keptRatio: ratio)[0]
                    for batch in compressedBatches {
                        for hp in headsPerPage where model.kvHeads % hp == 0 && kept.count == model.kvHeads {
                            for mode in splitModes {
                                var p = decodePoint(label: "layer 0", batch: batch, context: context, mode: mode,
                                                    headsPerPage: hp, perHeadKept: kept)
                                p.profile = profile.name
                                p.keptRatio = ratio
                                p.layer = 0
                                out.append(p)
                            }
                        }
                    }
                }
            }
        }
        if let profile = wholeModelProfile, profile.kvHeadsPerLayer == model.kvHeads {
            for context in wholeModelContexts {
                let kept = profile.keptTokens(promptTokens: context, keptRatio: wholeModelKeptRatio)
                for batch in wholeModelBatches {
                    for hp in wholeModelHeadsPerPage where model.kvHeads % hp == 0 {
                        for mode in splitModes {
                            for layer in 0..<profile.layerCount {
                                var p = decodePoint(label: "layer \(layer)", batch: batch, context: context, mode: mode,
                                                    headsPerPage: hp, perHeadKept: kept[layer])
                                p.profile = profile.name
                                p.keptRatio = wholeModelKeptRatio
                                p.layer = layer
                                out.append(p)
                            }
                        }
                    }
                }
            }
        }
        for history in prefillHistories {
            for chunk in prefillChunks {
                var p = MeasurementPoint(kernelClass: .prefillAttention, label: "chunked-prefill")
                p.batch = 1
                p.contextTokens = history + chunk
                p.chunkTokens = chunk
                p.historyTokens = history
                p.qHeads = model.queryHeads
                p.kvHeads = model.kvHeads
                p.headDim = model.headDim
                p.headsPerPage = model.kvHeads
                p.pageTokens = pageTokens
                out.append(p)
            }
        }
        if compactionProfile.kvHeadsPerLayer == model.kvHeads {
            for context in compactionContexts {
                let kept = compactionProfile.keptTokens(promptTokens: context, keptRatio: compactionKeptRatio)[0]
                for batch in compactionBatches {
                    for hp in compactionHeadsPerPage where model.kvHeads % hp == 0 {
                        var p = MeasurementPoint(kernelClass: .compaction, label: "reclaim")
                        p.profile = compactionProfile.name
                        p.keptRatio = compactionKeptRatio
                        p.layer = 0
                        p.batch = batch
                        p.contextTokens = context
                        p.kvHeads = model.kvHeads
                        p.qHeads = model.queryHeads
                        p.headDim = model.headDim
                        p.headsPerPage = hp
                        p.pageTokens = pageTokens
                        let groups = HeadBudgetProfile.groupLengths(kept, headsPerPage: hp).map { UInt32($0) }
                        p.lengths = Array((0..<batch).map { _ in groups }.joined())
                        out.append(p)
                    }
                }
            }
        }
        for (name, n, k) in linearShapes() {
            for tokens in gemmTokens {
                var p = MeasurementPoint(kernelClass: .gemm, label: name)
                p.m = tokens
                p.n = n
                p.k = k
                out.append(p)
            }
        }
        return out.filter { $0.kvBytes <= maxKVBytesPerPoint }
    }

    /// The host planner alone (class ``KernelClass/decodePlanner``) for every planner-mode decode
    /// point of ``points()``, in the same order and with the same shapes and lengths: the rows the
    /// planner's cost is fitted on (``MeasurementRunner/measurePlanner(_:rounds:)`` times them
    /// interleaved, round by round).
    public func plannerPoints() -> [MeasurementPoint] {
        points().filter { $0.kernelClass == .decodeAttention && $0.splitMode == .planner }.map {
            var p = $0
            p.kernelClass = .decodePlanner
            return p
        }
    }

    /// The dense linear layers of one transformer layer of ``model`` as (name, n, k) with
    /// Y[m, n] = X[m, k] W^T: fused QKV, output projection, fused gate/up, down projection.
    /// Mixture-of-experts models list only the attention projections.
    public func linearShapes() -> [(String, Int, Int)] {
        let qkv = (model.queryHeads + 2 * model.kvHeads) * model.headDim
        var shapes = [("qkv_proj", qkv, model.hiddenSize), ("o_proj", model.hiddenSize, model.queryHeads * model.headDim)]
        if model.moe == nil {
            shapes.append(("gate_up_proj", 2 * model.intermediateSize, model.hiddenSize))
            shapes.append(("down_proj", model.hiddenSize, model.intermediateSize))
        }
        return shapes
    }

    /// A decode point; `perHeadKept` nil means every head holds the whole context.
    func decodePoint(label: String, batch: Int, context: Int, mode: SplitMode, headsPerPage: Int,
                     perHeadKept: [Int]?) -> MeasurementPoint {
        var p = MeasurementPoint(kernelClass: .decodeAttention, label: label)
        p.batch = batch
        p.contextTokens = context
        p.qHeads = model.queryHeads
        p.kvHeads = model.kvHeads
        p.headDim = model.headDim
        p.headsPerPage = headsPerPage
        p.pageTokens = pageTokens
        p.splitMode = mode
        let groups: [UInt32]
        if let kept = perHeadKept {
            groups = HeadBudgetProfile.groupLengths(kept, headsPerPage: headsPerPage).map { UInt32($0) }
        } else {
            groups = Array(repeating: UInt32(context), count: model.kvHeads / headsPerPage)
        }
        p.lengths = Array((0..<batch).map { _ in groups }.joined())
        return p
    }
}
