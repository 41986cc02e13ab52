import GPUModel
import Workloads

/// The mutable state of one simulation run over a replica with KV cache `KV`.
struct Run<KV: KVCacheManager> {
    private struct SessionState {
        var spec: SessionSpec
        var streamKey: UInt64
        var sharedPrefix: SharedPrefixKey?
        var historyTokens = 0
        var nextTurn = 0
        var recomputations = 0
    }

    let setup: SimulationSetup
    let plan: KVMemoryPlan
    var replica: Replica<KV>
    private var queue = EventQueue<SimulationEvent>()
    private var sessions: [SessionState?] = []
    private var freeSessionSlots: [Int] = []
    private var metrics = MetricsRecorder()
    private var nextRequestID = 0
    private var sessionsArrived = 0
    private var completedSessions = 0
    private var rejectedRequests = 0
    private var iterations = 0
    private var busyNanoseconds: Int64 = 0
    private var allocatedIntegral = 0.0, usedIntegral = 0.0, trappedIntegral = 0.0
    private var lastBlockTableEntries = 0
    /// Sessions that ended since the source was last told: (session id, seconds).
    private var endedSessions: [(id: Int, seconds: Double)] = []
    /// Sessions pulled from the source whose arrival event is pending, by token.
    private var arriving: [Int: SessionSpec] = [:]
    private var nextArrivalToken = 0
    /// The time of the event being processed.
    private var eventTime: Int64 = 0
    private var blockTableEntriesTotal = 0

    init(setup: SimulationSetup, plan: KVMemoryPlan, replica: Replica<KV>) {
        self.setup = setup
        self.plan = plan
        self.replica = replica
    }

    private var resident: Bool { setup.policy.spec.history == .resident }

    mutating func execute<S: SessionSource>(
        _ source: inout S, sampleInterval: Double, onStep: (StepSample) throws -> Void,
        onRequest: (RequestRecord) throws -> Void
    ) throws -> PolicySummary {
        var busy = false
        var now: Int64 = 0
        let interval = max(1, SimTime.nanoseconds(fromSeconds: sampleInterval))
        var nextSample: Int64 = 0
        // Open-loop sources are pulled one session ahead; closed-loop ones for every session they
        // can give whenever sessions end.
        try pull(&source, notBefore: 0, all: source.isClosedLoop)

        while let (time, event) = queue.popNext() {
            now = time
            eventTime = time
            switch event {
            case .sessionArrival(let token):
                guard let spec = arriving.removeValue(forKey: token) else { break }
                sessionsArrived += 1
                let state = SessionState(spec: spec, streamKey: Simulation.streamKey(sessionsArrived),
                                         sharedPrefix: spec.sharedPrefix.map(SharedPrefixKey.init))
                let slot: Int
                if let s = freeSessionSlots.popLast() { sessions[s] = state; slot = s } else {
                    sessions.append(state); slot = sessions.count - 1
                }
                if spec.turns.isEmpty { endSession(slot) } else { startTurn(slot, at: now) }
                if !source.isClosedLoop { try pull(&source, notBefore: now, all: false) }
            case .turnArrival(let slot):
                startTurn(slot, at: now)
            case .stepComplete:
                busy = false
                for f in replica.completeStep(now: now) { try finish(f, now: now, onRequest: onRequest) }
            }
            if !endedSessions.isEmpty {
                // Closed-loop sources schedule a user's next session from the previous one's end.
                for e in endedSessions { source.sessionEnded(id: e.id, atSeconds: e.seconds) }
                endedSessions.removeAll(keepingCapacity: true)
                if source.isClosedLoop { try pull(&source, notBefore: now, all: true) }
            }
            if !busy, let work = replica.scheduleStep() {
                let cost = setup.costModel.stepCost(work)
                let duration = max(1, Int64((cost.totalSeconds * 1e9).rounded(.up)))
                let seconds = Double(duration) / 1e9
                allocatedIntegral += replica.kv.allocatedBytes * seconds
                usedIntegral += replica.kv.usedBytes * seconds
                trappedIntegral += replica.trappedBytes * seconds
                busyNanoseconds += duration
                let entries = replica.kv.blockTableEntries
                blockTableEntriesTotal += entries - lastBlockTableEntries
                lastBlockTableEntries = entries
                if now >= nextSample {
                    try onStep(sample(at: now, work: work, cost: cost))
                    nextSample = now + interval
                }
                queue.schedule(.stepComplete, at: now + duration)
                busy = true
                iterations += 1
            }
        }
        return summary()
    }

    /// Takes the next session (or every session available, for closed loops) from the source and
    /// schedules its arrival, which must not precede `notBefore`.
    private mutating func pull<S: SessionSource>(_ source: inout S, notBefore: Int64, all: Bool) throws {
        repeat {
            guard let next = try source.nextSession() else { return }
            let t = try Self.arrivalTime(next, notBefore: notBefore)
            arriving[nextArrivalToken] = next
            queue.schedule(.sessionArrival(token: nextArrivalToken), at: t)
            nextArrivalToken += 1
        } while all
    }

    private mutating func startTurn(_ slot: Int, at time: Int64) {
        guard var s = sessions[slot] else { return }
        let t = s.nextTurn
        let turn = s.spec.turns[t]
        let output = max(1, turn.outputTokens)
        let keepResident = resident && t + 1 < s.spec.turns.count
        if t > 0, resident {
            if replica.resume(sessionSlot: slot, requestID: nextRequestID, turn: t, arrivalNanoseconds: time,
                              newInputTokens: turn.newInputTokens, outputTokens: output,
                              recompress: setup.compression.recompressEachTurn, residentAfterFinish: keepResident) {
                nextRequestID += 1
                return
            }
            s.recomputations += 1  // evicted between turns: the whole history is recomputed
        }
        let prompt = s.historyTokens + turn.newInputTokens
        var r = RequestState(
            id: nextRequestID, sessionSlot: slot, sessionID: s.spec.id, turn: t, streamKey: s.streamKey,
            arrivalNanoseconds: time, promptTokens: prompt, maxOutputTokens: output, groupCount: plan.groups.count,
            sharedPrefix: s.sharedPrefix)
        r.compressUpTo = setup.policy.spec.compresses ? prompt : 0
        r.recomputations = s.recomputations
        r.residentAfterFinish = keepResident
        nextRequestID += 1
        sessions[slot] = s
        if replica.canEverFit(promptTokens: prompt, outputTokens: output) {
            replica.enqueue(r)
        } else {
            // Like vLLM rejecting a prompt longer than the cache can ever hold, the session ends here.
            rejectedRequests += 1
            endSession(slot)
        }
    }

    private mutating func finish(_ f: FinishedRequest, now: Int64, onRequest: (RequestRecord) throws -> Void) throws {
        let record = RequestRecord(
            requestID: f.requestID, sessionID: f.sessionID, turn: f.turn,
            arrivalSeconds: SimTime.seconds(fromNanoseconds: f.arrivalNanoseconds),
            firstTokenSeconds: SimTime.seconds(fromNanoseconds: f.firstTokenNanoseconds),
            finishSeconds: SimTime.seconds(fromNanoseconds: now), promptTokens: f.promptTokens,
            cachedTokens: f.cachedTokens, outputTokens: f.outputTokens, preemptions: f.preemptions)
        metrics.record(record, finishNanoseconds: now)
        try onRequest(record)
        guard var s = sessions[f.sessionSlot] else { return }
        s.historyTokens = f.promptTokens + f.outputTokens
        s.nextTurn += 1
        if s.nextTurn < s.spec.turns.count {
            let think = SimTime.nanoseconds(fromSeconds: max(0, s.spec.turns[s.nextTurn].thinkTimeSeconds))
            sessions[f.sessionSlot] = s
            queue.schedule(.turnArrival(sessionSlot: f.sessionSlot), at: now + think)
        } else {
            completedSessions += 1
            endSession(f.sessionSlot)
        }
    }

    private mutating func endSession(_ slot: Int) {
        if let s = sessions[slot] {
            endedSessions.append((s.spec.id, SimTime.seconds(fromNanoseconds: eventTime)))
        }
        sessions[slot] = nil
        freeSessionSlots.append(slot)
    }

    private func sample(at now: Int64, work: StepWorkload, cost: StepCost) -> StepSample {
        StepSample(
            timeSeconds: SimTime.seconds(fromNanoseconds: now), stepIndex: iterations,
            runningRequests: replica.runningCount, waitingRequests: replica.waitingCount,
            prefillTokens: work.prefillTokens, prefillSequences: work.prefillSequences,
            decodeSequences: work.decodeSequences, cost: cost, kvCapacityBytes: replica.kv.capacityBytes,
            kvAllocatedBytes: replica.kv.allocatedBytes, kvUsedBytes: replica.kv.usedBytes,
            kvTrappedBytes: replica.trappedBytes, kvReservedBytes: replica.kv.reservedBytes,
            preemptionsSoFar: replica.preemptions)
    }

    private func summary() -> PolicySummary {
        var summary = metrics.summary(policy: setup.policy.name)
        summary.completedSessions = completedSessions
        summary.rejectedRequests = rejectedRequests
        summary.preemptions = replica.preemptions
        summary.residentEvictions = replica.evictions
        summary.admissionStalls = replica.admissionStalls
        summary.maxConcurrentSessions = replica.peakConversations
        summary.kvCapacityBytes = replica.kv.capacityBytes
        summary.kvPeakAllocatedBytes = replica.peakAllocatedBytes
        summary.kvPeakUsedBytes = replica.peakUsedBytes
        summary.kvPeakTrappedBytes = replica.peakTrappedBytes
        let busy = SimTime.seconds(fromNanoseconds: busyNanoseconds)
        if busy > 0 {
            summary.kvMeanAllocatedBytes = allocatedIntegral / busy
            summary.kvMeanUsedBytes = usedIntegral / busy
            summary.kvMeanTrappedBytes = trappedIntegral / busy
        }
        if allocatedIntegral > 0 { summary.fragmentationFraction = trappedIntegral / allocatedIntegral }
        summary.reclaimedBytes = replica.kv.reclaimedBytes
        summary.reclaimCopiedBytes = replica.kv.copiedBytes
        if iterations > 0 { summary.blockTableEntriesPerStep = Double(blockTableEntriesTotal) / Double(iterations) }
        summary.simIterations = iterations
        summary.costModel = setup.costModel.label
        return summary
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
