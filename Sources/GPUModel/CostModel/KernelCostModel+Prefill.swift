extension KernelCostModel {
    /// Query rows per FlashAttention prefill tile: every tile re-reads the KV it attends to.
    static let prefillQueryTileTokens = 128.0

    /// Causal chunked-prefill attention, one kernel per layer: `4 D` FLOPs per (query head,
    /// query-key pair) (QK^T and PV), and the KV read once per 128-query tile plus q read and o
    /// written once. The workload gives the pairs of one layer of each kind, summed over chunks
    /// (each chunk against its history and itself, causally).
    func addPrefillAttention(_ w: StepWorkload, to cost: inout StepCost) {
        let c = coefficients.prefillAttention
        let d = Double(model.headDim), q = Double(queryHeadsPerGPU), kv = Double(kvHeadsPerGPU)
        let kvBytesPerToken = 2 * kv * d * Double(model.bytesPerKVElement)
        let qoBytes = Double(w.prefillTokens) * 2 * q * d * 2
        func layer(_ pairs: Double) -> Double {
            guard pairs > 0 else { return 0 }
            let flops = 4 * d * q * pairs
            let bytes = pairs / Self.prefillQueryTileTokens * kvBytesPerToken + qoBytes
            return roofline(flops: flops, bytes: bytes, c)
        }
        cost.prefillAttentionSeconds +=
            Double(model.fullAttentionLayerCount) * layer(w.fullPrefillAttentionPairs)
            + Double(model.slidingLayerCount) * layer(w.slidingPrefillAttentionPairs)
    }
}
