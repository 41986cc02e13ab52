/// What decode attention needs from a KV layout, precomputed once per model: the distinct
/// full-attention layers ("classes": layers whose KV heads hold the same budgets cost the same),
/// the tensor-parallel head shards, the wave size, and the ahead-of-time split tables.
struct DecodeLayoutPlan: Sendable {
    /// KV heads per layer (all shards).
    let kvHeads: Int
    /// KV heads one GPU holds.
    let headsPerShard: Int
    /// Distinct head shards (GPUs holding different heads).
    let shardCount: Int
    /// CTAs resident at once: SMs x resident CTAs per SM.
    let slots: Int
    /// FlashAttention's KV block (split granularity) for the model's head dim.
    let blockTokens: Int
    /// Whether cells have budgets (otherwise every head holds the request's whole context).
    let compressed: Bool
    /// Per class, the budgets of its layer's KV heads, flat `[class * kvHeads + head]`.
    let classBudgets: [Double]
    /// Per class, how many full-attention layers it stands for.
    let classLayerCounts: [Int]
    /// Per class and shard, the largest budget of the shard's heads, `[class * shardCount + shard]`.
    let classShardMaxBudget: [Double]
    /// Ahead-of-time tables: per class, shard and CTAs-per-request `q` in
    /// `headsPerShard...slots`, the splits of each head of the shard.
    let aotSplits: [Int32]
    /// Per class, shard and `q`: the CTAs one request really gets (the table's sum).
    let aotSplitSums: [Int32]
    /// Number of `q` values tabulated.
    let aotTableWidth: Int
    /// Per class, the distinct KV lengths one request has in a layer on one GPU (its planning
    /// items): its head groups (ragged layouts), its heads (head-wise budgets on monolithic
    /// pages) or 1 (uncompressed).
    let classPlanItems: [Int]

    init(
        model: ModelSpec, gpu: GPUSpec, tensorParallel: Int, layout: KVLayoutDescriptor, partition: DecodePartition,
        coefficients: DecodeAttentionCoefficients, referenceContextTokens: Int
    ) {
        let h = model.kvHeads
        kvHeads = h
        headsPerShard = max(1, h / tensorParallel)
        shardCount = max(1, h / headsPerShard)
        slots = max(1, gpu.smCount * max(1, coefficients.residentCTAsPerSM))
        blockTokens = SplitKVPlanner.flashDecodingBlockTokens(headDim: model.headDim)
        let layers = max(1, layout.fullLayerCount)
        var budgets: [Double] = [], counts: [Int] = [], items: [Int] = []
        func planItems(layer l: Int) -> Int {
            guard layout.cellBudgets != nil else { return 1 }
            guard let groups = layout.cellGroups else { return max(1, h / max(1, tensorParallel)) }
            let shard = max(1, h / max(1, tensorParallel))
            return Set(groups[(l * h)..<(l * h + shard)]).count
        }
        if let cells = layout.cellBudgets {
            compressed = true
            var index: [[UInt64]: Int] = [:]
            for l in 0..<layout.fullLayerCount {
                let row = Array(cells[(l * h)..<((l + 1) * h)])
                let key = row.map(\.bitPattern)
                if let c = index[key] {
                    counts[c] += 1
                } else {
                    index[key] = counts.count
                    counts.append(1)
                    budgets += row
                    items.append(planItems(layer: l))
                }
            }
        } else {
            compressed = false
            counts = [layers]
            items = [1]
        }
        classPlanItems = items
        classBudgets = budgets
        classLayerCounts = counts
        let classes = counts.count
        var maxBudget = [Double](repeating: 1, count: classes * shardCount)
        if compressed {
            for c in 0..<classes {
                for z in 0..<shardCount {
                    var m = 0.0
                    for j in 0..<headsPerShard { m = max(m, budgets[c * h + z * headsPerShard + j]) }
                    maxBudget[c * shardCount + z] = m
                }
            }
        }
        classShardMaxBudget = maxBudget
        let isCompressed = compressed, perShard = headsPerShard
        var splits: [Int32] = [], sums: [Int32] = []
        var width = 0
        if partition == .aheadOfTime {
            width = max(1, slots - headsPerShard + 1)
            splits.reserveCapacity(classes * shardCount * width * headsPerShard)
            for c in 0..<classes {
                for z in 0..<shardCount {
                    let weights = (0..<perShard).map { j -> Double in
                        guard isCompressed else { return Double(referenceContextTokens) }
                        let b = budgets[c * h + z * perShard + j]
                        return Double(layout.keptTokens(budget: b, contextTokens: referenceContextTokens))
                    }
                    for q in headsPerShard..<(headsPerShard + width) {
                        let s = SplitKVPlanner.aheadOfTimeSplits(weights: weights, ctasPerRequest: q)
                        splits += s.map { Int32($0) }
                        sums.append(Int32(s.reduce(0, +)))
                    }
                }
            }
        }
        aotSplits = splits
        aotSplitSums = sums
        aotTableWidth = width
    }

    /// CTAs per request of the ahead-of-time table for a batch size: enough to fill one wave
    /// (`slots / batch`), but at least two per head so that long heads can still be split at
    /// large batch sizes (and at most ``slots``).
    @inline(__always)
    func aotCTAsPerRequest(batch: Int) -> Int {
        min(max(slots, headsPerShard), max(2 * headsPerShard, slots / max(batch, 1)))
    }

    /// Row of the ahead-of-time table for a class, shard and batch size (see ``aotCTAsPerRequest(batch:)``).
    @inline(__always)
    func aotRow(classIndex c: Int, shard z: Int, batch: Int) -> Int {
        let q = aotCTAsPerRequest(batch: batch)
        return (c * shardCount + z) * aotTableWidth + (q - headsPerShard)
    }
}
