extension KernelCostModel {
    /// Linear layers: per layer the dense GEMMs (and for MoE the router and two grouped expert
    /// GEMMs over the distinct experts touched, at the dense compute fraction times
    /// ``expertGEMM``), then the output head for sampled tokens.
    ///
    /// A GEMM `Y[M, N] = X[M, K] W[N, K]^T` does `2 M N K` FLOPs and moves `(M K + N K) b_w + M N 2`
    /// bytes (weights at `b_w` bytes each, bf16 activations).
    func addLinear(_ w: StepWorkload, to cost: inout StepCost) {
        let c = coefficients.gemm
        let m = Double(w.forwardTokens)
        var perLayer = 0.0
        for g in linear.denseLayerGEMMs {
            perLayer += roofline(
                flops: 2 * m * g.n * g.k,
                bytes: (m * g.k + g.n * g.k) * linear.bytesPerWeight
                    + m * g.n * 2, c)
        }
        if let router = linear.router, let moe = model.moe {
            perLayer += roofline(
                flops: 2 * m * router.n * router.k,
                bytes: (m * router.k + router.n * router.k) * linear.bytesPerWeight + m * router.n * 4, c)
            // Routed tokens through the touched experts: gate/up (2 I) then down (I), per GPU.
            let routed = m * Double(moe.activeExpertsPerToken)
            let experts = Double(RooflineCostModel.expectedDistinctExperts(tokens: w.forwardTokens, moe: moe))
            let h = linear.expertHidden, i = linear.expertIntermediatePerGPU
            let upWeights = experts * 2 * i * h * linear.bytesPerExpertWeight
            let downWeights = experts * i * h * linear.bytesPerExpertWeight
            // Grouped GEMMs reach less than a dense GEMM, the fewer rows per expert the less.
            var ce = c
            ce.computeFraction *= expertGEMM.relativeToDense(
                rowsPerExpert: experts > 0 ? routed / experts : 0)
            perLayer += roofline(flops: 2 * routed * 2 * i * h, bytes: upWeights + routed * (h + 2 * i) * 2, ce)
            perLayer += roofline(flops: 2 * routed * i * h, bytes: downWeights + routed * (i + h) * 2, ce)
        }
        cost.gemmSeconds += Double(model.layerCount) * perLayer
        if w.sampledSequences > 0 {
            let s = Double(w.sampledSequences), g = linear.lmHead
            cost.gemmSeconds += roofline(
                flops: 2 * s * g.n * g.k,
                bytes: (s * g.k + g.n * g.k) * linear.bytesPerWeight + s * g.n * 4, c)
        }
    }

    /// Memory-bound elementwise kernels, per layer: two fused residual-add + RMSNorm (read x and
    /// the residual, write both: 8 h bytes per token each), rotary embedding of q and k (read and
    /// write), the KV-cache write (read k, v; write the cache), the gated activation (read 2 I,
    /// write I; per routed token for MoE, plus the router's top-k); per step the embedding gather
    /// and the final norm. Five kernels per layer (six with MoE routing), two per step.
    func addElementwise(_ w: StepWorkload, to cost: inout StepCost) {
        let c = coefficients.elementwise
        let t = Double(w.forwardTokens)
        let h = Double(model.hiddenSize), d = Double(model.headDim)
        let q = Double(queryHeadsPerGPU), kv = Double(kvHeadsPerGPU)
        let kvElement = Double(model.bytesPerKVElement)
        var bytesPerToken = 2 * 8 * h  // two fused add + RMSNorm
        bytesPerToken += 2 * (q + kv) * d * 2  // rotary embedding, read + write
        bytesPerToken += 2 * (2 * kv * d) * kvElement  // KV-cache write, read + write
        var kernels = 5.0
        if let moe = model.moe {
            let k = Double(moe.activeExpertsPerToken)
            bytesPerToken += k * 3 * linear.expertIntermediatePerGPU * 2
            bytesPerToken += Double(moe.expertCount) * 4 * 2  // router softmax and top-k
            kernels += 1
        } else {
            bytesPerToken += 3 * Double(model.intermediateSize) / Double(tensorParallel) * 2
        }
        let perLayer = kernels * c.launchSeconds + t * bytesPerToken / bandwidth(c)
        let perStep = 2 * c.launchSeconds + t * (2 * 2 * h + 8 * h) / bandwidth(c)
        cost.normActivationSeconds += Double(model.layerCount) * perLayer + perStep
    }

    /// Sampling over the vocabulary: four passes over fp32 logits (temperature, softmax,
    /// top-k/top-p, draw), four kernels. The output head GEMM is in ``StepCost/gemmSeconds``.
    func addSampling(_ w: StepWorkload, to cost: inout StepCost) {
        guard w.sampledSequences > 0 else { return }
        let c = coefficients.elementwise
        let bytes = Double(w.sampledSequences) * Double(model.vocabSize) * 4 * 4
        cost.samplingSeconds += 4 * c.launchSeconds + bytes / bandwidth(c)
    }

    /// Tensor-parallel collectives: two ring all-reduces of the bf16 residual stream per layer,
    /// and the all-gather of the sampled rows' fp32 logits.
    func addCommunication(_ w: StepWorkload, to cost: inout StepCost) {
        guard tensorParallel > 1 else { return }
        let c = coefficients.communication
        let tp = Double(tensorParallel)
        let link = gpu.interconnectBytesPerSecond * c.linkFraction
        let bytes = Double(w.forwardTokens) * Double(model.hiddenSize) * 2
        let allReduce = c.latencySeconds + 2 * (tp - 1) / tp * bytes / link
        cost.communicationSeconds += 2 * Double(model.layerCount) * allReduce
        if w.sampledSequences > 0 {
            let logits = Double(w.sampledSequences) * Double(model.vocabSize) * 4
            cost.communicationSeconds += c.latencySeconds + (tp - 1) / tp * logits / link
        }
    }
}
