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
    private struct SessionState {
        var spec: SessionSpec
        var streamKey: UInt64
        var sharedPrefix: SharedPrefixKey?
        var historyTokens = 0
        var nextTurn = 0
        var recomputations = 0
        /// Replica of the previous turn.
        var replica: Int?
        /// Key of the session at `replica`.
        var key = -1
    }

    /// Per-replica accounting that ``Run`` keeps for its single replica.
    private struct ReplicaState {
        var busy = false
        var iterations = 0
        var busyNanoseconds: Int64 = 0
        var allocatedIntegral = 0.0, usedIntegral = 0.0, trappedIntegral = 0.0
        var lastBlockTableEntries = 0
        var blockTableEntriesTotal = 0
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
    private var queue = EventQueue<ClusterEvent>()
    private var sessions: [SessionState?] = []
    private var freeSessionSlots: [Int] = []
    /// Session slot by the key a replica knows the session under.
    private var slotByKey: [Int: Int] = [:]
    private var nextKey = 0
    private var metrics = MetricsRecorder()
    private var windowMetrics = MetricsRecorder()
    private var windowRejected = 0
    private var nextRequestID = 0
    private var sessionsArrived = 0
    private var completedSessions = 0
    private var rejectedRequests = 0
    private var movedTurns = 0
    private var loads: [Int]
    private let measureFrom: Int64
    private let stopArrivals: Int64
    /// Sessions that ended since the source was last told: (session id, seconds).
    private var endedSessions: [(id: Int, seconds: Double)] = []
    /// Sessions pulled from the source whose arrival event is pending, by token.
    private var arriving: [Int: SessionSpec] = [:]
    private var nextArrivalToken = 0
    /// Whether the source has given a session at or after the window's end (an open-loop
    /// source is read no further).
    private var sourcePastWindow = false
    /// The time of the event being processed.
    private var eventTime: Int64 = 0

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
    }

    private var resident: Bool { setup.policy.spec.history == .resident }

    mutating func execute<S: SessionSource>(
        _ source: inout S, onRequest: (RequestRecord, Int) throws -> Void
    ) throws -> ClusterSummary {
        // Open-loop sources are pulled one session ahead; closed-loop ones for every session they
        // can give whenever sessions end (as in ``Run``).
        try pull(&source, notBefore: 0, all: source.isClosedLoop)
        // Replicas whose state changed since they last tried to form a batch.
        var dirty = Array(repeating: false, count: replicas.count)

        while let (now, event) = queue.popNext() {
            eventTime = now
            switch event {
            case .sessionArrival(let token):
                guard let spec = arriving.removeValue(forKey: token) else { break }
                sessionsArrived += 1
                let s = SessionState(spec: spec, streamKey: Simulation.streamKey(sessionsArrived),
                                     sharedPrefix: spec.sharedPrefix.map(SharedPrefixKey.init))
                let slot: Int
                if let f = freeSessionSlots.popLast() { sessions[f] = s; slot = f } else {
                    sessions.append(s); slot = sessions.count - 1
                }
                if spec.turns.isEmpty { endSession(slot) } else { startTurn(slot, at: now, dirty: &dirty) }
                if !source.isClosedLoop { try pull(&source, notBefore: now, all: false) }
            case .turnArrival(let slot):
                if now >= stopArrivals { endSession(slot) } else { startTurn(slot, at: now, dirty: &dirty) }
            case .stepComplete(let r):
                state[r].busy = false
                dirty[r] = true
                for f in replicas[r].completeStep(now: now) { try finish(f, replica: r, now: now, onRequest: onRequest) }
            }
            if !endedSessions.isEmpty {
                // Closed-loop sources schedule a user's next session from the previous one's end.
                for e in endedSessions { source.sessionEnded(id: e.id, atSeconds: e.seconds) }
                endedSessions.removeAll(keepingCapacity: true)
                if source.isClosedLoop { try pull(&source, notBefore: now, all: true) }
            }
            for r in replicas.indices where dirty[r] {
                dirty[r] = false
                if !state[r].busy { schedule(r, now: now) }
            }
        }
        return summary()
    }

    /// Takes the next session (or every session available, for closed loops) from the source and
    /// schedules its arrival, which must not precede `notBefore`. Sessions arriving at or after
    /// the window's end are dropped, and an open-loop source is then read no further.
    private mutating func pull<S: SessionSource>(_ source: inout S, notBefore: Int64, all: Bool) throws {
        if sourcePastWindow, !all { return }
        repeat {
            guard let next = try source.nextSession() else { return }
            let t = try Self.arrivalTime(next, notBefore: notBefore)
            guard t < stopArrivals else {
                sourcePastWindow = true
                continue
            }
            arriving[nextArrivalToken] = next
            queue.schedule(.sessionArrival(token: nextArrivalToken), at: t)
            nextArrivalToken += 1
        } while all
    }

    /// Forms replica `r`'s next batch, if it has work, and schedules the step's completion.
    private mutating func schedule(_ r: Int, now: Int64) {
        guard let work = replicas[r].scheduleStep() else { return }
        let cost = setup.costModel.stepCost(work)
        let duration = max(1, Int64((cost.totalSeconds * 1e9).rounded(.up)))
        let seconds = Double(duration) / 1e9
        let kv = replicas[r].kv
        state[r].allocatedIntegral += kv.allocatedBytes * seconds
        state[r].usedIntegral += kv.usedBytes * seconds
        state[r].trappedIntegral += replicas[r].trappedBytes * seconds
        state[r].busyNanoseconds += duration
        let entries = kv.blockTableEntries
        state[r].blockTableEntriesTotal += entries - state[r].lastBlockTableEntries
        state[r].lastBlockTableEntries = entries
        queue.schedule(.stepComplete(replica: r), at: now + duration)
        state[r].busy = true
        state[r].iterations += 1
    }

    private mutating func startTurn(_ slot: Int, at time: Int64, dirty: inout [Bool]) {
        guard var s = sessions[slot] else { return }
        let t = s.nextTurn
        let turn = s.spec.turns[t]
        let output = max(1, turn.outputTokens)
        let keepResident = resident && t + 1 < s.spec.turns.count
        for i in replicas.indices { loads[i] = replicas[i].activeRequests }
        let r = router.route(previousReplica: t == 0 ? nil : s.replica, activeRequests: loads)
        if s.replica != r {
            if s.replica != nil { movedTurns += 1 }
            slotByKey[s.key] = nil
            s.key = nextKey
            nextKey += 1
            slotByKey[s.key] = slot
            s.replica = r
        }
        sessions[slot] = s
        dirty[r] = true
        if t > 0, resident {
            if replicas[r].resume(sessionSlot: s.key, requestID: nextRequestID, turn: t, arrivalNanoseconds: time,
                                  newInputTokens: turn.newInputTokens, outputTokens: output,
                                  recompress: setup.compression.recompressEachTurn,
                                  residentAfterFinish: keepResident) {
                nextRequestID += 1
                return
            }
            s.recomputations += 1  // evicted between turns, or moved: the whole history is recomputed
        }
        let prompt = s.historyTokens + turn.newInputTokens
        var request = RequestState(
            id: nextRequestID, sessionSlot: s.key, sessionID: s.spec.id, turn: t, streamKey: s.streamKey,
            arrivalNanoseconds: time, promptTokens: prompt, maxOutputTokens: output, groupCount: plan.groups.count,
            sharedPrefix: s.sharedPrefix)
        request.compressUpTo = setup.policy.spec.compresses ? prompt : 0
        request.recomputations = s.recomputations
        request.residentAfterFinish = keepResident
        nextRequestID += 1
        sessions[slot] = s
        if replicas[r].canEverFit(promptTokens: prompt, outputTokens: output) {
            replicas[r].enqueue(request)
        } else {
            // Like vLLM rejecting a prompt longer than the cache can ever hold, the session ends here.
            rejectedRequests += 1
            state[r].rejectedRequests += 1
            if time >= measureFrom, time < stopArrivals { windowRejected += 1 }
            endSession(slot)
        }
    }

    private mutating func finish(_ f: FinishedRequest, replica r: Int, now: Int64,
                                 onRequest: (RequestRecord, Int) throws -> Void) throws {
        let record = RequestRecord(
            requestID: f.requestID, sessionID: f.sessionID, turn: f.turn,
            arrivalSeconds: SimTime.seconds(fromNanoseconds: f.arrivalNanoseconds),
            firstTokenSeconds: SimTime.seconds(fromNanoseconds: f.firstTokenNanoseconds),
            finishSeconds: SimTime.seconds(fromNanoseconds: now), promptTokens: f.promptTokens,
            cachedTokens: f.cachedTokens, outputTokens: f.outputTokens, preemptions: f.preemptions)
        metrics.record(record, finishNanoseconds: now)
        state[r].metrics.record(record, finishNanoseconds: now)
        if f.arrivalNanoseconds >= measureFrom, f.arrivalNanoseconds < stopArrivals {
            windowMetrics.record(record, finishNanoseconds: now)
        }
        try onRequest(record, r)
        guard let slot = slotByKey[f.sessionSlot], var s = sessions[slot] else { return }
        s.historyTokens = f.promptTokens + f.outputTokens
        s.nextTurn += 1
        if s.nextTurn < s.spec.turns.count {
            let think = SimTime.nanoseconds(fromSeconds: max(0, s.spec.turns[s.nextTurn].thinkTimeSeconds))
            sessions[slot] = s
            queue.schedule(.turnArrival(sessionSlot: slot), at: now + think)
        } else {
            completedSessions += 1
            state[r].completedSessions += 1
            endSession(slot)
        }
    }

    private mutating func endSession(_ slot: Int) {
        if let s = sessions[slot] {
            slotByKey[s.key] = nil
            endedSessions.append((s.spec.id, SimTime.seconds(fromNanoseconds: eventTime)))
        }
        sessions[slot] = nil
        freeSessionSlots.append(slot)
    }

    /// The summary ``Run`` writes, for one replica's state and requests.
    private func replicaSummary(_ r: Int) -> PolicySummary {
        let replica = replicas[r], st = state[r]
        var summary = st.metrics.summary(policy: setup.policy.name)
        summary.completedSessions = st.completedSessions
        summary.rejectedRequests = st.rejectedRequests
        summary.preemptions = replica.preemptions
        summary.residentEvictions = replica.evictions
        summary.admissionStalls = replica.admissionStalls
        summary.maxConcurrentSessions = replica.peakConversations
        summary.kvCapacityBytes = replica.kv.capacityBytes
        summary.kvPeakAllocatedBytes = replica.peakAllocatedBytes
        summary.kvPeakUsedBytes = replica.peakUsedBytes
        summary.kvPeakTrappedBytes = replica.peakTrappedBytes
        let busy = SimTime.seconds(fromNanoseconds: st.busyNanoseconds)
        if busy > 0 {
            summary.kvMeanAllocatedBytes = st.allocatedIntegral / busy
            summary.kvMeanUsedBytes = st.usedIntegral / busy
            summary.kvMeanTrappedBytes = st.trappedIntegral / busy
        }
        if st.allocatedIntegral > 0 { summary.fragmentationFraction = st.trappedIntegral / st.allocatedIntegral }
        summary.reclaimedBytes = replica.kv.reclaimedBytes
        summary.reclaimCopiedBytes = replica.kv.copiedBytes
        if st.iterations > 0 {
            summary.blockTableEntriesPerStep = Double(st.blockTableEntriesTotal) / Double(st.iterations)
        }
        summary.simIterations = st.iterations
        return summary
    }

    private func summary() -> ClusterSummary {
        let perReplica = replicas.indices.map(replicaSummary)
        var total = metrics.summary(policy: setup.policy.name)
        total.completedSessions = completedSessions
        total.rejectedRequests = rejectedRequests
        var allocated = 0.0, used = 0.0, trapped = 0.0, busy: Int64 = 0, entries = 0, iterations = 0
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
            allocated += state[r].allocatedIntegral
            used += state[r].usedIntegral
            trapped += state[r].trappedIntegral
            busy += state[r].busyNanoseconds
            entries += state[r].blockTableEntriesTotal
            iterations += state[r].iterations
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

    private static func arrivalTime(_ s: SessionSpec, notBefore: Int64) throws(SimulationError) -> Int64 {
        guard s.arrivalSeconds.isFinite, s.arrivalSeconds >= 0 else {
            throw .invalidArrival(sessionID: s.id, seconds: s.arrivalSeconds)
        }
        let t = SimTime.nanoseconds(fromSeconds: s.arrivalSeconds)
        guard t >= notBefore else { throw .unsortedArrival(sessionID: s.id, seconds: s.arrivalSeconds) }
        return t
    }
}
