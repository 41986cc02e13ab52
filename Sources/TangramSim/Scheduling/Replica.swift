import DequeModule
import GPUModel

/// One serving replica: a continuous-batching scheduler over a KV cache, faithful to vLLM 0.11's
/// V1 `Scheduler` with chunked prefill and FCFS policy.
///
/// Each step:
/// 1. Running requests are served first, in admission order. Each asks for its remaining prompt
///    (a chunk, capped by the token budget) or one decode token. When the cache cannot hold the
///    new tokens, an idle resident conversation is evicted if there is one (least recently idle
///    first); otherwise the most recently admitted running request is preempted: its KV is
///    freed and it goes back to the front of the waiting queue, to be recomputed. A request
///    that would have to preempt itself waits.
/// 2. If nothing was preempted, waiting requests are admitted in FCFS order while the token
///    budget, `max_num_seqs` and the cache allow, each taking its prefix-cache hit first (when
///    the cache has one). The first one that does not fit stops admission (no skipping ahead).
///    With ``EngineConfig/reserveFullSequenceAtAdmission`` a request must fit whole, not only
///    its next chunk.
/// After the step's time has passed, every scheduled request advances by its tokens; one that
/// reaches the end of its known tokens samples a new one. A finished turn of a resident
/// conversation keeps its KV, idle, until the next turn arrives or memory is needed.
public struct Replica<KV: KVCacheManager>: Sendable {
    public let engine: EngineConfig
    /// Whether preempted or evicted requests recompress their context when recomputed.
    let compresses: Bool
    public private(set) var kv: KV
    var requests: [RequestState] = []
    var freeSlots: [Int] = []
    var running: [Int] = []
    var waiting = Deque<Int>()
    /// Idle resident conversations in the order they went idle: (request slot, idle epoch).
    var idle = Deque<(slot: Int, epoch: Int)>()
    /// Session slot to the request slot of its resident conversation.
    var residentBySession: [Int: Int] = [:]
    /// Slots and token counts scheduled in the current step (reused buffers).
    var scheduledSlots: [Int] = []
    var scheduledTokens: [Int] = []
    var finishedBuffer: [FinishedRequest] = []
    /// The step description, reused so that its per-request arrays keep their capacity.
    var workBuffer = StepWorkload()
    /// Preemptions of running requests so far.
    public private(set) var preemptions = 0
    /// Idle resident conversations evicted so far.
    public private(set) var evictions = 0
    /// Steps in which the head of the waiting queue could not be admitted for lack of memory.
    public private(set) var admissionStalls = 0
    /// Most bytes in allocated pages at once.
    public private(set) var peakAllocatedBytes = 0.0
    /// Most bytes holding tokens at once.
    public private(set) var peakUsedBytes = 0.0
    /// Most bytes allocated but holding no token at once (pages sized by their longest head,
    /// partly filled last blocks), reservations excluded.
    public private(set) var peakTrappedBytes = 0.0
    /// Most conversations holding KV at once (running or resident).
    public private(set) var peakConversations = 0

    public init(engine: EngineConfig, kv: KV, compresses: Bool = false) {
        self.engine = engine
        self.kv = kv
        self.compresses = compresses
    }

    /// Requests waiting or running.
    public var activeRequests: Int { running.count + waiting.count }
    /// Requests running (admitted and holding KV).
    public var runningCount: Int { running.count }
    /// Requests waiting for admission.
    public var waitingCount: Int { waiting.count }
    /// Conversations resident between turns.
    public var residentCount: Int { residentBySession.count }

    /// Bytes allocated but holding no token, reservations excluded.
    public var trappedBytes: Double { max(0, kv.allocatedBytes - kv.usedBytes - kv.reservedBytes) }

    /// Whether a request of this size could ever fit in the cache on its own.
    public func canEverFit(promptTokens: Int, outputTokens: Int) -> Bool {
        kv.canEverFit(promptTokens: promptTokens, outputTokens: outputTokens, chunkTokens: engine.maxNumBatchedTokens)
    }

    /// Queues a new request at the back of the waiting queue.
    public mutating func enqueue(_ request: RequestState) {
        let slot: Int
        if let s = freeSlots.popLast() {
            requests[s] = request
            slot = s
        } else {
            requests.append(request)
            slot = requests.count - 1
        }
        waiting.append(slot)
    }

    /// Starts the next turn of a resident conversation: its KV is still here, so only the new
    /// input needs prefill. Returns `false` when the conversation is not resident (never was, or
    /// was evicted), and the caller submits the turn as a new request over the whole history.
    public mutating func resume(sessionSlot: Int, requestID: Int, turn: Int, arrivalNanoseconds: Int64,
                                newInputTokens: Int, outputTokens: Int, recompress: Bool,
                                residentAfterFinish: Bool) -> Bool {
        guard let slot = residentBySession.removeValue(forKey: sessionSlot) else { return false }
        var r = requests[slot]
        r.idleEpoch += 1  // invalidates its idle-queue entry
        r.promptTokens = r.totalTokens + newInputTokens
        r.outputTokens = 0
        r.maxOutputTokens = max(1, outputTokens)
        r.id = requestID
        r.turn = turn
        r.arrivalNanoseconds = arrivalNanoseconds
        r.firstTokenNanoseconds = -1
        r.cachedTokens = r.computedTokens
        r.wasScheduled = true
        r.preemptions = 0
        r.residentAfterFinish = residentAfterFinish
        if recompress && compresses { r.compressUpTo = r.promptTokens }
        requests[slot] = r
        waiting.append(slot)
        return true
    }

    /// Forms the next batch and describes its work; `nil` when there is nothing to run.
    ///
    /// - Complexity: O(batch) plus, per admitted request, its prefix lookup or compression shape.
    public mutating func scheduleStep() -> StepWorkload? {
        scheduledSlots.removeAll(keepingCapacity: true)
        scheduledTokens.removeAll(keepingCapacity: true)
        var budget = engine.maxNumBatchedTokens
        var preempted = false
        var work = workBuffer
        workBuffer = StepWorkload()  // drop the second reference so `work` mutates in place
        work.clearKeepingCapacity()

        var i = 0
        while i < running.count, budget > 0 {
            let slot = running[i]
            var want = requests[slot].totalTokens - requests[slot].computedTokens
            if engine.longPrefillTokenThreshold > 0 { want = min(want, engine.longPrefillTokenThreshold) }
            let n = min(want, budget)
            var scheduled = false
            while true {
                if kv.allocate(&requests[slot], newTokens: n, hit: nil) { scheduled = true; break }
                if evictIdle() { continue }
                let victim = running.removeLast()
                preempt(victim)
                preempted = true
                if victim == slot { break }
            }
            guard scheduled else { break }
            add(slot: slot, tokens: n, to: &work)
            budget -= n
            i += 1
        }

        if !preempted {
            while let slot = waiting.first, budget > 0, running.count < engine.maxNumSeqs {
                let hit = kv.prefixHit(for: requests[slot])
                let r = requests[slot]
                var want = r.totalTokens - max(hit.tokens, r.computedTokens)
                if engine.longPrefillTokenThreshold > 0 { want = min(want, engine.longPrefillTokenThreshold) }
                let n = min(want, budget)
                var admitted = false
                while true {
                    if kv.admits(requests[slot], hit: hit),
                       !engine.reserveFullSequenceAtAdmission || kv.fitsWholeSequence(requests[slot], hit: hit),
                       kv.allocate(&requests[slot], newTokens: n, hit: hit.tokens > 0 ? hit : nil)
                    {
                        admitted = true
                        break
                    }
                    if !evictIdle() { break }
                }
                guard admitted else { admissionStalls += 1; break }
                if !requests[slot].wasScheduled {
                    requests[slot].wasScheduled = true
                    requests[slot].cachedTokens = min(hit.tokens, requests[slot].promptTokens)
                }
                waiting.removeFirst()
                running.append(slot)
                add(slot: slot, tokens: n, to: &work)
                budget -= n
            }
        }
        peakAllocatedBytes = max(peakAllocatedBytes, kv.allocatedBytes)
        peakTrappedBytes = max(peakTrappedBytes, trappedBytes)
        peakConversations = max(peakConversations, running.count + residentBySession.count)
        workBuffer = work
        return scheduledSlots.isEmpty ? nil : work
    }

    /// Applies the finished step at time `now`: advances every scheduled request, samples tokens,
    /// and returns the requests that finished (their KV freed, or kept if resident). The returned
    /// buffer is reused by the next call.
    public mutating func completeStep(now: Int64) -> [FinishedRequest] {
        finishedBuffer.removeAll(keepingCapacity: true)
        var anyFinished = false
        for k in scheduledSlots.indices {
            let slot = scheduledSlots[k]
            let old = requests[slot].computedTokens
            requests[slot].computedTokens += scheduledTokens[k]
            kv.didCompute(&requests[slot], from: old)
            guard requests[slot].computedTokens == requests[slot].totalTokens else { continue }
            requests[slot].outputTokens += 1
            if requests[slot].firstTokenNanoseconds < 0 { requests[slot].firstTokenNanoseconds = now }
            if requests[slot].isFinished {
                let r = requests[slot]
                finishedBuffer.append(FinishedRequest(
                    requestID: r.id, sessionSlot: r.sessionSlot, sessionID: r.sessionID, turn: r.turn,
                    arrivalNanoseconds: r.arrivalNanoseconds, firstTokenNanoseconds: r.firstTokenNanoseconds,
                    promptTokens: r.promptTokens, cachedTokens: r.cachedTokens, outputTokens: r.outputTokens,
                    preemptions: r.preemptions))
                if r.residentAfterFinish {
                    residentBySession[r.sessionSlot] = slot
                    idle.append((slot, r.idleEpoch))
                    requests[slot].maxOutputTokens = Int.max  // never "finished" while idle
                } else {
                    kv.free(&requests[slot])
                    freeSlots.append(slot)
                }
                requests[slot].wasScheduled = false  // marks removal from the running list below
                anyFinished = true
            }
        }
        peakUsedBytes = max(peakUsedBytes, kv.usedBytes)
        if anyFinished {
            running.removeAll { !requests[$0].wasScheduled }
        }
        return finishedBuffer
    }

    /// Evicts the least recently idle resident conversation; `false` when there is none.
    private mutating func evictIdle() -> Bool {
        while let (slot, epoch) = idle.popFirst() {
            guard requests[slot].idleEpoch == epoch,
                  residentBySession[requests[slot].sessionSlot] == slot else { continue }
            residentBySession[requests[slot].sessionSlot] = nil
            kv.free(&requests[slot])
            requests[slot].blockTables = []
            freeSlots.append(slot)
            evictions += 1
            return true
        }
        return false
    }

    private mutating func preempt(_ slot: Int) {
        kv.free(&requests[slot])
        requests[slot].preemptions += 1
        requests[slot].recomputations += 1
        if compresses { requests[slot].compressUpTo = requests[slot].totalTokens }
        preemptions += 1
        waiting.prepend(slot)
    }

    private mutating func add(slot: Int, tokens n: Int, to work: inout StepWorkload) {
        scheduledSlots.append(slot)
        scheduledTokens.append(n)
        kv.describe(requests[slot], newTokens: n, into: &work)
    }
}
