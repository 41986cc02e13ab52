/// Static per-head KV budgets of one model: how much of the compressible middle of a prompt each
/// (layer, KV head) keeps, as calibrated at the profile's own base ratio. Scaled to any overall
/// kept ratio with ``keptTokens(promptTokens:keptRatio:sinkTokens:windowTokens:)``.
public struct HeadBudgetProfile: Sendable, Hashable {
    /// Short name used in measurement rows, e.g. `snapkv-llama-3.1-8b`.
    public var name: String
    /// Where the budgets come from.
    public var source: String
    /// `budgets[layer][kvHead]`: fraction in [0, 1] of the compressible middle the head keeps.
    public var budgets: [[Double]]

    /// Creates a profile; every layer must list the same number of heads.
    public init(name: String, source: String, budgets: [[Double]]) {
        precondition(!budgets.isEmpty && budgets.allSatisfy { $0.count == budgets[0].count && !$0.isEmpty },
                     "HeadBudgetProfile needs at least one layer and the same head count in every layer")
        self.name = name
        self.source = source
        self.budgets = budgets
    }

    /// Layers in the profile.
    public var layerCount: Int { budgets.count }
    /// KV heads per layer.
    public var kvHeadsPerLayer: Int { budgets[0].count }

    /// A simple heavy-tailed profile of one layer with 8 KV heads, `b_h = 0.02 + 0.9 ((h + 0.5) / 8)^4`:
    /// most heads keep little, the top heads keep much (the shape DOMAIN.md section 4 describes for
    /// the measured profiles). A fixed formula, not a measurement.
    public static let syntheticHeavyTail = HeadBudgetProfile(
        name: "synthetic-heavy-tail", source: "b_h = 0.02 + 0.9 ((h + 0.5) / 8)^4, h = 0..<8",
        budgets: [(0..<8).map { h in 0.02 + 0.9 * pow4((Double(h) + 0.5) / 8) }])

    private static func pow4(_ x: Double) -> Double { x * x * x * x }
}
