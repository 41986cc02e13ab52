/// The modelled time of one engine step, broken down by kernel class. All fields are seconds.
///
/// ``totalSeconds`` is the sum of every field except ``decodeAttentionIdealSeconds``, which is
/// informational (what decode attention would take with perfectly balanced thread blocks).
/// Host-side work (scheduling, block tables, planning) is assumed serial with the GPU work.
public struct StepCost: Sendable, Hashable {
    /// Linear layers: QKV, output projection, MLP or experts, router, output head.
    public var gemmSeconds: Double = 0
    /// Prefill (chunked, causal) attention.
    public var prefillAttentionSeconds: Double = 0
    /// Decode attention over the paged KV cache, split-KV merge included.
    public var decodeAttentionSeconds: Double = 0
    /// Tensor-parallel all-reduces (and the logits gather).
    public var communicationSeconds: Double = 0
    /// Host-side scheduling and input preparation (the placeholder model put all fixed per-step
    /// work here).
    public var overheadSeconds: Double = 0
    /// Norms, activations, rotary embedding, KV-cache writes and embedding gather.
    public var normActivationSeconds: Double = 0
    /// Sampling over the vocabulary (softmax, top-k/top-p, draw); the output head is in ``gemmSeconds``.
    public var samplingSeconds: Double = 0
    /// Compression scoring and top-k selection of the prompt tokens scored this step.
    public var compressionSeconds: Double = 0
    /// Reclamation: compaction of the kept KV (bytes moved) and the host's page bookkeeping.
    public var reclaimSeconds: Double = 0
    /// Host-side block-table updates (proportional to the entries written).
    public var blockTableSeconds: Double = 0
    /// Host-side split planning of a FlashInfer-like decode kernel (per layer, per step).
    public var planningSeconds: Double = 0

    /// Informational, not part of ``totalSeconds``: decode attention with the same bytes but
    /// perfectly balanced thread blocks. ``decodeAttentionSeconds`` over this is the imbalance.
    public var decodeAttentionIdealSeconds: Double = 0

    public init() {}

    /// The step's total time.
    public var totalSeconds: Double {
        gemmSeconds + prefillAttentionSeconds + decodeAttentionSeconds + communicationSeconds + overheadSeconds
            + normActivationSeconds + samplingSeconds + compressionSeconds + reclaimSeconds + blockTableSeconds
            + planningSeconds
    }
}
