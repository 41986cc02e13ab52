import GPUModel
import Workloads

/// The mutable state of one simulation run over a replica with KV cache `KV`.
///
/// Sessions and their requests live in a ``SessionBook`` (the replica knows a session by its
/// slot), the replica's accounting in a ``ReplicaLedger``: the same parts ``ClusterRun`` uses,
/// so that a one-replica cluster reproduces this run exactly.
struct Run<KV: KVCacheManager> {
    let setup: SimulationSetup
    let plan: KVMemoryPlan
    var replica: Replica<KV>
    private var queue = EventQueue<SimulationEvent>()
    private var book = SessionBook()
    private var ledger = ReplicaLedger()
    private var metrics = MetricsRecorder()

    init(setup: SimulationSetup, plan: KVMemoryPlan, replica: Replica<KV>) {
        self.setup = setup
        self.plan = plan
        self.replica = replica
    }

    mutating func execute<S: SessionSource>(
        _ source: inout S, sampleInterval: Double, onStep: (StepSample) throws -> Void,
        onRequest: (RequestRecord) throws -> Void
    ) throws -> PolicySummary {
        let interval = max(1, SimTime.nanoseconds(fromSeconds: sampleInterval))
        var nextSample: Int64 = 0
        // Open-loop sources are pulled one session ahead; closed-loop ones for every session they
        // can give whenever sessions end.
        try book.pull(&source, into: &queue, notBefore: 0, all: source.isClosedLoop)

        while let (now, event) = queue.popNext() {
            switch event {
            case .sessionArrival(let token):
                guard let (slot, hasTurns) = book.arrive(token: token) else { break }
                if hasTurns { startTurn(slot, at: now) } else { book.end(slot, at: now) }
                if !source.isClosedLoop { try book.pull(&source, into: &queue, notBefore: now, all: false) }
            case .turnArrival(let slot):
                startTurn(slot, at: now)
            case .stepComplete:
                ledger.busy = false
                for f in replica.completeStep(now: now) {
                    let record = SessionBook.record(f, finishNanoseconds: now)
                    metrics.record(record, finishNanoseconds: now)
                    try onRequest(record)
                    book.turnFinished(f.sessionSlot, f, at: now, queue: &queue)
                }
            }
            // Closed-loop sources schedule a user's next session from the previous one's end.
            try book.reportEnded(to: &source, queue: &queue, now: now)
            if !ledger.busy, let work = replica.scheduleStep() {
                let cost = setup.costModel.stepCost(work)
                let duration = ReplicaLedger.durationNanoseconds(cost)
                if now >= nextSample {
                    try onStep(sample(at: now, work: work, cost: cost))
                    nextSample = now + interval
                }
                ledger.charge(replica, durationNanoseconds: duration)
                queue.schedule(.stepComplete(replica: 0), at: now + duration)
            }
        }
        return summary()
    }

    private mutating func startTurn(_ slot: Int, at time: Int64) {
        _ = book.startTurn(slot, key: slot, at: time, on: &replica, setup: setup, groupCount: plan.groups.count)
    }

    private func sample(at now: Int64, work: StepWorkload, cost: StepCost) -> StepSample {
        StepSample(
            timeSeconds: SimTime.seconds(fromNanoseconds: now), stepIndex: ledger.iterations,
            runningRequests: replica.runningCount, waitingRequests: replica.waitingCount,
            prefillTokens: work.prefillTokens, prefillSequences: work.prefillSequences,
            decodeSequences: work.decodeSequences, cost: cost, kvCapacityBytes: replica.kv.capacityBytes,
            kvAllocatedBytes: replica.kv.allocatedBytes, kvUsedBytes: replica.kv.usedBytes,
            kvTrappedBytes: replica.trappedBytes, kvReservedBytes: replica.kv.reservedBytes,
            preemptionsSoFar: replica.preemptions)
    }

    private func summary() -> PolicySummary {
        var summary = metrics.summary(policy: setup.policy.name)
        summary.completedSessions = book.completedSessions
        summary.rejectedRequests = book.rejectedRequests
        ledger.fill(&summary, replica: replica)
        summary.costModel = setup.costModel.label
        return summary
    }
}
