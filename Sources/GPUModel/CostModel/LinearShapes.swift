/// The per-GPU GEMM shapes of one transformer layer and of the output head, precomputed once so
/// that costing a step's linear layers is O(1).
struct LinearShapes: Sendable {
    /// `(N, K)` of the dense GEMMs of one layer on one GPU: fused QKV, output projection and,
    /// for dense models, fused gate/up and down (`Y[M, N] = X[M, K] W[N, K]^T`).
    var denseLayerGEMMs: [(n: Double, k: Double)]
    /// Router `(N, K)` for MoE models (replicated on every GPU).
    var router: (n: Double, k: Double)?
    /// Per-GPU expert shapes: hidden size and the expert intermediate size over TP.
    var expertHidden: Double
    var expertIntermediatePerGPU: Double
    /// Output head `(N, K)` per GPU.
    var lmHead: (n: Double, k: Double)
    /// Bytes per weight of dense layers and of experts.
    var bytesPerWeight: Double
    var bytesPerExpertWeight: Double

    init(model m: ModelSpec, tensorParallel tp: Int) {
        let t = Double(tp)
        let h = Double(m.hiddenSize)
        let qkv = Double((m.queryHeads + 2 * m.kvHeads) * m.headDim) / t
        let attnOut = Double(m.queryHeads * m.headDim) / t
        var gemms: [(n: Double, k: Double)] = [(qkv, h), (h, attnOut)]
        if m.moe == nil {
            let inter = Double(m.intermediateSize) / t
            gemms.append((2 * inter, h))
            gemms.append((h, inter))
        }
        denseLayerGEMMs = gemms
        if let moe = m.moe {
            router = (Double(moe.expertCount), h)
            expertIntermediatePerGPU = Double(moe.expertIntermediateSize) / t
            bytesPerExpertWeight = moe.bytesPerExpertParameter
        } else {
            router = nil
            expertIntermediatePerGPU = 0
            bytesPerExpertWeight = 0
        }
        expertHidden = h
        lmHead = (Double(m.vocabSize) / t, h)
        bytesPerWeight = m.bytesPerParameter
    }
}
