extension KernelCostModel {
    /// Compression scoring and top-k of the tokens scored this step, per full-attention layer
    /// (sliding-window layers are never compressed). Per scorer (DOMAIN.md section 4), for `T`
    /// scored tokens, `Hq`/`Hkv` query/KV heads per GPU and head dim `D`:
    /// - SnapKV: `2 Hq 32 T D` FLOPs (32 observation-window queries against the chunk), the keys
    ///   read once, the window's fp32 scores written and read;
    /// - KeyDiff and Fast-KVzip: `4 Hkv T D` FLOPs (a distance per key), the keys read once;
    /// - ExpectedAttention: 17 GFLOP per layer per 8,192 tokens (split over TP), the keys read once;
    /// - StreamingLLM and none: nothing.
    /// Top-k selection: a radix select over each KV head's fp32 scores, four passes.
    /// Two launches for scoring, two for selection.
    func addCompression(_ w: StepWorkload, to cost: inout StepCost) {
        let t = Double(w.compressionScoredTokens)
        guard t > 0 else { return }
        let c = coefficients.scoring
        let d = Double(model.headDim), q = Double(queryHeadsPerGPU), kv = Double(kvHeadsPerGPU)
        let keyBytes = t * kv * d * Double(model.bytesPerKVElement)
        let flops: Double, bytes: Double
        switch scorer {
        case .none, .streamingllm:
            return
        case .snapkv:
            flops = 2 * q * 32 * t * d
            bytes = keyBytes + q * 32 * t * 4 * 2
        case .keydiff, .fastkvzip:
            flops = 4 * kv * t * d
            bytes = keyBytes
        case .ea:
            flops = 17e9 * t / 8192 / Double(tensorParallel)
            bytes = keyBytes
        }
        let scoring = roofline(flops: flops, bytes: bytes, c) + c.launchSeconds
        let selection = roofline(flops: 0, bytes: t * kv * 4 * 4, c) + c.launchSeconds
        cost.compressionSeconds += Double(model.fullAttentionLayerCount) * (scoring + selection)
    }

    /// Reclamation: the compaction kernel reads and writes the kept KV (one launch per full
    /// layer; with ``ReclaimWriteback/perCluster`` the fork's earlier per-cluster loop instead,
    /// ``PerClusterWriteback``); on the host, each request at a compression boundary recomputes its
    /// groups' kept counts and compacts its block-table row, and the step returns the freed pages
    /// (``ReclaimHostCoefficients``).
    func addReclaim(_ w: StepWorkload, to cost: inout StepCost) {
        guard w.reclaimCopyBytes > 0 || w.reclaimedPages > 0 || w.reclaimBoundaries > 0 else { return }
        let c = coefficients.compaction
        let tp = Double(tensorParallel)
        let groups = Double(layout.fullLayerCount * layout.kvHeadsPerLayer) / Double(max(1, layout.headsPerGroup))
        var host = coefficients.host.reclaim
        switch reclaimWriteback {
        case .batched:
            if w.reclaimCopyBytes > 0 {
                let bytes = 2 * w.reclaimCopyBytes / tp
                cost.reclaimSeconds += Double(model.fullAttentionLayerCount) * c.launchSeconds + bytes / bandwidth(c)
            }
        case .perCluster:
            // The per-cluster loop does the gathers and write-backs itself, in place of the
            // batched path's compaction kernel and its host launches.
            let p = perClusterWriteback
            host.boundaryFixedSeconds = max(0, host.boundaryFixedSeconds - p.replacedBatchedFixedSeconds)
            host.boundaryPerLayerSeconds = max(0, host.boundaryPerLayerSeconds - p.replacedBatchedPerLayerSeconds)
            let boundaries = w.reclaimBoundaries
            cost.reclaimSeconds += p.seconds(
                boundaries: boundaries, clustersPerGPU: groups / tp,
                meanTokensPerCluster: boundaries > 0 ? w.reclaimSeenTokensPerCluster / Double(boundaries) : 0,
                bandwidthBytesPerSecond: gpu.memoryBandwidthBytesPerSecond)
        }
        cost.reclaimSeconds += host.seconds(
            boundaries: w.reclaimBoundaries, layers: model.fullAttentionLayerCount, groupsPerGPU: groups / tp,
            rowBlocks: w.reclaimRowBlocks, pagesPerGPU: Double(w.reclaimedPages) / tp,
            poolBlocksPerGPU: w.reclaimPoolBlocksPerGPU)
    }

    /// Host-side work: scheduling and input preparation (fixed plus per request), block-table
    /// updates (proportional to the entries written), and for the FlashInfer-like partition one
    /// plan per distinct decode layer per step, each growing with sequences x KV heads.
    func addHost(_ w: StepWorkload, to cost: inout StepCost) {
        let h = coefficients.host
        cost.overheadSeconds += h.schedulingFixedSeconds + Double(w.batchRequests) * h.schedulingPerRequestSeconds
        if w.blockTableEntriesWritten > 0 {
            let n = Double(w.blockTableEntriesWritten)
            switch blockTableUpdate {
            case .naive: cost.blockTableSeconds += n * h.blockTableNaivePerEntrySeconds
            case .vectorized:
                cost.blockTableSeconds += h.blockTableVectorizedFixedSeconds + n * h.blockTableVectorizedPerEntrySeconds
            }
        }
        if partition == .flashInfer && w.decodeSequences > 0 {
            cost.planningSeconds += planningSeconds(sequences: w.decodeSequences)
        }
    }

    /// Host planning time of a FlashInfer-like decode step for `sequences` decoding requests: one
    /// plan per distinct full-attention layer (layers whose heads have the same budgets share a
    /// plan) and one shared by the sliding-window layers, each
    /// `planCallSeconds + planFixedSeconds + planPerItemSeconds x sequences x items`, where items
    /// are the distinct KV lengths a request has in the layer on one GPU (its head groups): the
    /// framework's call into the planner, then the planner's own work.
    public func planningSeconds(sequences: Int) -> Double {
        let h = coefficients.host
        let items = plan.classPlanItems.reduce(0, +) + (model.slidingLayerCount > 0 ? 1 : 0)
        return Double(planCountPerStep) * (h.planCallSeconds + h.planFixedSeconds)
            + h.planPerItemSeconds * Double(sequences * items)
    }

    /// Plans a FlashInfer-like kernel needs per decode step.
    public var planCountPerStep: Int {
        plan.classLayerCounts.count + (model.slidingLayerCount > 0 ? 1 : 0)
    }
}
