/// How ``KernelCostModel`` times split decode attention on its hot path.
public enum DecodeImbalanceMode: String, Sendable, Hashable, CaseIterable {
    /// Every step cuts the real batch into CTAs and places them on the SMs: faithful, but
    /// O(distinct layers x batch x heads x splits) per step.
    case everyStep = "every-step"
    /// The decode step's imbalance factor (split kernel over its balanced ideal) is computed on a
    /// canonical batch with the same coarse signature — batch size, mean and spread of the
    /// requests' lengths, compressed share — and cached; each step then costs O(batch).
    /// The default (docs/cost-model.md gives its error against ``everyStep``).
    case cached
}
