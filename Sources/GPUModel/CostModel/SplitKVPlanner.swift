/// How split-KV decode kernels cut each (request, KV head) into thread blocks: the three runtime
/// policies of ``DecodePartition`` as functions, shared by the cost model, its exact reference and
/// the calibration fitter.
public enum SplitKVPlanner {
    /// FlashAttention's `num_splits_heuristic` (flash_api.cpp, FlashAttention 2): the split count
    /// of FlashDecoding-like kernels, the same for every (request, head).
    ///
    /// If the (request x head) blocks almost fill the SMs, 1; otherwise the smallest eligible
    /// split count whose wave efficiency `n / ceil(n)` (n = blocks x splits / SMs) is at least
    /// 85% of the best. A count is eligible when it changes `ceil(kvBlocks / splits)`.
    ///
    /// - Parameters:
    ///   - batchHeads: requests x KV heads (x query blocks, 1 for decode).
    ///   - smSlots: the SM count the heuristic is given (FlashAttention passes 2 x SMs).
    ///   - kvBlocks: `ceil(longest KV length / blockTokens)`.
    ///   - maxSplits: FlashAttention passes 128.
    public static func flashDecodingSplits(batchHeads: Int, smSlots: Int, kvBlocks: Int, maxSplits: Int = 128)
        -> Int
    {
        if Double(batchHeads) >= 0.8 * Double(smSlots) { return 1 }
        let limit = min(maxSplits, smSlots, kvBlocks)
        guard limit >= 1 else { return 1 }
        func eligible(_ s: Int) -> Bool { s == 1 || ceilDiv(kvBlocks, s) != ceilDiv(kvBlocks, s - 1) }
        func efficiency(_ s: Int) -> Double {
            let waves = Double(batchHeads * s) / Double(smSlots)
            return waves / waves.rounded(.up)
        }
        var best = 0.0
        for s in 1...limit where eligible(s) { best = max(best, efficiency(s)) }
        for s in 1...limit where eligible(s) && efficiency(s) >= 0.85 * best { return s }
        return 1
    }

    /// FlashAttention's KV block size for the split heuristic and split boundaries: 256 tokens
    /// for head dim <= 64, 128 for <= 128, else 64 (flash_api.cpp, `block_n`).
    public static func flashDecodingBlockTokens(headDim: Int) -> Int {
        headDim <= 64 ? 256 : (headDim <= 128 ? 128 : 64)
    }

    /// The ahead-of-time split table: `ctasPerRequest` CTAs shared among heads in proportion to
    /// `weights` (largest remainder, at least one each), then capped so that no split is shorter
    /// than `minChunkTokens` of the head's reference length. Computed once per layout.
    ///
    /// - Parameters:
    ///   - weights: per head, its reference KV length in tokens (the static budget's kept length).
    ///   - ctasPerRequest: CTAs one request gets (at least one per head).
    /// - Returns: splits per head.
    public static func aheadOfTimeSplits(weights: [Double], ctasPerRequest: Int, minChunkTokens: Int = 64) -> [Int] {
        let heads = weights.count
        guard heads > 0 else { return [] }
        var splits = [Int](repeating: 1, count: heads)
        let extra = max(0, ctasPerRequest - heads)
        let sum = weights.reduce(0, +)
        var remainders = [Double](repeating: 0, count: heads)
        var given = 0
        for h in 0..<heads {
            let share = sum > 0 ? Double(extra) * weights[h] / sum : 0
            let whole = Int(share.rounded(.down))
            splits[h] += whole
            given += whole
            remainders[h] = share - Double(whole)
        }
        // Largest remainders first; ties to the lower head index (a stable order).
        let order = (0..<heads).sorted { (remainders[$0], -$0) > (remainders[$1], -$1) }
        var i = 0
        while given < extra && i < heads {
            splits[order[i]] += 1
            given += 1
            i += 1
        }
        for h in 0..<heads {
            let cap = max(1, ceilDiv(max(Int(weights[h].rounded(.up)), 1), minChunkTokens))
            splits[h] = max(1, min(splits[h], cap))
        }
        return splits
    }

    /// The FlashInfer-like planner's chunk: the smallest number of tokens per CTA (a multiple of
    /// `granularityTokens`, at least `minChunkTokens`) for which the batch needs at most `maxCTAs`
    /// CTAs, found by binary search as FlashInfer's decode plan does
    /// (`PartitionPagedKVCacheBinarySearchMinNumPagePerBatch`); the longest length when even one
    /// CTA per (request, head) exceeds `maxCTAs`.
    ///
    /// - Parameters:
    ///   - longestTokens: the longest (request, head) KV length.
    ///   - ctaCount: the CTAs a chunk size needs (`sum max(1, ceil(L / chunk))`).
    public static func plannerChunkTokens(
        longestTokens: Int, maxCTAs: Int, minChunkTokens: Int = 64,
        granularityTokens: Int = 16, ctaCount: (Int) -> Int
    ) -> Int {
        let g = max(granularityTokens, 1)
        var lo = max(1, ceilDiv(minChunkTokens, g))
        var hi = max(lo, ceilDiv(max(longestTokens, 1), g))
        if ctaCount(hi * g) > maxCTAs { return hi * g }
        while lo < hi {
            let mid = (lo + hi) / 2
            if ctaCount(mid * g) <= maxCTAs { hi = mid } else { lo = mid + 1 }
        }
        return lo * g
    }

    @inline(__always)
    static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
}
