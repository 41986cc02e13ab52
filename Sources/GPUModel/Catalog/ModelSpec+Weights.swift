extension ModelSpec {
    /// Parameters of the attention block of one layer (projections and biases).
    public var attentionParametersPerLayer: Int {
        let q = hiddenSize * queryHeads * headDim
        let kv = 2 * hiddenSize * kvHeads * headDim
        let o = queryHeads * headDim * hiddenSize
        let bias = attentionBias ? (queryHeads + 2 * kvHeads) * headDim + hiddenSize : 0
        return q + kv + o + bias
    }

    /// Parameters of one layer's dense MLP (gate, up and down projections), 0 for MoE models.
    public var denseMLPParametersPerLayer: Int {
        moe == nil ? 3 * hiddenSize * intermediateSize : 0
    }

    /// Parameters of one layer's experts and router, 0 for dense models.
    public var expertParametersPerLayer: Int {
        guard let moe else { return 0 }
        return moe.expertCount * 3 * hiddenSize * moe.expertIntermediateSize
    }

    /// Router parameters per layer, 0 for dense models.
    public var routerParametersPerLayer: Int {
        guard let moe else { return 0 }
        return hiddenSize * moe.expertCount
    }

    /// Input embedding plus output head parameters.
    public var embeddingParameters: Int {
        vocabSize * hiddenSize * (tiedEmbeddings ? 1 : 2)
    }

    /// All parameters the server loads (language model and any extra tower).
    public var totalParameters: Int {
        let norms = 2 * hiddenSize
        let perLayer = attentionParametersPerLayer + denseMLPParametersPerLayer + expertParametersPerLayer
            + routerParametersPerLayer + norms
        return embeddingParameters + layerCount * perLayer + hiddenSize + extraParameters
    }

    /// Bytes of weights the server keeps on the GPUs of one replica, summed over all of them.
    ///
    /// Dense weights cost ``bytesPerParameter`` each; expert weights cost
    /// ``MoESpec/bytesPerExpertParameter`` (MXFP4 for GPT-OSS).
    public var weightBytes: Double {
        let expert = Double(layerCount * expertParametersPerLayer) * (moe?.bytesPerExpertParameter ?? 0)
        let dense = Double(totalParameters - layerCount * expertParametersPerLayer) * bytesPerParameter
        return dense + expert
    }

    /// Weight bytes read by one forward pass over a batch, for ``activeExperts`` distinct experts
    /// touched per layer (all of a dense model's MLP).
    ///
    /// The output head is read; the input embedding is a gather of a few rows and is not counted.
    public func weightBytesRead(activeExpertsPerLayer: Int) -> Double {
        let lmHead = Double(vocabSize * hiddenSize) * bytesPerParameter
        let perLayerDense = Double(attentionParametersPerLayer + denseMLPParametersPerLayer
            + routerParametersPerLayer + 2 * hiddenSize) * bytesPerParameter
        var perLayerExperts = 0.0
        if let moe {
            let experts = min(activeExpertsPerLayer, moe.expertCount)
            perLayerExperts = Double(experts * 3 * hiddenSize * moe.expertIntermediateSize) * moe.bytesPerExpertParameter
        }
        return lmHead + Double(layerCount) * (perLayerDense + perLayerExperts)
    }
}
