import Workloads

/// The sessions of a run: their arrival from the workload source, their state between turns, and
/// the requests their turns become. ``Run`` (one replica) and ``ClusterRun`` (several behind a
/// router) keep their sessions in one of these, so that both turn a workload into requests the
/// same way.
///
/// A session lives in a slot from its arrival to its end. A replica knows a session under a key:
/// ``Run`` uses the slot itself; ``ClusterRun`` hands out a fresh key whenever a session moves
/// to another replica, so a history left resident on the old one is never resumed out of date.
struct SessionBook {
    /// One session between its turns.
    struct Session {
        var spec: SessionSpec
        var streamKey: UInt64
        var sharedPrefix: SharedPrefixKey?
        /// Prompt plus output of the last finished turn: the next prompt's history.
        var historyTokens = 0
        var nextTurn = 0
        /// Times the history was recomputed because a resident conversation was lost.
        var recomputations = 0
        /// Replica of the previous turn (clusters only).
        var replica: Int?
        /// Key of the session at ``replica`` (clusters only; -1 before the first turn).
        var key = -1
    }

    /// What became of a turn handed to a replica.
    enum TurnStart {
        /// A resident conversation took the turn without recomputing its history.
        case resumed
        /// A request was queued at the replica.
        case enqueued
        /// The prompt can never fit the replica's cache: the session has ended.
        case rejected
    }

    private(set) var sessions: [Session?] = []
    private var freeSlots: [Int] = []
    /// Sessions pulled from the source whose arrival event is pending, by token.
    private var arriving: [Int: SessionSpec] = [:]
    private var nextArrivalToken = 0
    private(set) var sessionsArrived = 0
    private var nextRequestID = 0
    private(set) var completedSessions = 0
    private(set) var rejectedRequests = 0
    /// Sessions that ended since the source was last told: (session id, seconds).
    private var endedSessions: [(id: Int, seconds: Double)] = []
    /// Slot by the key a replica knows the session under (clusters only).
    private var slotByKey: [Int: Int] = [:]
    private var nextKey = 0
    /// Arrivals at or after this time are dropped (a cluster's observation window).
    private let stopArrivals: Int64
    /// Whether the source has given a session at or after ``stopArrivals`` (an open-loop source
    /// is then read no further).
    private var sourcePastWindow = false

    init(stopArrivals: Int64 = .max) {
        self.stopArrivals = stopArrivals
    }

    subscript(slot: Int) -> Session? {
        get { sessions[slot] }
        set { sessions[slot] = newValue }
    }

    /// Takes the next session (or every session available, for closed loops) from the source and
    /// schedules its arrival, which must not precede `notBefore`. Sessions arriving at or after
    /// ``stopArrivals`` are dropped, and an open-loop source is then read no further.
    mutating func pull<S: SessionSource>(
        _ source: inout S, into queue: inout EventQueue<SimulationEvent>, notBefore: Int64, all: Bool
    ) throws {
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

    /// The session held under `token` arrives: it takes a slot. `nil` for an unknown token.
    mutating func arrive(token: Int) -> (slot: Int, hasTurns: Bool)? {
        guard let spec = arriving.removeValue(forKey: token) else { return nil }
        sessionsArrived += 1
        let s = Session(spec: spec, streamKey: Simulation.streamKey(sessionsArrived),
                        sharedPrefix: spec.sharedPrefix.map(SharedPrefixKey.init))
        if let f = freeSlots.popLast() {
            sessions[f] = s
            return (f, !spec.turns.isEmpty)
        }
        sessions.append(s)
        return (sessions.count - 1, !spec.turns.isEmpty)
    }

    /// Sends the session's next turn to replica `r` (clusters): a session that lands on a replica
    /// other than its previous one gets a fresh key there.
    ///
    /// - Returns: the session's key at `r`, and whether the turn moved from another replica.
    mutating func route(_ slot: Int, to r: Int) -> (key: Int, moved: Bool) {
        guard var s = sessions[slot] else { return (-1, false) }
        var moved = false
        if s.replica != r {
            moved = s.replica != nil
            slotByKey[s.key] = nil
            s.key = nextKey
            nextKey += 1
            slotByKey[s.key] = slot
            s.replica = r
            sessions[slot] = s
        }
        return (s.key, moved)
    }

    /// The slot of the session a replica knows as `key` (clusters).
    func slot(forKey key: Int) -> Int? { slotByKey[key] }

    /// Hands the session's next turn to `replica`, which knows the session as `key`: a resident
    /// conversation resumes there if it still holds the history; otherwise the whole history plus
    /// the new input is queued as a request, or, when it can never fit, the session ends.
    mutating func startTurn<KV: KVCacheManager>(
        _ slot: Int, key: Int, at time: Int64, on replica: inout Replica<KV>, setup: SimulationSetup, groupCount: Int
    ) -> TurnStart {
        guard var s = sessions[slot] else { return .enqueued }
        let t = s.nextTurn
        let turn = s.spec.turns[t]
        let output = max(1, turn.outputTokens)
        let resident = setup.policy.spec.history == .resident
        let keepResident = resident && t + 1 < s.spec.turns.count
        if t > 0, resident {
            if replica.resume(sessionSlot: key, requestID: nextRequestID, turn: t, arrivalNanoseconds: time,
                              newInputTokens: turn.newInputTokens, outputTokens: output,
                              recompress: setup.compression.recompressEachTurn, residentAfterFinish: keepResident) {
                nextRequestID += 1
                return .resumed
            }
            s.recomputations += 1  // evicted between turns, or moved: the whole history is recomputed
        }
        let prompt = s.historyTokens + turn.newInputTokens
        var r = RequestState(
            id: nextRequestID, sessionSlot: key, sessionID: s.spec.id, turn: t, streamKey: s.streamKey,
            arrivalNanoseconds: time, promptTokens: prompt, maxOutputTokens: output, groupCount: groupCount,
            sharedPrefix: s.sharedPrefix)
        r.compressUpTo = setup.policy.spec.compresses ? prompt : 0
        r.recomputations = s.recomputations
        r.residentAfterFinish = keepResident
        nextRequestID += 1
        sessions[slot] = s
        guard replica.canEverFit(promptTokens: prompt, outputTokens: output) else {
            // Like vLLM rejecting a prompt longer than the cache can ever hold, the session ends here.
            rejectedRequests += 1
            end(slot, at: time)
            return .rejected
        }
        replica.enqueue(r)
        return .enqueued
    }

    /// The record of a finished request.
    static func record(_ f: FinishedRequest, finishNanoseconds now: Int64) -> RequestRecord {
        RequestRecord(
            requestID: f.requestID, sessionID: f.sessionID, turn: f.turn,
            arrivalSeconds: SimTime.seconds(fromNanoseconds: f.arrivalNanoseconds),
            firstTokenSeconds: SimTime.seconds(fromNanoseconds: f.firstTokenNanoseconds),
            finishSeconds: SimTime.seconds(fromNanoseconds: now), promptTokens: f.promptTokens,
            cachedTokens: f.cachedTokens, outputTokens: f.outputTokens, preemptions: f.preemptions)
    }

    /// A session's turn finished at `now`: its history grows by the turn, and its next turn is
    /// scheduled after the user's think time, or the session ends.
    ///
    /// - Returns: whether that was the session's last turn.
    @discardableResult
    mutating func turnFinished(
        _ slot: Int, _ f: FinishedRequest, at now: Int64, queue: inout EventQueue<SimulationEvent>
    ) -> Bool {
        guard var s = sessions[slot] else { return false }
        s.historyTokens = f.promptTokens + f.outputTokens
        s.nextTurn += 1
        if s.nextTurn < s.spec.turns.count {
            let think = SimTime.nanoseconds(fromSeconds: max(0, s.spec.turns[s.nextTurn].thinkTimeSeconds))
            sessions[slot] = s
            queue.schedule(.turnArrival(sessionSlot: slot), at: now + think)
            return false
        }
        completedSessions += 1
        end(slot, at: now)
        return true
    }

    /// Ends a session: its slot is freed and the source will be told.
    mutating func end(_ slot: Int, at time: Int64) {
        if let s = sessions[slot] {
            if s.key >= 0 { slotByKey[s.key] = nil }
            endedSessions.append((s.spec.id, SimTime.seconds(fromNanoseconds: time)))
        }
        sessions[slot] = nil
        freeSlots.append(slot)
    }

    /// Tells the source which sessions ended since the last call; a closed-loop source then
    /// schedules its users' next sessions, which are pulled.
    mutating func reportEnded<S: SessionSource>(
        to source: inout S, queue: inout EventQueue<SimulationEvent>, now: Int64
    ) throws {
        guard !endedSessions.isEmpty else { return }
        for e in endedSessions { source.sessionEnded(id: e.id, atSeconds: e.seconds) }
        endedSessions.removeAll(keepingCapacity: true)
        if source.isClosedLoop { try pull(&source, into: &queue, notBefore: now, all: true) }
    }

    private static func arrivalTime(_ s: SessionSpec, notBefore: Int64) throws(SimulationError) -> Int64 {
        guard s.arrivalSeconds.isFinite, s.arrivalSeconds >= 0 else {
            throw .invalidArrival(sessionID: s.id, seconds: s.arrivalSeconds)
        }
        // The session's last turn arrives after every think time; all of it must be representable.
        var lastTurn = s.arrivalSeconds
        for turn in s.turns.dropFirst() { lastTurn += max(0, turn.thinkTimeSeconds) }
        guard lastTurn <= SimTime.maximumSeconds else {
            throw .beyondTimeRange(what: "the last turn of session \(s.id)", seconds: lastTurn)
        }
        let t = SimTime.nanoseconds(fromSeconds: s.arrivalSeconds)
        guard t >= notBefore else { throw .unsortedArrival(sessionID: s.id, seconds: s.arrivalSeconds) }
        return t
    }
}
