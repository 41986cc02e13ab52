/// The headline results of simulating one policy on one workload, as written to `summary.csv`
/// and the `--json` report.
public struct PolicySummary: Sendable, Hashable {
    public var policy: String
    public var completedRequests: Int
    public var completedSessions: Int
    /// Requests refused because they could never fit in the KV cache (their sessions end there).
    public var rejectedRequests: Int
    /// Output tokens generated over the run.
    public var outputTokens: Int
    /// Simulated time from the start to the last completion.
    public var simulatedDurationSeconds: Double
    public var throughputRequestsPerSecond: Double
    public var throughputOutputTokensPerSecond: Double
    public var ttft: LatencySummary
    public var tpot: LatencySummary
    public var e2e: LatencySummary
    public var preemptions: Int
    /// KV cache capacity of the replica (all its GPUs).
    public var kvCapacityBytes: Double
    /// Most KV bytes held in allocated blocks at once.
    public var kvPeakAllocatedBytes: Double
    /// Most KV bytes holding real tokens at once.
    public var kvPeakUsedBytes: Double
    /// Most KV bytes allocated but holding no token at once (pages sized by their longest head,
    /// partly filled last pages), reservations excluded.
    public var kvPeakTrappedBytes: Double = 0
    /// Time-averaged KV bytes allocated, used and trapped over the run's busy time.
    public var kvMeanAllocatedBytes: Double = 0
    public var kvMeanUsedBytes: Double = 0
    public var kvMeanTrappedBytes: Double = 0
    /// Time-averaged trapped bytes over time-averaged allocated bytes.
    public var fragmentationFraction: Double = 0
    /// KV bytes freed and bytes copied by compress-and-reclaim.
    public var reclaimedBytes: Double = 0
    public var reclaimCopiedBytes: Double = 0
    /// Block-table entries the host wrote per step, on average.
    public var blockTableEntriesPerStep: Double = 0
    /// Most conversations holding KV at once (running or resident between turns).
    public var maxConcurrentSessions: Int = 0
    /// Steps in which the head of the waiting queue could not be admitted for lack of memory.
    public var admissionStalls: Int = 0
    /// Resident conversations evicted between turns to make room (their next turn recomputes).
    public var residentEvictions: Int = 0
    /// Prompt tokens served from the prefix cache over the run.
    public var cachedPromptTokens: Int
    /// Prompt tokens over the run.
    public var promptTokens: Int
    /// Engine steps simulated.
    public var simIterations: Int
    /// Wall-clock seconds the simulation took (the only non-deterministic field; kept out of CSV).
    public var simWallSeconds: Double
    /// The cost model's label.
    public var costModel: String

    public init(policy: String) {
        self.policy = policy
        completedRequests = 0
        completedSessions = 0
        rejectedRequests = 0
        outputTokens = 0
        simulatedDurationSeconds = 0
        throughputRequestsPerSecond = 0
        throughputOutputTokensPerSecond = 0
        ttft = LatencySummary()
        tpot = LatencySummary()
        e2e = LatencySummary()
        preemptions = 0
        kvCapacityBytes = 0
        kvPeakAllocatedBytes = 0
        kvPeakUsedBytes = 0
        cachedPromptTokens = 0
        promptTokens = 0
        simIterations = 0
        simWallSeconds = 0
        costModel = ""
    }
}
