extension KernelCostModel {
    /// How one layer's decode kernel is cut on one GPU for the current batch.
    struct SplitDecision {
        /// CTAs of the split kernel.
        var count: Int
        /// The largest split count of a (request, head); > 1 means a merge kernel runs.
        var maxSplits: Int
        /// FlashDecoding-like: splits of every (request, head).
        var uniformSplits: Int
        /// FlashInfer-like: tokens per CTA.
        var chunkTokens: Int
        /// Ahead-of-time: the table row (see ``DecodeLayoutPlan/aotRow(classIndex:shard:batch:)``).
        var aotRow: Int
    }

    /// Split granularity of the ahead-of-time and planner kernels: one KV page of 16 tokens.
    static let splitGranularityTokens = 16

    /// KV bytes of one token of one KV head (K and V).
    var bytesPerTokenHead: Double { 2 * Double(model.headDim) * Double(model.bytesPerKVElement) }

    /// FLOPs per (token, KV head) of decode attention: QK^T and PV for each of the head's query heads.
    var decodeFlopsPerTokenHead: Double { 4 * Double(model.queryHeads / max(model.kvHeads, 1)) * Double(model.headDim) }

    /// Decode attention. Sliding-window layers (equal window lengths) and balanced partitions
    /// cost their bytes at the kernel's bandwidth; otherwise each distinct full-attention layer is
    /// cut into CTAs by the partition and timed by ``WaveAccumulator``,
    /// the slowest tensor-parallel shard setting the layer's time.
    func addDecodeAttention(_ w: StepWorkload, to cost: inout StepCost) {
        guard w.decodeSequences > 0 else { return }
        let sliding = Double(model.slidingLayerCount)
        if sliding > 0 && w.slidingDecodeKVTokens > 0 {
            let t = balancedDecodeSeconds(
                tokenHeads: w.slidingDecodeKVTokens * Double(kvHeadsPerGPU),
                requests: w.decodeSequences)
            cost.decodeAttentionSeconds += sliding * t
            cost.decodeAttentionIdealSeconds += sliding * t
        }
        let full = Double(model.fullAttentionLayerCount)
        guard full > 0 else { return }
        if partition == .balanced || w.decodeShapes.isEmpty {
            let t = balancedDecodeSeconds(
                tokenHeads: w.fullDecodeKVTokens * Double(kvHeadsPerGPU),
                requests: w.decodeSequences)
            cost.decodeAttentionSeconds += full * t
            cost.decodeAttentionIdealSeconds += full * t
            return
        }
        if decodeImbalance == .everyStep || w.fullDecodeKVTokens <= 0 {
            let (seconds, ideal) = splitDecodeSeconds(w.decodeShapes, exact: false)
            cost.decodeAttentionSeconds += seconds
            cost.decodeAttentionIdealSeconds += ideal
            return
        }
        let key = DecodeBatchSignature(w.decodeShapes)
        let factor = imbalanceCache.factor(for: key) { imbalanceFactor(key.canonicalBatch()) }
        let ideal =
            full
            * balancedDecodeSeconds(
                tokenHeads: w.fullDecodeKVTokens * Double(kvHeadsPerGPU),
                requests: w.decodeShapes.count)
        cost.decodeAttentionSeconds += factor * ideal
        cost.decodeAttentionIdealSeconds += ideal
    }

    /// Split decode attention over its balanced ideal for a batch (1 for an empty batch).
    public func imbalanceFactor(_ shapes: [DecodeShape]) -> Double {
        guard !shapes.isEmpty else { return 1 }
        let r = splitDecodeSeconds(shapes, exact: false)
        return r.ideal > 0 ? r.seconds / r.ideal : 1
    }

    /// The reference for the hot path: the same CTAs timed by the exact wave simulation
    /// (``DecodeWaveSimulation/exactSeconds(ctaBytes:machine:)``), summed over
    /// full-attention layers. Slow (allocates, O(CTAs x slots)); for tests and validation.
    ///
    /// - Returns: decode attention seconds of the full-attention layers, or `nil` when the
    ///   partition is balanced or the workload has no decode shapes (nothing to simulate).
    public func decodeAttentionExactSeconds(_ w: StepWorkload) -> Double? {
        guard w.decodeSequences > 0, partition != .balanced, !w.decodeShapes.isEmpty else { return nil }
        return splitDecodeSeconds(w.decodeShapes, exact: true).seconds
    }

    /// The per-step CTA placement's value (``DecodeImbalanceMode/everyStep``) for the same
    /// quantity as ``decodeAttentionExactSeconds(_:)``.
    public func decodeAttentionFastSeconds(_ w: StepWorkload) -> Double? {
        guard w.decodeSequences > 0, partition != .balanced, !w.decodeShapes.isEmpty else { return nil }
        return splitDecodeSeconds(w.decodeShapes, exact: false).seconds
    }

    /// The CTA works (bytes) of one class's layer on one shard, in launch order.
    public func decodeCTABytes(_ shapes: [DecodeShape], layerClass c: Int = 0, shard z: Int = 0) -> [Double] {
        let decision = decide(classIndex: c, shard: z, shapes: shapes)
        let overhead = ctaOverheadBytes
        var works: [Double] = []
        works.reserveCapacity(decision.count)
        forEachCTA(classIndex: c, shard: z, shapes: shapes, decision: decision) { tokens in
            works.append(Double(tokens) * bytesPerTokenHead + overhead)
        }
        return works
    }

    /// Distinct full-attention layer classes of the layout (layers with identical head budgets).
    public var decodeLayerClassCount: Int { plan.classLayerCounts.count }

    // MARK: - Internals

    var decodeBandwidth: Double {
        gpu.memoryBandwidthBytesPerSecond * coefficients.decodeAttention.memoryFraction
    }
    /// The decode kernel's machine for the wave simulation.
    var decodeMachine: DecodeWaveSimulation.Machine {
        let dc = coefficients.decodeAttention
        return DecodeWaveSimulation.Machine(
            slots: plan.slots, bandwidth: decodeBandwidth,
            ctaCap: decodeBandwidth * dc.ctaBandwidthShare)
    }
    /// A CTA's fixed work in bytes (setup, writing its partial result).
    var ctaOverheadBytes: Double { coefficients.decodeAttention.ctaSetupBytes }

    /// A balanced decode kernel over `tokenHeads` (token, KV head) pairs of `requests` requests on
    /// one GPU: the CTAs a FlashDecoding-like kernel would launch for the mean length (with their
    /// setup work and, when split, the merge), their bytes spread perfectly evenly.
    func balancedDecodeSeconds(tokenHeads: Double, requests: Int) -> Double {
        let dc = coefficients.decodeAttention
        let flopsRate = gpu.denseBF16FlopsPerSecond * dc.computeFraction
        let b = max(requests, 1), hs = plan.headsPerShard
        let meanLength = tokenHeads / Double(b * hs)
        let blocks = max(1, Int((meanLength / Double(plan.blockTokens)).rounded(.up)))
        let splits = SplitKVPlanner.flashDecodingSplits(batchHeads: b * hs, smSlots: plan.slots, kvBlocks: blocks)
        let ctas = Double(b * hs * splits)
        var seconds =
            dc.launchSeconds
            + max(
                (tokenHeads * bytesPerTokenHead + ctas * ctaOverheadBytes) / decodeBandwidth,
                tokenHeads * decodeFlopsPerTokenHead / flopsRate)
        if splits > 1 { seconds += mergeSeconds(ctas: ctas, requests: b) }
        return seconds
    }

    /// The merge kernel: read every CTA's fp32 partial output and log-sum-exp, write the bf16 output.
    func mergeSeconds(ctas: Double, requests: Int) -> Double {
        let g = Double(model.queryHeads / max(model.kvHeads, 1)), d = Double(model.headDim)
        let bytes = ctas * g * (d + 1) * 4 + Double(requests * plan.headsPerShard) * g * d * 2
        return coefficients.decodeAttention.launchSeconds + bytes / decodeBandwidth
    }

    func splitDecodeSeconds(_ shapes: [DecodeShape], exact: Bool) -> (seconds: Double, ideal: Double) {
        var seconds = 0.0, ideal = 0.0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: WaveAccumulator.scratchCount(for: decodeMachine)) {
            scratch in
            for c in 0..<plan.classLayerCounts.count {
                var worst = 0.0, worstIdeal = 0.0
                for z in 0..<plan.shardCount {
                    let r = shardLayerSeconds(classIndex: c, shard: z, shapes: shapes, scratch: scratch, exact: exact)
                    worst = max(worst, r.seconds)
                    worstIdeal = max(worstIdeal, r.ideal)
                }
                let layers = Double(plan.classLayerCounts[c])
                seconds += layers * worst
                ideal += layers * worstIdeal
            }
        }
        return (seconds, ideal)
    }

    func shardLayerSeconds(
        classIndex c: Int, shard z: Int, shapes: [DecodeShape],
        scratch: UnsafeMutableBufferPointer<Double>, exact: Bool
    ) -> (seconds: Double, ideal: Double) {
        let dc = coefficients.decodeAttention
        let machine = decodeMachine, bpt = bytesPerTokenHead
        let overhead = ctaOverheadBytes
        let decision = decide(classIndex: c, shard: z, shapes: shapes)
        let n = decision.count
        var tokens = 0.0
        let kernelSeconds: Double
        if exact {
            var works: [Double] = []
            works.reserveCapacity(n)
            forEachCTA(classIndex: c, shard: z, shapes: shapes, decision: decision) { t in
                works.append(Double(t) * bpt + overhead)
                tokens += Double(t)
            }
            kernelSeconds = DecodeWaveSimulation.exactSeconds(ctaBytes: works, machine: machine)
        } else {
            var waves = WaveAccumulator(machine: machine, scratch: scratch)
            forEachCTA(classIndex: c, shard: z, shapes: shapes, decision: decision) { t in
                waves.add(Double(t) * bpt + overhead)
                tokens += Double(t)
            }
            kernelSeconds = waves.finish()
        }
        let flopsRate = gpu.denseBF16FlopsPerSecond * dc.computeFraction
        let flopsSeconds = tokens * decodeFlopsPerTokenHead / flopsRate
        var seconds = dc.launchSeconds + max(kernelSeconds, flopsSeconds)
        if decision.maxSplits > 1 { seconds += mergeSeconds(ctas: Double(n), requests: shapes.count) }
        return (seconds, balancedDecodeSeconds(tokenHeads: tokens, requests: shapes.count))
    }

    /// KV length of head `head` (of all the layer's heads) for one request.
    @inline(__always)
    func decodeLength(_ s: DecodeShape, classIndex c: Int, head: Int) -> Int {
        let context = Int(s.compressedContextTokens), appended = Int(s.appendedTokens)
        guard plan.compressed, context > 0 else { return context + appended }
        let b = plan.classBudgets[c * plan.kvHeads + head]
        return layout.keptTokens(budget: b, contextTokens: context) + appended
    }

    func decide(classIndex c: Int, shard z: Int, shapes: [DecodeShape]) -> SplitDecision {
        let batch = shapes.count, hs = plan.headsPerShard
        var d = SplitDecision(count: 0, maxSplits: 1, uniformSplits: 1, chunkTokens: 1, aotRow: 0)
        switch partition {
        case .balanced, .flashDecoding:
            var longest = 0
            if plan.compressed {
                let b = plan.classShardMaxBudget[c * plan.shardCount + z]
                for s in shapes {
                    let context = Int(s.compressedContextTokens), appended = Int(s.appendedTokens)
                    let l =
                        context > 0
                        ? layout.keptTokens(budget: b, contextTokens: context) + appended
                        : context + appended
                    longest = max(longest, l)
                }
            } else {
                for s in shapes { longest = max(longest, Int(s.compressedContextTokens) + Int(s.appendedTokens)) }
            }
            let blocks = max(1, SplitKVPlanner.ceilDiv(longest, plan.blockTokens))
            let splits = SplitKVPlanner.flashDecodingSplits(
                batchHeads: batch * hs, smSlots: plan.slots,
                kvBlocks: blocks)
            d.uniformSplits = splits
            d.maxSplits = splits
            d.count = batch * hs * splits
        case .aheadOfTime:
            let row = plan.aotRow(classIndex: c, shard: z, batch: batch)
            d.aotRow = row
            d.count = batch * Int(plan.aotSplitSums[row])
            var m = 1
            for j in 0..<hs { m = max(m, Int(plan.aotSplits[row * hs + j])) }
            d.maxSplits = m
        case .flashInfer:
            var longest = 0
            for s in shapes {
                for j in 0..<hs { longest = max(longest, decodeLength(s, classIndex: c, head: z * hs + j)) }
            }
            func count(_ chunk: Int) -> Int {
                var n = 0
                for s in shapes {
                    for j in 0..<hs {
                        n += max(1, SplitKVPlanner.ceilDiv(decodeLength(s, classIndex: c, head: z * hs + j), chunk))
                    }
                }
                return n
            }
            let chunk = SplitKVPlanner.plannerChunkTokens(
                longestTokens: longest, maxCTAs: plan.slots,
                granularityTokens: Self.splitGranularityTokens,
                ctaCount: count)
            d.chunkTokens = chunk
            d.count = count(chunk)
            d.maxSplits = max(1, SplitKVPlanner.ceilDiv(longest, chunk))
        }
        return d
    }

    /// Calls `body` with the KV tokens of every CTA of one class's layer on one shard, in launch
    /// order: request by request, head by head, split by split.
    @inline(__always)
    func forEachCTA(
        classIndex c: Int, shard z: Int, shapes: [DecodeShape], decision d: SplitDecision,
        _ body: (Int) -> Void
    ) {
        let hs = plan.headsPerShard
        let granularity = Self.splitGranularityTokens
        for s in shapes {
            for j in 0..<hs {
                let length = decodeLength(s, classIndex: c, head: z * hs + j)
                let splits: Int, chunk: Int
                switch partition {
                case .balanced, .flashDecoding:
                    splits = d.uniformSplits
                    let blocks = SplitKVPlanner.ceilDiv(length, plan.blockTokens)
                    chunk = SplitKVPlanner.ceilDiv(blocks, splits) * plan.blockTokens
                case .aheadOfTime:
                    splits = Int(plan.aotSplits[d.aotRow * hs + j])
                    chunk = SplitKVPlanner.ceilDiv(SplitKVPlanner.ceilDiv(length, splits), granularity) * granularity
                case .flashInfer:
                    chunk = d.chunkTokens
                    splits = max(1, SplitKVPlanner.ceilDiv(length, chunk))
                }
                var start = 0
                for _ in 0..<splits {
                    body(max(0, min(chunk, length - start)))
                    start += chunk
                }
            }
        }
    }
}
