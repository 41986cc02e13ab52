extension StepCost {
    /// The keys of ``breakdown``, in report order (snake case, as in JSON outputs).
    public static let breakdownKeys = [
        "gemm", "prefill_attention", "decode_attention", "norm_activation", "sampling", "compression", "reclaim",
        "communication", "scheduling", "block_table", "planning",
    ]

    /// Every summed component as `(key, seconds)`, in ``breakdownKeys`` order; the seconds add up
    /// to ``totalSeconds``.
    public var breakdown: [(key: String, seconds: Double)] {
        [
            ("gemm", gemmSeconds), ("prefill_attention", prefillAttentionSeconds),
            ("decode_attention", decodeAttentionSeconds), ("norm_activation", normActivationSeconds),
            ("sampling", samplingSeconds), ("compression", compressionSeconds), ("reclaim", reclaimSeconds),
            ("communication", communicationSeconds), ("scheduling", overheadSeconds),
            ("block_table", blockTableSeconds), ("planning", planningSeconds),
        ]
    }

    /// Host-side seconds: scheduling, block-table updates and planning.
    public var hostSeconds: Double { overheadSeconds + blockTableSeconds + planningSeconds }

    /// The share of the step spent in FlashInfer-like split planning (0 when the step is empty).
    public var planningShare: Double { totalSeconds > 0 ? planningSeconds / totalSeconds : 0 }

    /// Decode attention over its balanced ideal (1 when balanced or when there is no decode).
    public var decodeImbalance: Double {
        decodeAttentionIdealSeconds > 0 ? decodeAttentionSeconds / decodeAttentionIdealSeconds : 1
    }

    /// Adds every component of `other` to this cost (used to sum steps).
    public mutating func add(_ other: StepCost) {
        gemmSeconds += other.gemmSeconds
        prefillAttentionSeconds += other.prefillAttentionSeconds
        decodeAttentionSeconds += other.decodeAttentionSeconds
        communicationSeconds += other.communicationSeconds
        overheadSeconds += other.overheadSeconds
        normActivationSeconds += other.normActivationSeconds
        samplingSeconds += other.samplingSeconds
        compressionSeconds += other.compressionSeconds
        reclaimSeconds += other.reclaimSeconds
        blockTableSeconds += other.blockTableSeconds
        planningSeconds += other.planningSeconds
        decodeAttentionIdealSeconds += other.decodeAttentionIdealSeconds
    }
}
