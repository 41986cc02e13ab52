/// Turns the work of one engine step into time.
///
/// Implementations must be pure functions of their configuration and the workload: the same
/// workload always costs the same, which keeps simulations deterministic.
public protocol CostModel: Sendable {
    /// A short label for reports (`roofline-placeholder`, `calibrated:h200@2026-11-29`).
    var label: String { get }
    /// The modelled time of one step.
    func stepCost(_ workload: StepWorkload) -> StepCost
}
