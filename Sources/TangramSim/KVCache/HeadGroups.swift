/// Cuts a model's compressible (layer, KV head) cells into page groups.
public enum HeadGroups {
    /// Groups for a layout.
    ///
    /// - Parameters:
    ///   - meanRatios: per cell (layer-major), the profile's mean retention, for budget sorting.
    ///   - layers, kvHeads: the cell grid.
    /// - Returns: cell indices per group; one group of every cell for monolithic layouts. Per-layer
    ///   groups never cross a layer, so with `headsPerGroup >= kvHeads` each layer is one group.
    public static func make(layout: PolicySpec.Layout, meanRatios: [Double], layers: Int, kvHeads: Int) -> [[Int]] {
        let cells = layers * kvHeads
        switch layout {
        case .monolithic:
            return [Array(0..<cells)]
        case .ragged(let hp, let grouping, let scope), .raggedRegrownToLongest(let hp, let grouping, let scope):
            precondition(hp >= 1, "heads per group must be positive")
            func order(_ ids: [Int]) -> [Int] {
                guard grouping == .sorted else { return ids }
                return ids.sorted { (meanRatios[$0], -$0) > (meanRatios[$1], -$1) }
            }
            func cut(_ ids: [Int]) -> [[Int]] {
                stride(from: 0, to: ids.count, by: hp).map { Array(ids[$0..<min($0 + hp, ids.count)]) }
            }
            switch scope {
            case .crosslayer:
                return cut(order(Array(0..<cells)))
            case .perlayer:
                return (0..<layers).flatMap { l in cut(order(Array(l * kvHeads..<(l + 1) * kvHeads))) }
            }
        }
    }
}
