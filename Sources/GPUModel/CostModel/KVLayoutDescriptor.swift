/// What the cost model needs to know about a KV cache layout to cost decode attention: for
/// every (full-attention layer, KV head) cell, the retention ratio at which it is held and the
/// head group (page table) it belongs to.
///
/// A request's cell `c` holds `keptTokens(budget: cellBudgets[c], contextTokens: C) + appended`
/// tokens, where `C` is the request's compressed context and `appended` the tokens added since
/// (decoded or later turns, appended uncompressed). Uncompressed layouts have no budgets.
public struct KVLayoutDescriptor: Sendable, Hashable {
    /// Layout name for reports (`monolithic`, `ragged-sorted-crosslayer-4`, ...).
    public var name: String
    /// Full-attention layers (sliding-window layers are never compressed).
    public var fullLayerCount: Int
    /// KV heads per layer.
    public var kvHeadsPerLayer: Int
    /// Per cell (row-major: `layer * kvHeadsPerLayer + head`), the ratio of the compressible middle
    /// the cell is read at; `nil` for uncompressed layouts. For ragged layouts this is the group's
    /// largest budget (every head of a group shares the group's length).
    public var cellBudgets: [Double]?
    /// Per cell, its head group; `nil` for monolithic layouts (one group per request).
    public var cellGroups: [Int]?
    /// Heads per page group (H_p); the number of cells for monolithic layouts.
    public var headsPerGroup: Int
    /// Tokens always kept at the start (attention sink).
    public var sinkTokens: Int
    /// Most recent tokens always kept.
    public var windowTokens: Int
    /// Fewest tokens a (layer, group) keeps.
    public var floorTokens: Int

    public init(name: String, fullLayerCount: Int, kvHeadsPerLayer: Int, cellBudgets: [Double]?, cellGroups: [Int]?,
                headsPerGroup: Int, sinkTokens: Int = 32, windowTokens: Int = 4096, floorTokens: Int = 512) {
        self.name = name
        self.fullLayerCount = fullLayerCount
        self.kvHeadsPerLayer = kvHeadsPerLayer
        self.cellBudgets = cellBudgets
        self.cellGroups = cellGroups
        self.headsPerGroup = headsPerGroup
        self.sinkTokens = sinkTokens
        self.windowTokens = windowTokens
        self.floorTokens = floorTokens
    }

    /// An uncompressed layout of a model's full-attention layers.
    public static func uncompressed(_ model: ModelSpec) -> KVLayoutDescriptor {
        KVLayoutDescriptor(name: "full", fullLayerCount: model.fullAttentionLayerCount, kvHeadsPerLayer: model.kvHeads,
                           cellBudgets: nil, cellGroups: nil, headsPerGroup: model.fullAttentionLayerCount * model.kvHeads)
    }

    /// Tokens a head with retention `budget` keeps of a `contextTokens`-token context (DOMAIN.md
    /// section 4): the sink, the budget's share of the compressible middle, and the window,
    /// at least the floor and at most the context.
    @inline(__always)
    public func keptTokens(budget: Double, contextTokens c: Int) -> Int {
        let middle = c - sinkTokens - windowTokens
        guard middle > 0 else { return c }
        let kept = sinkTokens + Int((budget * Double(middle)).rounded(.up)) + windowTokens
        return min(c, max(floorTokens, kept))
    }
}
