/// The calibrated, SM-aware cost model: a step's time composed of its kernels, each costed from
/// its exact bytes and FLOPs with per-class achievable fractions, plus host-side work.
///
/// Decode attention is modelled as thread blocks in waves over the SMs under the layout's
/// per-(request, head) KV lengths and the partition's split policy, so head-wise budgets cost
/// what their stragglers cost (docs/cost-model.md). Construct once per run; ``stepCost(_:)``
/// costs O(1) for balanced partitions and O(batch) for split ones (``DecodeImbalanceMode/cached``,
/// plus a one-off computation per new batch signature), and does not allocate except on those
/// cache misses.
///
/// ```swift
/// let model = KernelCostModel(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200)
/// model.label  // "kernel-model:h200:spec-derived"
/// ```
public struct KernelCostModel: CostModel {
    public let model: ModelSpec
    public let gpu: GPUSpec
    /// GPUs of one replica (tensor parallelism): heads and GEMMs are split across them.
    public let tensorParallel: Int
    /// The KV layout decode attention reads.
    public let layout: KVLayoutDescriptor
    /// How decode attention is split into thread blocks.
    public let partition: DecodePartition
    /// The compression method whose scoring the prefill pays for.
    public let scorer: CompressionScorer
    /// How the host writes block-table entries.
    public let blockTableUpdate: BlockTableUpdateMode
    /// The coefficients and their provenance.
    public let calibration: GPUCalibration
    /// The context length at which the ahead-of-time table weighs each head's static budget
    /// (its kept length at this context), in tokens.
    public let aheadOfTimeReferenceContextTokens: Int
    /// How split decode attention is timed on the hot path.
    public let decodeImbalance: DecodeImbalanceMode
    /// How much of the dense GEMM rate mixture-of-experts layers' expert GEMMs reach.
    public let expertGEMM: ExpertGEMMEfficiency
    /// How a reclaiming policy writes the kept KV back at a compression boundary.
    public let reclaimWriteback: ReclaimWriteback
    /// The cost of ``ReclaimWriteback/perCluster`` write-backs.
    public let perClusterWriteback: PerClusterWriteback

    let plan: DecodeLayoutPlan
    let imbalanceCache = DecodeImbalanceCache()
    let linear: LinearShapes

    /// Builds the model; precomputes the decode layer classes and the ahead-of-time tables.
    ///
    /// - Parameters:
    ///   - model, gpu: what runs.
    ///   - tensorParallel: GPUs per replica (at least 1).
    ///   - layout: the KV layout (default: uncompressed).
    ///   - partition: the decode split policy (default: balanced).
    ///   - scorer: the compression scorer (default: none).
    ///   - blockTableUpdate: naive or vectorized host block-table updates (default: vectorized).
    ///   - calibration: coefficients (default: ``GPUCalibration/specDerived(for:)``).
    ///   - aheadOfTimeReferenceContextTokens: see ``aheadOfTimeReferenceContextTokens`` (default 32,768).
    ///   - decodeImbalance: per-step CTA placement or the cached imbalance factor (default: cached).
    ///   - expertGEMM: grouped expert GEMM efficiency (default: ``ExpertGEMMEfficiency/vllmFusedMoE``).
    ///   - reclaimWriteback: how reclaim writes the kept KV back (default: batched, the released code).
    ///   - perClusterWriteback: the per-cluster write-back's cost (default:
    ///     ``PerClusterWriteback/measuredH200Fork``).
    public init(
        model: ModelSpec, gpu: GPUSpec, tensorParallel: Int = 1, layout: KVLayoutDescriptor? = nil,
        partition: DecodePartition = .balanced, scorer: CompressionScorer = .none,
        blockTableUpdate: BlockTableUpdateMode = .vectorized, calibration: GPUCalibration? = nil,
        aheadOfTimeReferenceContextTokens: Int = 32_768, decodeImbalance: DecodeImbalanceMode = .cached,
        expertGEMM: ExpertGEMMEfficiency = .vllmFusedMoE, reclaimWriteback: ReclaimWriteback = .batched,
        perClusterWriteback: PerClusterWriteback = .measuredH200Fork
    ) {
        precondition(tensorParallel >= 1, "tensor parallelism must be at least 1")
        let layout = layout ?? .uncompressed(model)
        precondition(
            layout.kvHeadsPerLayer == model.kvHeads && layout.fullLayerCount == model.fullAttentionLayerCount,
            "layout and model disagree on KV heads or full-attention layers")
        if let b = layout.cellBudgets {
            precondition(b.count == layout.fullLayerCount * layout.kvHeadsPerLayer, "one budget per (layer, head) cell")
        }
        self.model = model
        self.gpu = gpu
        self.tensorParallel = tensorParallel
        self.layout = layout
        self.partition = partition
        self.scorer = scorer
        self.blockTableUpdate = blockTableUpdate
        let calibration = calibration ?? .specDerived(for: gpu)
        self.calibration = calibration
        self.aheadOfTimeReferenceContextTokens = aheadOfTimeReferenceContextTokens
        self.decodeImbalance = decodeImbalance
        self.expertGEMM = expertGEMM
        self.reclaimWriteback = reclaimWriteback
        self.perClusterWriteback = perClusterWriteback
        plan = DecodeLayoutPlan(
            model: model, gpu: gpu, tensorParallel: tensorParallel, layout: layout,
            partition: partition, coefficients: calibration.coefficients.decodeAttention,
            referenceContextTokens: aheadOfTimeReferenceContextTokens)
        linear = LinearShapes(model: model, tensorParallel: tensorParallel)
    }

    /// The coefficients in use.
    public var coefficients: KernelCoefficients { calibration.coefficients }

    /// `kernel-model:<gpu>:calibrated@<date>` or `kernel-model:<gpu>:spec-derived`.
    public var label: String { "kernel-model:\(gpu.name):\(calibration.labelSuffix(for: gpu.name))" }

    public func stepCost(_ w: StepWorkload) -> StepCost {
        var cost = StepCost()
        guard !w.isEmpty else { return cost }
        addLinear(w, to: &cost)
        addElementwise(w, to: &cost)
        addPrefillAttention(w, to: &cost)
        addDecodeAttention(w, to: &cost)
        addSampling(w, to: &cost)
        addCommunication(w, to: &cost)
        addCompression(w, to: &cost)
        addReclaim(w, to: &cost)
        addHost(w, to: &cost)
        return cost
    }

    // MARK: - Shared helpers

    /// Bandwidth a class reaches, bytes/s.
    @inline(__always)
    func bandwidth(_ c: RooflineCoefficients) -> Double { gpu.memoryBandwidthBytesPerSecond * c.memoryFraction }

    /// Throughput a class reaches, FLOP/s.
    @inline(__always)
    func throughput(_ c: RooflineCoefficients) -> Double { gpu.denseBF16FlopsPerSecond * c.computeFraction }

    /// One kernel's time: launch + max(compute, memory).
    @inline(__always)
    func roofline(flops: Double, bytes: Double, _ c: RooflineCoefficients) -> Double {
        c.launchSeconds + max(flops / throughput(c), bytes / bandwidth(c))
    }

    /// KV heads one GPU holds.
    var kvHeadsPerGPU: Int { max(1, model.kvHeads / tensorParallel) }
    /// Query heads one GPU computes.
    var queryHeadsPerGPU: Int { max(1, model.queryHeads / tensorParallel) }
}
