import GPUModel

/// One replica's accounting over a run: whether a step is in flight, the steps taken, busy time,
/// time integrals of its KV memory and the block-table entries written, and the summary fields
/// they give. ``Run`` keeps one, ``ClusterRun`` one per replica.
struct ReplicaLedger {
    /// Whether a step is running on the replica.
    var busy = false
    private(set) var iterations = 0
    private(set) var busyNanoseconds: Int64 = 0
    private(set) var allocatedIntegral = 0.0, usedIntegral = 0.0, trappedIntegral = 0.0
    private var lastBlockTableEntries = 0
    private(set) var blockTableEntriesTotal = 0

    /// The simulated duration of a step that costs `cost`: its seconds rounded up to whole
    /// nanoseconds, at least one.
    static func durationNanoseconds(_ cost: StepCost) -> Int64 {
        max(1, Int64((cost.totalSeconds * 1e9).rounded(.up)))
    }

    /// Charges a step of `duration` nanoseconds that `replica` has just formed: memory held over
    /// it, busy time, block-table entries written since the last step.
    mutating func charge<KV: KVCacheManager>(_ replica: Replica<KV>, durationNanoseconds duration: Int64) {
        let seconds = Double(duration) / 1e9
        allocatedIntegral += replica.kv.allocatedBytes * seconds
        usedIntegral += replica.kv.usedBytes * seconds
        trappedIntegral += replica.trappedBytes * seconds
        busyNanoseconds += duration
        let entries = replica.kv.blockTableEntries
        blockTableEntriesTotal += entries - lastBlockTableEntries
        lastBlockTableEntries = entries
        busy = true
        iterations += 1
    }

    /// Fills the fields of `summary` that come from the replica and this ledger (scheduler
    /// counters, KV peaks and means, fragmentation, reclaim, block tables, iterations).
    func fill<KV: KVCacheManager>(_ summary: inout PolicySummary, replica: Replica<KV>) {
        summary.preemptions = replica.preemptions
        summary.residentEvictions = replica.evictions
        summary.admissionStalls = replica.admissionStalls
        summary.maxConcurrentSessions = replica.peakConversations
        summary.kvCapacityBytes = replica.kv.capacityBytes
        summary.kvPeakAllocatedBytes = replica.peakAllocatedBytes
        summary.kvPeakUsedBytes = replica.peakUsedBytes
        summary.kvPeakTrappedBytes = replica.peakTrappedBytes
        let busy = SimTime.seconds(fromNanoseconds: busyNanoseconds)
        if busy > 0 {
            summary.kvMeanAllocatedBytes = allocatedIntegral / busy
            summary.kvMeanUsedBytes = usedIntegral / busy
            summary.kvMeanTrappedBytes = trappedIntegral / busy
        }
        if allocatedIntegral > 0 { summary.fragmentationFraction = trappedIntegral / allocatedIntegral }
        summary.reclaimedBytes = replica.kv.reclaimedBytes
        summary.reclaimCopiedBytes = replica.kv.copiedBytes
        if iterations > 0 { summary.blockTableEntriesPerStep = Double(blockTableEntriesTotal) / Double(iterations) }
        summary.simIterations = iterations
    }
}
