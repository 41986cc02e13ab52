/// What one engine step computes, aggregated over the batch: the cost model's only input.
///
/// The scheduler fills it in O(batch) from the requests it scheduled; the cost model never sees
/// individual requests. Attention work is given for *one* layer of each kind (full and sliding
/// window); the cost model multiplies by the model's layer counts.
public struct StepWorkload: Sendable, Hashable {
    /// Prompt tokens computed in this step (chunks of chunked prefill).
    public var prefillTokens: Int = 0
    /// Requests contributing a prefill chunk.
    public var prefillSequences: Int = 0
    /// Requests generating one token from their KV cache.
    public var decodeSequences: Int = 0
    /// Requests that sample a token this step (all decodes plus prefills that finish their prompt).
    public var sampledSequences: Int = 0
    /// Query-key pairs of causal prefill attention in one full-attention layer, summed over chunks.
    public var fullPrefillAttentionPairs: Double = 0
    /// Query-key pairs of prefill attention in one sliding-window layer, summed over chunks.
    public var slidingPrefillAttentionPairs: Double = 0
    /// KV tokens read by decode attention in one full-attention layer, summed over decoding requests.
    public var fullDecodeKVTokens: Double = 0
    /// KV tokens read by decode attention in one sliding-window layer, summed over decoding requests.
    public var slidingDecodeKVTokens: Double = 0

    /// Per decoding request of a compressed layout: its compressed context and the tokens
    /// appended since (see ``KVLayoutDescriptor``). Empty for uncompressed layouts, whose decode
    /// work is fully described by ``fullDecodeKVTokens``.
    public var decodeShapes: [DecodeShape] = []
    /// Prompt tokens scored by the compression method in this step.
    public var compressionScoredTokens: Int = 0
    /// Bytes of KV moved by reclamation (compaction after compression) in this step.
    public var reclaimCopyBytes: Double = 0
    /// Pages freed by reclamation in this step (pages of one head group, replica-wide).
    public var reclaimedPages: Int = 0
    /// Requests that reached a compression boundary with reclamation in this step.
    public var reclaimBoundaries: Int = 0
    /// Over those boundaries, the sum of the mean tokens a (layer, group) cluster holds when its
    /// boundary compresses (kept before plus the chunk); what a per-cluster write-back's gathers
    /// grow with (``PerClusterWriteback``).
    public var reclaimSeenTokensPerCluster: Double = 0
    /// Width of a request's block-table row in blocks (`max_model_len / block size`), which the
    /// reclaim's block-table compaction scans; set with ``reclaimBoundaries``.
    public var reclaimRowBlocks: Int = 0
    /// Blocks of one GPU's page pool (head-group pages), which freeing pages scans; set with
    /// ``reclaimBoundaries``.
    public var reclaimPoolBlocksPerGPU: Int = 0
    /// Block-table entries the host writes this step (new pages over all requests and head groups).
    public var blockTableEntriesWritten: Int = 0
    /// Requests in the batch (running decodes and prefills).
    public var batchRequests: Int { decodeSequences + prefillSequences }

    public init() {}

    /// Tokens that pass through the linear layers: every prefill token and one per decode.
    public var forwardTokens: Int { prefillTokens + decodeSequences }

    /// Whether the step does nothing.
    public var isEmpty: Bool { forwardTokens == 0 }
}
