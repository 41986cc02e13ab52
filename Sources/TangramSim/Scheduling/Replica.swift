import DequeModule
import GPUModel

/// One serving replica: a continuous-batching scheduler over a paged KV cache, faithful to
/// vLLM 0.11's V1 `Scheduler` with chunked prefill and FCFS policy.
///
/// Each step:
/// 1. Running requests are served first, in admission order. Each asks for its remaining prompt
///    (a chunk, capped by the token budget) or one decode token. When the cache cannot hold the
///    new tokens, the most recently admitted running request is preempted: its blocks are freed
///    (they stay in the prefix cache until reused) and it goes back to the front of the waiting
///    queue, to be recomputed. A request that would have to preempt itself waits.
/// 2. If nothing was preempted, waiting requests are admitted in FCFS order while the token
///    budget, `max_num_seqs` and the cache allow, each taking its prefix-cache hit first. The
///    first one that does not fit stops admission (no skipping ahead).
/// After the step's time has passed, every scheduled request advances by its tokens; one that
/// reaches the end of its known tokens samples a new one.
public struct Replica: Sendable {
    public let engine: EngineConfig
    public private(set) var kv: PagedKVCache
    let slidingWindow: Int?
    var requests: [RequestState] = []
    var freeSlots: [Int] = []
    var running: [Int] = []
    var waiting = Deque<Int>()
    /// Slots and token counts scheduled in the current step (reused buffers).
    var scheduledSlots: [Int] = []
    var scheduledTokens: [Int] = []
    var finishedBuffer: [FinishedRequest] = []
    var keepMask: [Bool] = []
    /// Preemptions so far.
    public private(set) var preemptions = 0
    /// Most bytes in referenced blocks at once.
    public private(set) var peakAllocatedBytes = 0.0
    /// Most bytes holding tokens at once.
    public private(set) var peakUsedBytes = 0.0

    public init(engine: EngineConfig, plan: KVMemoryPlan, model: ModelSpec) {
        self.engine = engine
        kv = PagedKVCache(plan: plan, prefixCaching: engine.enablePrefixCaching)
        slidingWindow = model.slidingWindowTokens
    }

    /// Requests waiting or running.
    public var activeRequests: Int { running.count + waiting.count }
    /// Requests running (admitted and holding KV).
    public var runningCount: Int { running.count }
    /// Requests waiting for admission.
    public var waitingCount: Int { waiting.count }

    /// Whether a request of this size could ever fit in the cache on its own.
    public func canEverFit(promptTokens: Int, outputTokens: Int) -> Bool {
        kv.blocksNeeded(forTokens: promptTokens + outputTokens, chunkTokens: engine.maxNumBatchedTokens)
            <= kv.pool.capacity
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

    /// Forms the next batch and describes its work; `nil` when there is nothing to run.
    ///
    /// - Complexity: O(batch) plus O(hit blocks) for each admitted request's prefix lookup.
    public mutating func scheduleStep() -> StepWorkload? {
        scheduledSlots.removeAll(keepingCapacity: true)
        scheduledTokens.removeAll(keepingCapacity: true)
        var budget = engine.maxNumBatchedTokens
        var preempted = false
        var work = StepWorkload()

        var i = 0
        while i < running.count, budget > 0 {
            let slot = running[i]
            var want = requests[slot].totalTokens - requests[slot].computedTokens
            if engine.longPrefillTokenThreshold > 0 { want = min(want, engine.longPrefillTokenThreshold) }
            let n = min(want, budget)
            var scheduled = false
            while true {
                if kv.allocate(&requests[slot], newTokens: n) { scheduled = true; break }
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
                let r = requests[slot]
                let hit = kv.findPrefixHit(for: r)
                var want = r.totalTokens - hit.tokens
                if engine.longPrefillTokenThreshold > 0 { want = min(want, engine.longPrefillTokenThreshold) }
                let n = min(want, budget)
                guard kv.allocate(&requests[slot], newTokens: n, hit: hit) else { break }
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
        return scheduledSlots.isEmpty ? nil : work
    }

    /// Applies the finished step at time `now`: advances every scheduled request, samples tokens,
    /// and returns the requests that finished (their KV freed). The returned buffer is reused by
    /// the next call.
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
                kv.free(&requests[slot])
                requests[slot].outputTokens = -1  // marks the slot for removal below
                anyFinished = true
            }
        }
        peakUsedBytes = max(peakUsedBytes, kv.usedBytes)
        if anyFinished {
            running.removeAll { slot in
                guard requests[slot].outputTokens < 0 else { return false }
                requests[slot].blockTables = []
                freeSlots.append(slot)
                return true
            }
        }
        return finishedBuffer
    }

    private mutating func preempt(_ slot: Int) {
        kv.free(&requests[slot])
        requests[slot].preemptions += 1
        preemptions += 1
        waiting.prepend(slot)
    }

    private mutating func add(slot: Int, tokens n: Int, to work: inout StepWorkload) {
        scheduledSlots.append(slot)
        scheduledTokens.append(n)
        let r = requests[slot]
        let start = r.computedTokens, end = start + n
        if end == r.totalTokens { work.sampledSequences += 1 }
        if n == 1 && end == r.totalTokens && r.outputTokens > 0 {
            work.decodeSequences += 1
            work.fullDecodeKVTokens += Double(end)
            if let w = slidingWindow { work.slidingDecodeKVTokens += Double(min(end, w)) }
        } else {
            work.prefillTokens += n
            work.prefillSequences += 1
            let dn = Double(n), ds = Double(start)
            work.fullPrefillAttentionPairs += dn * ds + dn * (dn + 1) / 2
            if let w = slidingWindow { work.slidingPrefillAttentionPairs += Self.slidingPairs(start: start, end: end, window: w) }
        }
    }

    /// Query-key pairs of a prefill chunk over positions `start..<end` in a layer with window `w`:
    /// the sum over queries i in start+1...end of min(i, w).
    static func slidingPairs(start: Int, end: Int, window w: Int) -> Double {
        if end <= w { return Double(start + 1 + end) * Double(end - start) / 2 }
        if start >= w { return Double(end - start) * Double(w) }
        return Double(start + 1 + w) * Double(w - start) / 2 + Double(end - w) * Double(w)
    }
}
