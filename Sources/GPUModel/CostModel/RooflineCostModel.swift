/// A first, uncalibrated cost model: every kernel class takes the longer of its compute time and
/// its memory time at fixed fractions of the GPU's peaks, plus a fixed overhead per step.
///
/// **Placeholder.** This is the skeleton's cost model and is replaced by the calibrated,
/// SM-aware model (docs/cost-model.md). Its coefficients are:
/// - ``bandwidthEfficiency`` 0.896: the device-to-device copy bandwidth measured on the lent H200
///   (about 4.3 TB/s) over its 4.8 TB/s datasheet peak;
/// - ``computeEfficiency`` 0.80: the bf16 GEMM throughput measured on the same H200 (about
///   790 TFLOP/s) over its 989 TFLOP/s dense peak;
/// - ``stepOverheadSeconds`` 1 ms: an order-of-magnitude allowance for vLLM V1's per-step host
///   work (scheduling, input preparation, sampling), not measured;
/// - ``collectiveLatencySeconds`` 10 µs per all-reduce: an order-of-magnitude NCCL small-message
///   latency on NVLink, not measured.
/// The same fractions are applied to every GPU, which is why outputs label the model as a
/// placeholder.
public struct RooflineCostModel: CostModel {
    public var model: ModelSpec
    public var gpu: GPUSpec
    /// GPUs of one replica (tensor parallelism).
    public var tensorParallel: Int
    public var bandwidthEfficiency = 0.896
    public var computeEfficiency = 0.80
    public var stepOverheadSeconds = 1.0e-3
    public var collectiveLatencySeconds = 10e-6

    public init(model: ModelSpec, gpu: GPUSpec, tensorParallel: Int = 1) {
        precondition(tensorParallel >= 1, "tensor parallelism must be at least 1")
        self.model = model
        self.gpu = gpu
        self.tensorParallel = tensorParallel
    }

    public var label: String { "roofline-placeholder" }

    public func stepCost(_ w: StepWorkload) -> StepCost {
        var cost = StepCost()
        guard !w.isEmpty else { return cost }
        let tp = Double(tensorParallel)
        let flops = gpu.denseBF16FlopsPerSecond * computeEfficiency
        let bandwidth = gpu.memoryBandwidthBytesPerSecond * bandwidthEfficiency
        let tokens = Double(w.forwardTokens)
        let m = model

        // Linear layers: 2 FLOPs per weight per token; the output head only for sampled tokens.
        let layerParams = Double(m.attentionParametersPerLayer + m.denseMLPParametersPerLayer + m.routerParametersPerLayer)
        var expertParamsPerToken = 0.0
        var expertsTouched = 0
        if let moe = m.moe {
            expertParamsPerToken = Double(moe.activeExpertsPerToken * 3 * m.hiddenSize * moe.expertIntermediateSize)
            expertsTouched = Self.expectedDistinctExperts(tokens: w.forwardTokens, moe: moe)
        }
        let gemmFlops = 2 * Double(m.layerCount) * (layerParams + expertParamsPerToken) * tokens
            + 2 * Double(m.vocabSize * m.hiddenSize) * Double(w.sampledSequences)
        let gemmBytes = m.weightBytesRead(activeExpertsPerLayer: expertsTouched)
        cost.gemmSeconds = max(gemmFlops / flops, gemmBytes / bandwidth) / tp

        // Attention: 4 FLOPs per query-key pair per query head and head dimension (QK^T and PV).
        let flopsPerPair = 4.0 * Double(m.queryHeads * m.headDim)
        let full = Double(m.fullAttentionLayerCount), sliding = Double(m.slidingLayerCount)
        let prefillFlops = flopsPerPair * (full * w.fullPrefillAttentionPairs + sliding * w.slidingPrefillAttentionPairs)
        cost.prefillAttentionSeconds = prefillFlops / flops / tp

        let kvBytesPerToken = Double(m.kvBytesPerTokenPerLayer)
        let decodeTokens = full * w.fullDecodeKVTokens + sliding * w.slidingDecodeKVTokens
        cost.decodeAttentionSeconds = max(decodeTokens * kvBytesPerToken / bandwidth,
                                          decodeTokens * flopsPerPair / flops) / tp

        if tensorParallel > 1 {
            // Two ring all-reduces of the residual stream per layer.
            let bytes = tokens * Double(m.hiddenSize) * 2
            let perCollective = 2 * (tp - 1) / tp * bytes / gpu.interconnectBytesPerSecond + collectiveLatencySeconds
            cost.communicationSeconds = 2 * Double(m.layerCount) * perCollective
        }
        cost.overheadSeconds = stepOverheadSeconds
        return cost
    }

    /// Expected number of distinct experts a layer touches when `tokens` tokens each pick
    /// `activeExpertsPerToken` of `expertCount` experts uniformly: E (1 - (1 - k/E)^T).
    public static func expectedDistinctExperts(tokens: Int, moe: MoESpec) -> Int {
        let e = Double(moe.expertCount), k = Double(moe.activeExpertsPerToken)
        let expected = e * (1 - pow1p(-k / e, tokens))
        return min(moe.expertCount, Int(expected.rounded(.up)))
    }

    private static func pow1p(_ x: Double, _ n: Int) -> Double {
        var result = 1.0, base = 1 + x, e = n
        while e > 0 { if e & 1 == 1 { result *= base }; base *= base; e >>= 1 }
        return result
    }
}
