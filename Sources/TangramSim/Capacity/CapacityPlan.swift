/// The answer of the capacity planner: per policy, how many sessions per second one replica
/// sustains within the objectives, the replicas and GPUs the target rate needs, and the cost.
public struct CapacityPlan: Sendable, Hashable {
    /// Model, GPU and tensor-parallel degree of a replica.
    public var model: String
    /// GPU name.
    public var gpu: String
    /// GPUs per replica.
    public var tensorParallel: Int
    /// The workload's description.
    public var workload: String
    /// The objectives every seed must meet.
    public var objectives: ServiceLevelObjectives
    /// How the search ran.
    public var settings: PlanSettings
    /// The session rate the cluster must serve (`nil`: none given and the workload has none).
    public var targetRatePerSecond: Double?
    /// Where the target came from: `option` or `workload` (its own mean rate).
    public var targetSource: String
    /// Price of one GPU for one hour, dollars (`nil`: no costs).
    public var gpuHourUSD: Double?
    /// One plan per policy, in the order asked.
    public var policies: [PolicyPlan]

    /// Creates a plan.
    public init(model: String, gpu: String, tensorParallel: Int, workload: String, objectives: ServiceLevelObjectives,
                settings: PlanSettings, targetRatePerSecond: Double?, targetSource: String, gpuHourUSD: Double?,
                policies: [PolicyPlan]) {
        self.model = model
        self.gpu = gpu
        self.tensorParallel = tensorParallel
        self.workload = workload
        self.objectives = objectives
        self.settings = settings
        self.targetRatePerSecond = targetRatePerSecond
        self.targetSource = targetSource
        self.gpuHourUSD = gpuHourUSD
        self.policies = policies
    }

    /// The confidence statement the plan rests on.
    public var confidence: String {
        let n = settings.seeds.count
        if n == 1 { return "a rate passes only if its one seed meets every objective (no spread: use more seeds)" }
        return "a rate passes only if all \(n) seeds meet every objective; "
            + "the planned rate is the lowest per-seed maximum, re-checked with every seed"
    }
}
