/// The kernel classes measured, one cost-model family each.
public enum KernelClass: String, Sendable, Hashable, CaseIterable {
    /// Device-to-device copy (the bandwidth ceiling).
    case copy
    /// Paged decode attention, split-KV plus merge.
    case decodeAttention = "decode_attention"
    /// The decode planner alone on the host (`tk_decode_planner`): seconds are host time per call.
    case decodePlanner = "decode_planner"
    /// Causal chunked-prefill attention over a paged history.
    case prefillAttention = "prefill_attention"
    /// Page compaction (gather kept KV into fresh ragged pages).
    case compaction
    /// A linear layer's GEMM through cuBLAS.
    case gemm
}
