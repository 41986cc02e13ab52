/// The measured kernel classes a calibration fits, as named in the measurement CSV's
/// `kernel_class` column (Sources/CUDARunner, `KernelClass`).
public enum CalibrationKernelClass: String, Sendable, Hashable, CaseIterable, Codable {
    /// Device-to-device copy: the bandwidth ceiling (reported, not a cost-model term).
    case copy
    /// A linear layer's GEMM.
    case gemm
    /// Causal chunked-prefill attention.
    case prefillAttention = "prefill_attention"
    /// Split-KV decode attention plus its merge.
    case decodeAttention = "decode_attention"
    /// The decode planner alone on the host: measured seconds are host seconds per call.
    case decodePlanner = "decode_planner"
    /// Page compaction (reclamation).
    case compaction
}
