import GPUModel

/// What the scheduler needs from a KV cache: admission, allocation, accounting of computed
/// tokens (with compression and reclamation), freeing, and the memory counters reports show.
///
/// Implementations: ``PagedKVCache`` (full KV on monolithic pages with prefix caching, vLLM) and
/// ``HeadwiseKVCache`` (compressed KV under every budget and layout choice of ``PolicySpec``).
public protocol KVCacheManager: Sendable {
    /// KV capacity of the replica in bytes.
    var capacityBytes: Double { get }
    /// Bytes in allocated pages.
    var allocatedBytes: Double { get }
    /// Bytes holding tokens.
    var usedBytes: Double { get }
    /// Bytes allocated ahead of use by reservations.
    var reservedBytes: Double { get }
    /// Bytes of KV freed by reclamation so far.
    var reclaimedBytes: Double { get }
    /// Bytes of KV copied by reclamation so far.
    var copiedBytes: Double { get }
    /// Block-table entries written so far.
    var blockTableEntries: Int { get }

    /// The prefix-cache hit a waiting request would take (none when the manager has no prefix cache).
    func prefixHit(for r: RequestState) -> PrefixHit
    /// Whether a waiting request may be admitted at all (beyond the allocation of its first chunk).
    func admits(_ r: RequestState, hit: PrefixHit) -> Bool
    /// Whether a waiting request's whole current sequence (after `hit`) fits in free memory now,
    /// for admission that reserves the full sequence (``EngineConfig/reserveFullSequenceAtAdmission``).
    func fitsWholeSequence(_ r: RequestState, hit: PrefixHit) -> Bool
    /// Allocates room for `newTokens` more tokens of a request, taking `hit` first if given.
    mutating func allocate(_ r: inout RequestState, newTokens: Int, hit: PrefixHit?) -> Bool
    /// Adds the KV-dependent work of scheduling `newTokens` of a request to a step.
    func describe(_ r: RequestState, newTokens: Int, into work: inout StepWorkload)
    /// Records that a request's computed tokens advanced from `old`: caches or compresses, reclaims.
    mutating func didCompute(_ r: inout RequestState, from old: Int)
    /// Frees every page of a request and forgets its KV.
    mutating func free(_ r: inout RequestState)
    /// Whether a request of this size could ever fit alone.
    func canEverFit(promptTokens: Int, outputTokens: Int, chunkTokens: Int) -> Bool
}
