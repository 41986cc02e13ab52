/// The hot path of ``DecodeWaveSimulation``: feed CTAs in launch order with ``add(_:)``, then read
/// the kernel's time from ``finish()``. Exact for the machine model (equal to
/// ``DecodeWaveSimulation/exactSeconds(ctaBytes:machine:)`` up to rounding), allocation-free (it
/// works in a caller-provided scratch buffer of ``scratchCount(for:)`` doubles) and
/// O(n log slots) for n CTAs (O(n) when they fit in one wave).
///
/// The first wave is only recorded. While CTAs are queued every slot is busy, so every CTA
/// streams at ``DecodeWaveSimulation/Machine/queueRate`` and the next CTA takes the slot whose
/// CTA finishes first: a heap of slots ordered by finish level (bytes streamed per CTA since the
/// start; ties to the lower slot). When the last CTA has started, the closed form
/// ``DecodeWaveSimulation/coResidentSeconds(_:bandwidth:ctaCap:)`` finishes the remaining work.
public struct WaveAccumulator {
    let machine: DecodeWaveSimulation.Machine
    let slots: Int
    // Scratch layout: level[slots] (finish level per heap position) | slot[slots] (slot per heap position)
    let level: UnsafeMutableBufferPointer<Double>
    let slot: UnsafeMutableBufferPointer<Double>
    /// CTAs added so far.
    public private(set) var ctas = 0
    var lastStartLevel = 0.0

    /// Doubles of scratch the accumulator needs.
    public static func scratchCount(for machine: DecodeWaveSimulation.Machine) -> Int { 2 * machine.slots }

    /// Starts an empty kernel in `scratch` (at least ``scratchCount(for:)`` doubles).
    public init(machine: DecodeWaveSimulation.Machine, scratch: UnsafeMutableBufferPointer<Double>) {
        precondition(scratch.count >= Self.scratchCount(for: machine), "scratch too small")
        self.machine = machine
        let n = machine.slots
        slots = n
        level = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
        slot = UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 * n)])
    }

    /// Adds the next CTA in launch order, `bytes` of work.
    @inline(__always)
    public mutating func add(_ bytes: Double) {
        let j = ctas
        ctas += 1
        if j < slots {
            level[j] = bytes
            slot[j] = Double(j)
            return
        }
        if j == slots { heapify() }
        // The slot whose CTA finishes first takes this one.
        lastStartLevel = Swift.max(lastStartLevel, level[0])
        level[0] = lastStartLevel + bytes
        siftDown(0)
    }

    /// The kernel's time: from the first CTA's start to the last one's end.
    public mutating func finish() -> Double {
        let bw = machine.bandwidth, cap = machine.ctaCap
        if ctas <= slots {
            return DecodeWaveSimulation.coResidentSeconds(
                UnsafeMutableBufferPointer(rebasing: level[0..<ctas]),
                bandwidth: bw, ctaCap: cap)
        }
        for i in 0..<slots { level[i] = Swift.max(0, level[i] - lastStartLevel) }
        return lastStartLevel / machine.queueRate
            + DecodeWaveSimulation.coResidentSeconds(level, bandwidth: bw, ctaCap: cap)
    }

    // MARK: - Heap of slots by finish level

    /// Earlier finish first; levels within ``DecodeWaveSimulation/tieTolerance`` are ties, which go
    /// to the lower slot.
    @inline(__always)
    func before(_ a: Int, _ b: Int) -> Bool {
        let la = level[a], lb = level[b]
        if abs(la - lb) <= DecodeWaveSimulation.tieTolerance * Swift.max(abs(la), abs(lb)) { return slot[a] < slot[b] }
        return la < lb
    }

    func heapify() {
        var i = slots / 2 - 1
        while i >= 0 {
            siftDown(i)
            i -= 1
        }
    }

    @inline(__always)
    func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < slots && before(l, smallest) { smallest = l }
            if r < slots && before(r, smallest) { smallest = r }
            if smallest == i { return }
            level.swapAt(i, smallest)
            slot.swapAt(i, smallest)
            i = smallest
        }
    }
}
