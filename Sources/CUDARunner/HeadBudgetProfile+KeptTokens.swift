extension HeadBudgetProfile {
    /// The minimum tokens a (layer, group) keeps (DOMAIN.md section 4: a floor of 512 per group).
    public static let floorTokens = 512

    /// The fraction `a` of the compressible middle kept on average when a prompt of `promptTokens`
    /// tokens keeps `keptRatio` of its tokens and the sink and window count against the budget:
    /// `a = (r (P - S) - W) / (P - S - W)`, clamped to [0, 1] (DOMAIN.md section 4).
    public static func middleFraction(promptTokens: Int, keptRatio: Double, sinkTokens: Int, windowTokens: Int) -> Double {
        let middle = promptTokens - sinkTokens - windowTokens
        guard middle > 0 else { return 1 }
        let a = (keptRatio * Double(promptTokens - sinkTokens) - Double(windowTokens)) / Double(middle)
        return min(1, max(0, a))
    }

    /// Budgets scaled by one factor `f` so that the mean over all heads of `min(1, f b_h)` is
    /// `middleFraction` (bisection on `f`; the profile's ranking of heads is kept).
    public func scaledBudgets(middleFraction target: Double) -> [[Double]] {
        let flat = budgets.flatMap { $0 }
        func mean(_ f: Double) -> Double { flat.reduce(0) { $0 + min(1, f * $1) } / Double(flat.count) }
        guard target > 0 else { return budgets.map { $0.map { _ in 0 } } }
        let smallest = flat.filter { $0 > 0 }.min() ?? 1
        var lo = 0.0, hi = 1 / smallest
        if mean(hi) <= target { return budgets.map { $0.map { $0 > 0 ? 1 : 0 } } }
        for _ in 0..<100 {
            let mid = 0.5 * (lo + hi)
            if mean(mid) < target { lo = mid } else { hi = mid }
        }
        let f = 0.5 * (lo + hi)
        return budgets.map { $0.map { min(1, f * $0) } }
    }

    /// Kept tokens of every (layer, KV head) for a prompt of `promptTokens` tokens at overall kept
    /// ratio `keptRatio`: `S + b_h (P - S - W) + W` with the scaled budgets (DOMAIN.md section 4),
    /// at least ``floorTokens`` and at most the prompt. A prompt no longer than the sink plus the
    /// window keeps everything.
    public func keptTokens(promptTokens: Int, keptRatio: Double, sinkTokens: Int = 32, windowTokens: Int = 4096) -> [[Int]] {
        let middle = promptTokens - sinkTokens - windowTokens
        guard middle > 0, keptRatio < 1 else { return budgets.map { $0.map { _ in promptTokens } } }
        let a = Self.middleFraction(promptTokens: promptTokens, keptRatio: keptRatio, sinkTokens: sinkTokens,
                                    windowTokens: windowTokens)
        return scaledBudgets(middleFraction: a).map { layer in
            layer.map { b in
                let kept = sinkTokens + Int((b * Double(middle)).rounded()) + windowTokens
                return min(promptTokens, max(kept, min(promptTokens, Self.floorTokens)))
            }
        }
    }

    /// Ragged paging of one layer: heads sorted by kept tokens (largest first) and cut into groups of
    /// `headsPerPage`; each group's length is the largest in it (DOMAIN.md section 2).
    /// - Precondition: `headsPerPage` divides the head count.
    public static func groupLengths(_ kept: [Int], headsPerPage: Int) -> [Int] {
        precondition(headsPerPage > 0 && kept.count % headsPerPage == 0, "headsPerPage must divide the head count")
        let sorted = kept.sorted(by: >)
        return stride(from: 0, to: sorted.count, by: headsPerPage).map { sorted[$0] }
    }
}
