import GPUModel

/// A snapshot of the replica taken at an engine step: the batch, the step's modelled time by
/// kernel class, and the KV memory counters. Simulations emit one every sampling interval of
/// simulated time (not every step), so the timeline's size is bounded by duration / interval.
public struct StepSample: Sendable, Hashable {
    /// Simulated time at the start of the step.
    public var timeSeconds: Double
    /// Index of the step in the run (0-based).
    public var stepIndex: Int
    /// Requests running (holding KV and scheduled or resident) and waiting.
    public var runningRequests: Int
    public var waitingRequests: Int
    /// The step's work.
    public var prefillTokens: Int
    public var prefillSequences: Int
    public var decodeSequences: Int
    /// The step's modelled time and its breakdown.
    public var cost: StepCost
    /// KV memory: capacity, bytes in allocated pages, bytes holding tokens, bytes allocated but
    /// holding nothing because a page is sized by its longest head (trapped), bytes reserved
    /// ahead of use.
    public var kvCapacityBytes: Double
    public var kvAllocatedBytes: Double
    public var kvUsedBytes: Double
    public var kvTrappedBytes: Double
    public var kvReservedBytes: Double
    /// Preemptions so far in the run.
    public var preemptionsSoFar: Int

    public init(timeSeconds: Double, stepIndex: Int, runningRequests: Int, waitingRequests: Int, prefillTokens: Int,
                prefillSequences: Int, decodeSequences: Int, cost: StepCost, kvCapacityBytes: Double,
                kvAllocatedBytes: Double, kvUsedBytes: Double, kvTrappedBytes: Double, kvReservedBytes: Double,
                preemptionsSoFar: Int) {
        self.timeSeconds = timeSeconds
        self.stepIndex = stepIndex
        self.runningRequests = runningRequests
        self.waitingRequests = waitingRequests
        self.prefillTokens = prefillTokens
        self.prefillSequences = prefillSequences
        self.decodeSequences = decodeSequences
        self.cost = cost
        self.kvCapacityBytes = kvCapacityBytes
        self.kvAllocatedBytes = kvAllocatedBytes
        self.kvUsedBytes = kvUsedBytes
        self.kvTrappedBytes = kvTrappedBytes
        self.kvReservedBytes = kvReservedBytes
        self.preemptionsSoFar = preemptionsSoFar
    }
}
