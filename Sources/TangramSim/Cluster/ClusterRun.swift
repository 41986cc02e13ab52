import GPUModel
import Workloads

/// The mutable state of one cluster run: `N` replicas with KV cache `KV` on one event queue,
/// and a router that sends each arriving turn to one of them.
///
/// Modelled on ``Run`` (one replica): the same session bookkeeping, the same request and step
/// handling, the same summary fields, so that a one-replica cluster reproduces ``Run`` exactly.
/// What the cluster adds:
/// - every turn is routed (``Router``); a session remembers the replica of its previous turn;
/// - a session's key at a replica (the `sessionSlot` the replica sees) is fresh whenever the
///   session lands on a replica other than its previous one, so a history left resident on the
///   old replica can never be resumed out of date: it waits there, idle, until evicted;
/// - an optional ``ObservationWindow`` measures the requests that arrive inside it and stops
///   starting turns at its end.
struct ClusterRun<KV: KVCacheManager> {
    /// Per-replica accounting that ``Run`` keeps for its single replica.
    private struct ReplicaState {
        var ledger = ReplicaLedger()
        var metrics = MetricsRecorder()
        var completedSessions = 0
        var rejectedRequests = 0
    }

    let setup: SimulationSetup
    let plan: KVMemoryPlan
    var replicas: [Replica<KV>]
    var router: Router
    let window: ObservationWindow?
    private var state: [ReplicaState]
    private var queue = EventQueue<SimulationEvent>()
    private var book: SessionBook
    private var metrics = MetricsRecorder()
    private var windowMetrics = MetricsRecorder()
    private var windowRejected = 0
    private var movedTurns = 0
    private var loads: [Int]
    private let measureFrom: Int64
    private let stopArrivals: Int64

    init(setup: SimulationSetup, plan: KVMemoryPlan, replicas: [Replica<KV>], routing: RoutingPolicy,
         window: ObservationWindow?) {
        precondition(!replicas.isEmpty, "a cluster needs at least one replica")
        self.setup = setup
        self.plan = plan
        self.replicas = replicas
        self.router = Router(policy: routing, replicaCount: replicas.count)
        self.window = window
        state = Array(repeating: ReplicaState(), count: replicas.count)
        loads = Array(repeating: 0, count: replicas.count)
        measureFrom = window.map { SimTime.nanoseconds(fromSeconds: $0.measureFromSeconds) } ?? 0
        stopArrivals = window.map { SimTime.nanoseconds(fromSeconds: $0.stopArrivalsAtSeconds) } ?? .max
        book = SessionBook(stopArrivals: stopArrivals)
    }

    mutating func execute<S: SessionSource>(
        _ source: inout S, onRequest: (RequestRecord, Int) throws -> Void
    ) throws -> ClusterSummary {
        // Open-loop sources are pulled one session ahead; closed-loop ones for every session they
        // can give whenever sessions end (as in ``Run``).
        try book.pull(&source, into: &queue, notBefore: 0, all: source.isClosedLoop)
        // Replicas whose state changed since they last tried to form a batch.
        var dirty = Array(repeating: false, count: replicas.count)

        while let (now, event) = queue.popNext() {
            switch event {
            case .sessionArrival(let token):
                guard let (slot, hasTurns) = book.arrive(token: token) else { break }
                if hasTurns { startTurn(slot, at: now, dirty: &dirty) } else { book.end(slot, at: now) }
                if !source.isClosedLoop { try book.pull(&source, into: &queue, notBefore: now, all: false) }
            case .turnArrival(let slot):
                if now >= stopArrivals { book.end(slot, at: now) } else { startTurn(slot, at: now, dirty: &dirty) }
            case .stepComplete(let r):
                state[r].ledger.busy = false
                dirty[r] = true
                for f in replicas[r].completeStep(now: now) { try finish(f, replica: r, now: now, onRequest: onRequest) }
            }
            // Closed-loop sources schedule a user's next session from the previous one's end.
            try book.reportEnded(to: &source, queue: &queue, now: now)
            for r in replicas.indices where dirty[r] {
                dirty[r] = false
                if !state[r].ledger.busy { schedule(r, now: now) }
            }
        }
        return summary()
    }

    /// Forms replica `r`'s next batch, if it has work, and schedules the step's completion.
    private mutating func schedule(_ r: Int, now: Int64) {
        guard let work = replicas[r].scheduleStep() else { return }
        let duration = ReplicaLedger.durationNanoseconds(setup.costModel.stepCost(work))
        state[r].ledger.charge(replicas[r], durationNanoseconds: duration)
        queue.schedule(.stepComplete(replica: r), at: now + duration)
    }

    private mutating func startTurn(_ slot: Int, at time: Int64, dirty: inout [Bool]) {
        guard let s = book[slot] else { return }
        for i in replicas.indices { loads[i] = replicas[i].activeRequests }
        let r = router.route(previousReplica: s.nextTurn == 0 ? nil : s.replica, activeRequests: loads)
        let (key, moved) = book.route(slot, to: r)
        if moved { movedTurns += 1 }
        dirty[r] = true
        let start = book.startTurn(slot, key: key, at: time, on: &replicas[r], setup: setup,
                                   groupCount: plan.groups.count)
        if start == .rejected {
            state[r].rejectedRequests += 1
            if time >= measureFrom, time < stopArrivals { windowRejected += 1 }
        }
    }

    private mutating func finish(_ f: FinishedRequest, replica r: Int, now: Int64,
                                 onRequest: (RequestRecord, Int) throws -> Void) throws {
        let record = SessionBook.record(f, finishNanoseconds: now)
        metrics.record(record, finishNanoseconds: now)
        state[r].metrics.record(record, finishNanoseconds: now)
        if f.arrivalNanoseconds >= measureFrom, f.arrivalNanoseconds < stopArrivals {
            windowMetrics.record(record, finishNanoseconds: now)
        }
        try onRequest(record, r)
        guard let slot = book.slot(forKey: f.sessionSlot) else { return }
        if book.turnFinished(slot, f, at: now, queue: &queue) { state[r].completedSessions += 1 }
    }

    /// The summary ``Run`` writes, for one replica's state and requests.
    private func replicaSummary(_ r: Int) -> PolicySummary {
        let st = state[r]
        var summary = st.metrics.summary(policy: setup.policy.name)
        summary.completedSessions = st.completedSessions
        summary.rejectedRequests = st.rejectedRequests
        st.ledger.fill(&summary, replica: replicas[r])
        return summary
    }

    private func summary() -> ClusterSummary {
        let perReplica = replicas.indices.map(replicaSummary)
        var total = metrics.summary(policy: setup.policy.name)
        total.completedSessions = book.completedSessions
        total.rejectedRequests = book.rejectedRequests
        var allocated = 0.0, trapped = 0.0, entries = 0, iterations = 0
        for (r, s) in perReplica.enumerated() {
            total.preemptions += s.preemptions
            total.residentEvictions += s.residentEvictions
            total.admissionStalls += s.admissionStalls
            total.maxConcurrentSessions += s.maxConcurrentSessions
            total.kvCapacityBytes += s.kvCapacityBytes
            total.kvPeakAllocatedBytes += s.kvPeakAllocatedBytes
            total.kvPeakUsedBytes += s.kvPeakUsedBytes
            total.kvPeakTrappedBytes += s.kvPeakTrappedBytes
            total.kvMeanAllocatedBytes += s.kvMeanAllocatedBytes
            total.kvMeanUsedBytes += s.kvMeanUsedBytes
            total.kvMeanTrappedBytes += s.kvMeanTrappedBytes
            total.reclaimedBytes += s.reclaimedBytes
            total.reclaimCopiedBytes += s.reclaimCopiedBytes
            allocated += state[r].ledger.allocatedIntegral
            trapped += state[r].ledger.trappedIntegral
            entries += state[r].ledger.blockTableEntriesTotal
            iterations += state[r].ledger.iterations
        }
        if allocated > 0 { total.fragmentationFraction = trapped / allocated }
        if iterations > 0 { total.blockTableEntriesPerStep = Double(entries) / Double(iterations) }
        total.simIterations = iterations
        total.costModel = setup.costModel.label
        var replicaSummaries = perReplica
        for i in replicaSummaries.indices { replicaSummaries[i].costModel = setup.costModel.label }
        let windowSummary = window.map { w in
            WindowSummary(
                window: w, completedRequests: windowMetrics.completedRequests, rejectedRequests: windowRejected,
                outputTokens: windowMetrics.outputTokens, ttft: windowMetrics.ttftSummary,
                tpot: windowMetrics.tpotSummary, e2e: windowMetrics.e2eSummary)
        }
        return ClusterSummary(routing: router.policy.rawValue, replicaCount: replicas.count, total: total,
                              replicas: replicaSummaries, window: windowSummary, movedTurns: movedTurns)
    }
}
