/// The modelled time of one engine step, broken down by kernel class. All fields are seconds.
public struct StepCost: Sendable, Hashable {
    /// Linear layers: QKV, output projection, MLP or experts, output head.
    public var gemmSeconds: Double = 0
    /// Prefill (chunked, causal) attention.
    public var prefillAttentionSeconds: Double = 0
    /// Decode attention over the paged KV cache.
    public var decodeAttentionSeconds: Double = 0
    /// Tensor-parallel all-reduces.
    public var communicationSeconds: Double = 0
    /// Fixed per-step work: host scheduling, launches, sampling.
    public var overheadSeconds: Double = 0

    public init() {}

    /// The step's total time.
    public var totalSeconds: Double {
        gemmSeconds + prefillAttentionSeconds + decodeAttentionSeconds + communicationSeconds + overheadSeconds
    }
}
