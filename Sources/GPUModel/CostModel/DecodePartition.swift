/// How a split-KV decode attention kernel divides each step's work into thread blocks (CTAs).
public enum DecodePartition: String, Sendable, Hashable, CaseIterable {
    /// Work spread evenly over SMs (the ideal; what uniform lengths give any split-KV kernel).
    case balanced
    /// FlashDecoding-like: the same split count for every (request, head), chosen by a
    /// FlashAttention-like heuristic; the step waits for the heaviest CTA.
    case flashDecoding = "flashdecoding"
    /// FlashInfer-like: balanced CTAs from a plan computed on the host per layer per step.
    case flashInfer = "flashinfer"
    /// Ahead-of-time: splits per head group proportional to its static budget, from a table
    /// computed once; no runtime planning.
    case aheadOfTime = "aot"
}
