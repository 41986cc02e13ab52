import GPUModel
import Workloads

/// A discrete-event simulation of one replica serving a multi-turn workload.
///
/// Time advances from event to event (session arrivals, turn arrivals after think time, step
/// completions) on one ``EventQueue``; nothing reads the wall clock and nothing draws random
/// numbers here, so a workload and a setup determine the result exactly. Sessions are pulled
/// from the ``SessionSource`` one at a time as they arrive, so memory grows with the sessions
/// active at once, not with the workload's length.
///
/// ```swift
/// var source = ArraySessionSource(sessions)
/// let sim = try Simulation(setup: SimulationSetup(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200))
/// let summary = try sim.run(&source) { record in print(record.ttftSeconds) }
/// ```
public struct Simulation: Sendable {
    public let setup: SimulationSetup
    /// How the replica's memory is split; fixes the KV block count.
    public let plan: KVMemoryPlan

    /// Plans memory for the setup.
    ///
    /// - Throws: ``KVMemoryPlanError`` when the model leaves no room for a KV cache.
    public init(setup: SimulationSetup) throws(KVMemoryPlanError) {
        self.setup = setup
        plan = try KVMemoryPlan.vllm(model: setup.model, gpu: setup.gpu, tensorParallel: setup.tensorParallel,
                                     engine: setup.engine)
    }

    private struct SessionState {
        var spec: SessionSpec
        var streamKey: UInt64
        var sharedPrefix: SharedPrefixKey?
        var historyTokens = 0
        var nextTurn = 0
    }

    /// Runs the workload to completion.
    ///
    /// - Parameters:
    ///   - source: the sessions, in arrival order.
    ///   - onRequest: called with each request as it finishes, in finishing order.
    /// - Returns: the run's summary.
    /// - Throws: what `source` or `onRequest` throw, and ``SimulationError`` for inconsistent workloads.
    public func run<S: SessionSource>(_ source: inout S, onRequest: (RequestRecord) throws -> Void) throws
        -> PolicySummary
    {
        var queue = EventQueue<SimulationEvent>()
        var replica = Replica(engine: setup.engine, plan: plan, model: setup.model)
        var sessions: [SessionState?] = []
        var freeSessionSlots: [Int] = []
        var metrics = MetricsRecorder()
        var nextRequestID = 0
        var sessionsArrived = 0
        var completedSessions = 0
        var rejectedRequests = 0
        var iterations = 0
        var busy = false
        var now: Int64 = 0
        var pending: SessionSpec? = try source.nextSession()
        if let first = pending { queue.schedule(.sessionArrival, at: try Self.arrivalTime(first, notBefore: 0)) }

        func startTurn(_ slot: Int, at time: Int64) {
            guard var s = sessions[slot] else { return }
            let turn = s.spec.turns[s.nextTurn]
            let prompt = s.historyTokens + turn.newInputTokens
            let output = max(1, turn.outputTokens)
            let r = RequestState(
                id: nextRequestID, sessionSlot: slot, sessionID: s.spec.id, turn: s.nextTurn, streamKey: s.streamKey,
                arrivalNanoseconds: time, promptTokens: prompt, maxOutputTokens: output,
                groupCount: plan.groups.count, sharedPrefix: s.sharedPrefix)
            nextRequestID += 1
            if replica.canEverFit(promptTokens: prompt, outputTokens: output) {
                replica.enqueue(r)
            } else {
                // Like vLLM rejecting a prompt longer than the cache can ever hold, the session ends here.
                rejectedRequests += 1
                s.nextTurn = s.spec.turns.count
                sessions[slot] = nil
                freeSessionSlots.append(slot)
                return
            }
            sessions[slot] = s
        }

        while let (time, event) = queue.popNext() {
            now = time
            switch event {
            case .sessionArrival:
                guard let spec = pending else { break }
                sessionsArrived += 1
                let state = SessionState(spec: spec, streamKey: Self.streamKey(sessionsArrived),
                                         sharedPrefix: spec.sharedPrefix.map(SharedPrefixKey.init))
                let slot: Int
                if let s = freeSessionSlots.popLast() { sessions[s] = state; slot = s } else {
                    sessions.append(state); slot = sessions.count - 1
                }
                if spec.turns.isEmpty {
                    sessions[slot] = nil
                    freeSessionSlots.append(slot)
                } else {
                    startTurn(slot, at: now)
                }
                pending = try source.nextSession()
                if let next = pending { queue.schedule(.sessionArrival, at: try Self.arrivalTime(next, notBefore: now)) }
            case .turnArrival(let slot):
                startTurn(slot, at: now)
            case .stepComplete:
                busy = false
                for f in replica.completeStep(now: now) {
                    let record = RequestRecord(
                        requestID: f.requestID, sessionID: f.sessionID, turn: f.turn,
                        arrivalSeconds: SimTime.seconds(fromNanoseconds: f.arrivalNanoseconds),
                        firstTokenSeconds: SimTime.seconds(fromNanoseconds: f.firstTokenNanoseconds),
                        finishSeconds: SimTime.seconds(fromNanoseconds: now), promptTokens: f.promptTokens,
                        cachedTokens: f.cachedTokens, outputTokens: f.outputTokens, preemptions: f.preemptions)
                    metrics.record(record, finishNanoseconds: now)
                    try onRequest(record)
                    guard var s = sessions[f.sessionSlot] else { continue }
                    s.historyTokens = f.promptTokens + f.outputTokens
                    s.nextTurn += 1
                    if s.nextTurn < s.spec.turns.count {
                        let think = SimTime.nanoseconds(fromSeconds: max(0, s.spec.turns[s.nextTurn].thinkTimeSeconds))
                        sessions[f.sessionSlot] = s
                        queue.schedule(.turnArrival(sessionSlot: f.sessionSlot), at: now + think)
                    } else {
                        completedSessions += 1
                        sessions[f.sessionSlot] = nil
                        freeSessionSlots.append(f.sessionSlot)
                    }
                }
            }
            if !busy, let work = replica.scheduleStep() {
                let cost = setup.costModel.stepCost(work)
                let duration = max(1, Int64((cost.totalSeconds * 1e9).rounded(.up)))
                queue.schedule(.stepComplete, at: now + duration)
                busy = true
                iterations += 1
            }
        }

        var summary = PolicySummary(policy: setup.policy.name)
        summary.completedRequests = metrics.completedRequests
        summary.completedSessions = completedSessions
        summary.rejectedRequests = rejectedRequests
        let duration = SimTime.seconds(fromNanoseconds: metrics.lastFinishNanoseconds)
        summary.simulatedDurationSeconds = duration
        if duration > 0 {
            summary.throughputRequestsPerSecond = Double(metrics.completedRequests) / duration
            summary.throughputOutputTokensPerSecond = Double(metrics.outputTokens) / duration
        }
        summary.outputTokens = metrics.outputTokens
        summary.ttft = metrics.ttftSummary
        summary.tpot = metrics.tpotSummary
        summary.e2e = metrics.e2eSummary
        summary.preemptions = replica.preemptions
        summary.kvCapacityBytes = plan.capacityBytes
        summary.kvPeakAllocatedBytes = replica.peakAllocatedBytes
        summary.kvPeakUsedBytes = replica.peakUsedBytes
        summary.cachedPromptTokens = metrics.cachedTokens
        summary.promptTokens = metrics.promptTokens
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

    /// A stream identity per arriving session (SplitMix64 of its arrival index).
    static func streamKey(_ index: Int) -> UInt64 {
        var z = UInt64(index) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A workload the simulation cannot run as given.
public enum SimulationError: Error, Hashable, CustomStringConvertible {
    case unsortedArrival(sessionID: Int, seconds: Double)
    case invalidArrival(sessionID: Int, seconds: Double)

    public var description: String {
        switch self {
        case .unsortedArrival(let id, let s): return "session \(id) arrives at \(s) s, before the session preceding it"
        case .invalidArrival(let id, let s): return "session \(id) has an invalid arrival time \(s) s"
        }
    }
}
