import GPUModel

/// The KV cache of compressed policies: per-head budgets (uniform, dynamic or reserved) on
/// monolithic or ragged pages, with or without compress-and-reclaim.
///
/// Memory is counted in *cell-pages*: one KV head of one full-attention layer for one block of
/// tokens. A monolithic page is every cell's cell-page for the same block; a ragged page holds
/// the cell-pages of one head group. A request's footprint is a closed-form function of its
/// compressed context `C` and the tokens appended since, `a`:
///
///     monolithic:  cells x ceil((max_h kept_h(C) + a) / B)
///     ragged:      sum over groups g of |g| x ceil((max_{h in g} kept_h(C) + a) / B)
///
/// The ragged sum is evaluated from the residues of the groups' kept lengths modulo the block
/// size, so appending tokens costs O(B), not O(groups): the engine's step stays independent of
/// the number of head groups. Sliding-window layers are never compressed and hold at most their
/// window. The pool tracks counts, not page ids: compressed policies keep conversations
/// resident instead of sharing prefix blocks, so no page is ever shared.
public struct HeadwiseKVCache: KVCacheManager {
    public let spec: PolicySpec
    public let settings: CompressionSettings
    public let table: RetentionTable
    let blockSize: Int
    /// Compressible cells (full-attention layers x KV heads).
    public let cells: Int
    let slidingCells: Int
    let slidingWindow: Int?
    /// Cell-pages per block-table entry (H_p for ragged layouts, every cell for monolithic ones).
    let cellsPerPage: Int
    let monolithic: Bool
    let regrowsToLongest: Bool
    /// Bytes of one cell-page, replica-wide.
    public let cellPageBytes: Double
    /// Cell-pages the pool holds.
    public let capacityCellPages: Int
    public private(set) var allocatedCellPages = 0
    public private(set) var usedTokenCells = 0
    public private(set) var reservedCellPages = 0
    public private(set) var reclaimedBytes = 0.0
    public private(set) var copiedBytes = 0.0
    public private(set) var blockTableEntries = 0
    /// Blocks in a request's block-table row (`max_model_len / block size`), for the reclaim cost.
    let rowBlocks: Int
    /// Head-group pages in one GPU's pool, for the reclaim cost.
    let poolBlocksPerGPU: Int

    /// - Parameter maxModelLenTokens: the engine's `max_model_len` (``EngineConfig/maxModelLenTokens``),
    ///   which sizes the block-table rows the reclaim scans.
    public init(plan: KVMemoryPlan, model: ModelSpec, policy: PolicySpec, settings: CompressionSettings,
                table: RetentionTable, maxModelLenTokens: Int = EngineConfig().maxModelLenTokens) {
        precondition(policy.compresses, "HeadwiseKVCache serves compressed policies")
        spec = policy
        self.settings = settings
        self.table = table
        blockSize = plan.blockSizeTokens
        cells = model.fullAttentionLayerCount * model.kvHeads
        precondition(table.cellCount == cells, "retention table has \(table.cellCount) cells, model \(cells)")
        slidingCells = model.slidingLayerCount * model.kvHeads
        slidingWindow = model.slidingWindowTokens
        switch policy.layout {
        case .monolithic:
            monolithic = true; regrowsToLongest = false; cellsPerPage = cells
        case .ragged(let hp, _, _):
            monolithic = false; regrowsToLongest = false; cellsPerPage = hp
        case .raggedRegrownToLongest(let hp, _, _):
            monolithic = false; regrowsToLongest = true; cellsPerPage = hp
        }
        capacityCellPages = Self.capacityCellPages(plan: plan, model: model)
        cellPageBytes = plan.capacityBytes / Double(max(1, capacityCellPages))
        (rowBlocks, poolBlocksPerGPU) = Self.reclaimGeometry(
            plan: plan, model: model, cellsPerPage: cellsPerPage, maxModelLenTokens: maxModelLenTokens)
    }

    /// Cell-pages a memory plan holds: every pool block holds one block of tokens for its
    /// group's layers of every KV head.
    static func capacityCellPages(plan: KVMemoryPlan, model: ModelSpec) -> Int {
        plan.blockCount * plan.groups[0].layerCount * model.kvHeads
    }

    /// What the reclaim's host work scans (``StepWorkload/reclaimRowBlocks``,
    /// ``StepWorkload/reclaimPoolBlocksPerGPU``): a request's block-table row, `max_model_len`
    /// over the block size, and one GPU's pool of `cellsPerPage`-head pages.
    public static func reclaimGeometry(plan: KVMemoryPlan, model: ModelSpec, cellsPerPage: Int,
                                       maxModelLenTokens: Int) -> (rowBlocks: Int, poolBlocksPerGPU: Int) {
        (ceilDiv(max(1, maxModelLenTokens), plan.blockSizeTokens),
         capacityCellPages(plan: plan, model: model) / max(1, cellsPerPage * plan.tensorParallel))
    }

    public var capacityBytes: Double { Double(capacityCellPages) * cellPageBytes }
    public var allocatedBytes: Double { Double(allocatedCellPages) * cellPageBytes }
    public var usedBytes: Double { Double(usedTokenCells) * cellPageBytes / Double(blockSize) }
    public var reservedBytes: Double { Double(reservedCellPages) * cellPageBytes }
    /// Cell-pages not allocated.
    public var freeCellPages: Int { capacityCellPages - allocatedCellPages }

    // MARK: Retention of one request

    /// The retention variant and middle-fraction bin a request compresses with.
    func retentionKey(_ r: RequestState) -> (variant: Int, bin: Int) {
        let variant: Int
        if table.variantCount > 1 {
            var z = r.streamKey &+ UInt64(r.recomputations) &* 0x9E37_79B9_7F4A_7C15 &+ settings.seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            variant = Int((z ^ (z >> 31)) % UInt64(table.variantCount))
        } else {
            variant = 0
        }
        let a = RetentionTable.middleFraction(promptTokens: r.compressUpTo, keptRatio: settings.keptRatio,
                                              sink: settings.sinkTokens, window: settings.windowTokens)
        return (variant, RetentionTable.bin(middleFraction: a))
    }

    /// Tokens a head keeps of `c` context tokens at ratio `b`: sink, `b` of the middle, window;
    /// at least the floor, at most the context.
    @inline(__always)
    func kept(_ b: Double, _ c: Int) -> Int {
        let middle = c - settings.sinkTokens - settings.windowTokens
        guard middle > 0 else { return c }
        let k = settings.sinkTokens + Int((b * Double(middle)).rounded(.up)) + settings.windowTokens
        return min(c, max(settings.floorTokens, k))
    }

    /// The compressed shape of a request's first `c` tokens: per-cell kept sum, longest group,
    /// base pages and residues. O(cells + groups); runs once per compression event.
    func compressedShape(_ r: RequestState, context c: Int)
        -> (keptSum: Int, maxKept: Int, basePages: Int, residues: [Int32])
    {
        let (v, b) = retentionKey(r)
        var keptSum = 0
        for cell in 0..<cells { keptSum += kept(table.cellRatio(variant: v, bin: b, cell: cell), c) }
        var residues = [Int32](repeating: 0, count: blockSize)
        var basePages = 0, maxKept = 0
        for g in 0..<table.groups.count {
            let k = kept(table.groupMaxRatio(variant: v, bin: b, group: g), c)
            let n = table.groupCells[g]
            residues[k % blockSize] += Int32(n)
            basePages += n * ceilDiv(k, blockSize)
            maxKept = max(maxKept, k)
        }
        return (keptSum, maxKept, basePages, residues)
    }

    // MARK: Footprints

    func slidingPages(_ t: Int) -> Int {
        guard slidingCells > 0, let w = slidingWindow else { return 0 }
        return slidingCells * min(ceilDiv(t, blockSize), ceilDiv(w, blockSize) + 1)
    }

    /// Cell-pages of the compressible cells holding `t` tokens of the stream.
    func compressiblePages(_ r: RequestState, tokens t: Int, regrown: Bool) -> Int {
        guard r.compressedTokens > 0 else { return cells * ceilDiv(t, blockSize) }
        let a = t - r.compressedTokens
        if monolithic || regrown { return cells * ceilDiv(r.maxKept + a, blockSize) }
        var p = r.basePages
        if a > 0 {
            for rho in 0..<blockSize where r.residues[rho] > 0 {
                p += Int(r.residues[rho]) * (ceilDiv(rho + a, blockSize) - (rho > 0 ? 1 : 0))
            }
        }
        return p
    }

    func usedCells(_ r: RequestState, tokens t: Int) -> Int {
        let compressible = r.compressedTokens > 0 ? r.keptSum + cells * (t - r.compressedTokens) : cells * t
        let sliding = slidingWindow.map { slidingCells * min(t, $0) } ?? 0
        return compressible + sliding
    }

    /// Token slots attention reads for the first `t` tokens of a request, summed over cells: the
    /// used slots, except where one length covers many cells. A monolithic page table (and a ragged
    /// one regrown to the longest group) gives the kernel one length per request, so every cell is
    /// read to the longest cell's kept length, trapped slots included.
    @inline(__always)
    func readCells(_ r: RequestState, tokens t: Int) -> Int {
        guard r.compressedTokens > 0, monolithic || (regrowsToLongest && r.regrown) else {
            return usedCells(r, tokens: t)
        }
        let sliding = slidingWindow.map { slidingCells * min(t, $0) } ?? 0
        return cells * (r.maxKept + t - r.compressedTokens) + sliding
    }

    /// Whether the next `n` tokens of a request are prefill of its compressible context.
    @inline(__always)
    func compressesChunk(_ r: RequestState) -> Bool { r.computedTokens < r.compressUpTo }

    // MARK: KVCacheManager

    public func prefixHit(for r: RequestState) -> PrefixHit { .none(groupCount: 1) }

    public func admits(_ r: RequestState, hit: PrefixHit) -> Bool {
        guard spec.admission == .uncompressedPrompt, compressesChunk(r) else { return true }
        // Compress-and-reclaim cannot know the compressed size yet: it admits on the uncompressed prompt.
        return freeCellPages >= cells * ceilDiv(r.compressUpTo - r.computedTokens, blockSize)
    }

    /// Always true: compressed policies already admit on the whole prompt, either reserving its
    /// compressed footprint or requiring its uncompressed size free (``admits(_:hit:)``).
    public func fitsWholeSequence(_ r: RequestState, hit: PrefixHit) -> Bool { true }

    public func canEverFit(promptTokens: Int, outputTokens: Int, chunkTokens: Int) -> Bool {
        // The uncompressed prompt (what dynamic admission needs, and an upper bound for every layout).
        cells * ceilDiv(promptTokens + outputTokens, blockSize) + slidingPages(promptTokens + outputTokens)
            <= capacityCellPages
    }

    public mutating func allocate(_ r: inout RequestState, newTokens n: Int, hit: PrefixHit?) -> Bool {
        let t = r.computedTokens + n
        var need: Int
        var reserve = 0
        var regrow = r.regrown
        if compressesChunk(r) {
            if spec.reserveAtAdmission {
                // Budgets are known: reserve the compressed prompt's exact pages up front.
                let final = compressedShape(r, context: r.compressUpTo)
                let finalPages = monolithic ? cells * ceilDiv(final.maxKept, blockSize) : final.basePages
                need = finalPages + slidingPages(r.compressUpTo)
                reserve = max(0, need - r.cellPages)
            } else {
                // The chunk is written uncompressed next to the part already compressed.
                need = compressiblePages(r, tokens: r.computedTokens, regrown: regrow) + cells * ceilDiv(n, blockSize)
                    + slidingPages(t)
            }
        } else {
            if regrowsToLongest && r.compressedTokens > 0 { regrow = true }
            need = compressiblePages(r, tokens: t, regrown: regrow) + slidingPages(t)
        }
        let delta = max(0, need - r.cellPages)
        guard delta <= freeCellPages else { return false }
        allocatedCellPages += delta
        r.cellPages += delta
        reservedCellPages += reserve
        r.reservedCellPages += reserve
        r.regrown = regrow
        blockTableEntries += ceilDiv(delta, cellsPerPage)
        return true
    }

    public func describe(_ r: RequestState, newTokens n: Int, into work: inout StepWorkload) {
        let start = r.computedTokens, end = start + n
        if end == r.totalTokens { work.sampledSequences += 1 }
        let historyPerCell = Double(readCells(r, tokens: start) - (slidingWindow.map { slidingCells * min(start, $0) } ?? 0))
            / Double(cells)
        if n == 1 && end == r.totalTokens && r.outputTokens > 0 {
            work.decodeSequences += 1
            work.fullDecodeKVTokens += historyPerCell + 1
            if let w = slidingWindow { work.slidingDecodeKVTokens += Double(min(end, w)) }
            let c = r.compressedTokens
            work.decodeShapes.append(DecodeShape(compressedContextTokens: Int32(c), appendedTokens: Int32(end - c)))
        } else {
            work.prefillTokens += n
            work.prefillSequences += 1
            let dn = Double(n)
            work.fullPrefillAttentionPairs += dn * historyPerCell + dn * (dn + 1) / 2
            if let w = slidingWindow {
                work.slidingPrefillAttentionPairs += AttentionWork.slidingPairs(start: start, end: end, window: w)
            }
            if compressesChunk(r) {
                work.compressionScoredTokens += n
                if spec.reclaim {
                    // The chunk keeps about the middle fraction of its tokens; the rest is freed.
                    let keptFraction = Double(retentionKey(r).bin) / Double(RetentionTable.binCount - 1)
                    work.reclaimCopyBytes += dn * Double(cells) * keptFraction * cellPageBytes / Double(blockSize)
                    work.reclaimedPages += Int(dn * Double(cells) * (1 - keptFraction)) / (blockSize * cellsPerPage)
                    work.reclaimBoundaries += 1
                    work.reclaimSeenTokensPerCluster += historyPerCell + dn
                    work.reclaimRowBlocks = rowBlocks
                    work.reclaimPoolBlocksPerGPU = poolBlocksPerGPU
                }
            }
        }
    }

    public mutating func didCompute(_ r: inout RequestState, from old: Int) {
        let t = r.computedTokens
        if old < r.compressUpTo {
            let c = min(t, r.compressUpTo)
            let shape = compressedShape(r, context: c)
            let keptBefore = r.compressedTokens > 0 ? r.keptSum : 0
            r.compressedTokens = c
            r.keptSum = shape.keptSum
            r.maxKept = shape.maxKept
            r.basePages = shape.basePages
            r.residues = shape.residues
            if spec.reclaim {
                let need = compressiblePages(r, tokens: t, regrown: false) + slidingPages(t)
                if need < r.cellPages {
                    let freed = r.cellPages - need
                    allocatedCellPages -= freed
                    r.cellPages = need
                    reclaimedBytes += Double(freed) * cellPageBytes
                    copiedBytes += Double(max(0, shape.keptSum - keptBefore)) * cellPageBytes / Double(blockSize)
                    blockTableEntries += ceilDiv(need, cellsPerPage)
                }
            }
        }
        // Reserved pages become used as the prompt completes.
        if r.reservedCellPages > 0 && t >= r.compressUpTo {
            reservedCellPages -= r.reservedCellPages
            r.reservedCellPages = 0
        }
        let used = usedCells(r, tokens: t)
        usedTokenCells += used - r.usedTokenCells
        r.usedTokenCells = used
    }

    public mutating func free(_ r: inout RequestState) {
        allocatedCellPages -= r.cellPages
        usedTokenCells -= r.usedTokenCells
        reservedCellPages -= r.reservedCellPages
        r.cellPages = 0
        r.usedTokenCells = 0
        r.reservedCellPages = 0
        r.compressedTokens = 0
        r.keptSum = 0
        r.maxKept = 0
        r.basePages = 0
        r.regrown = false
        r.computedTokens = 0
    }
}
