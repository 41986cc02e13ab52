/// Decode attention as thread blocks (CTAs) in waves over the GPU: the exact event simulation and
/// the closed form behind the cost model's hot path (``WaveAccumulator``).
///
/// The machine (docs/cost-model.md, "Decode attention"):
/// - `slots` CTAs are resident at once (SMs x resident CTAs per SM); later CTAs start, in launch
///   order, in the first slot that frees (ties to the lower slot);
/// - the resident CTAs share the kernel's `bandwidth` equally, but none streams faster than
///   `ctaCap`: with `k` resident each runs at `min(ctaCap, bandwidth / k)`. A CTA's memory-level
///   parallelism is limited, so a few CTAs cannot use the whole GPU (measured on the H200: 128
///   CTAs of one per SM reach about 68% of the bandwidth that two per SM reach);
/// - a CTA's work is the bytes it streams; the kernel ends with its last CTA.
///
/// With every CTA resident from the start and works sorted from the largest, `v_1 >= v_2 >= ...`,
/// and `K = floor(bandwidth / ctaCap) + 1`, the kernel takes
/// `sum_i min(w_i, v_K) / bandwidth + (v_1 - v_K) / ctaCap` (`v_1 / ctaCap` with fewer than `K`
/// CTAs): bandwidth-bound while at least `K` CTAs run, then each straggler at its cap. That is how
/// the heaviest CTA holds a step. With more CTAs than slots every slot stays busy until the queue
/// empties, so every CTA runs at the same constant rate and the queue is greedy list scheduling;
/// the closed form then finishes what is left when the last CTA starts.
public enum DecodeWaveSimulation {
    /// The GPU as the simulation sees it.
    public struct Machine: Sendable, Hashable {
        /// CTAs resident at once.
        public var slots: Int
        /// Bytes/s all resident CTAs share.
        public var bandwidth: Double
        /// The most bytes/s one CTA streams.
        public var ctaCap: Double

        public init(slots: Int, bandwidth: Double, ctaCap: Double) {
            precondition(slots >= 1 && bandwidth > 0 && ctaCap > 0, "slots, bandwidth and cap must be positive")
            self.slots = slots
            self.bandwidth = bandwidth
            self.ctaCap = ctaCap
        }

        /// Bytes/s of each CTA while every slot is busy.
        public var queueRate: Double { min(ctaCap, bandwidth / Double(slots)) }
    }

    /// Relative difference below which two events are simultaneous (ties go to the lower slot,
    /// so that rounding never decides a placement).
    public static let tieTolerance = 1e-9

    /// The exact event simulation.
    ///
    /// - Parameter ctaBytes: each CTA's work in bytes, in launch order.
    /// - Returns: seconds from the first CTA's start to the last one's end.
    /// - Complexity: O(n x slots) for n CTAs (a reference, not the hot path).
    public static func exactSeconds(ctaBytes: [Double], machine: Machine) -> Double {
        // Every resident CTA progresses equally: `level` is the bytes each has streamed since the
        // start; a resident finishes when the level reaches its finish level.
        var finish = [Double](repeating: .infinity, count: machine.slots)
        var resident = 0, next = 0
        let n = ctaBytes.count
        while next < min(n, machine.slots) {
            finish[next] = ctaBytes[next]
            next += 1
            resident += 1
        }
        var level = 0.0, t = 0.0
        while resident > 0 {
            var slot = -1
            for i in 0..<machine.slots where finish[i].isFinite {
                if slot < 0 || finish[i] < finish[slot] - tieTolerance * abs(finish[slot]) { slot = i }
            }
            let rate = min(machine.ctaCap, machine.bandwidth / Double(resident))
            t += (finish[slot] - level) / rate
            level = max(level, finish[slot])
            if next < n {
                finish[slot] = level + ctaBytes[next]
                next += 1
            } else {
                finish[slot] = .infinity
                resident -= 1
            }
        }
        return t
    }

    /// The closed form for CTAs that are all resident from the start (see the type's
    /// discussion). Reorders `works` in place (a partial selection).
    ///
    /// - Complexity: O(n) expected.
    public static func coResidentSeconds(
        _ works: UnsafeMutableBufferPointer<Double>, bandwidth: Double,
        ctaCap: Double
    ) -> Double {
        let n = works.count
        guard n > 0 else { return 0 }
        let k = bandwidthBoundThreshold(bandwidth: bandwidth, ctaCap: ctaCap)
        if n < k {
            var top = 0.0
            for w in works { top = max(top, w) }
            return top / ctaCap
        }
        selectLargest(works, k)
        let vK = works[k - 1]
        var top = vK, below = 0.0
        for i in 0..<(k - 1) { top = max(top, works[i]) }
        for i in k..<n { below += works[i] }
        return (Double(k) * vK + below) / bandwidth + (top - vK) / ctaCap
    }

    /// The smallest number of resident CTAs that saturates `bandwidth`: `floor(bandwidth / ctaCap) + 1`.
    public static func bandwidthBoundThreshold(bandwidth: Double, ctaCap: Double) -> Int {
        let q = bandwidth / ctaCap
        guard q.isFinite else { return Int.max }
        // Guard against 1/x rounding just below an integer (132.0 read as 131.99999999999997).
        return Int((min(q, 1e9) * (1 + 1e-12)).rounded(.down)) + 1
    }

    /// Partially orders `a` so that its `k` largest values come first and `a[k-1]` is the k-th
    /// largest (Hoare quickselect with median-of-three pivots; deterministic).
    static func selectLargest(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int) {
        var lo = 0, hi = a.count - 1
        let target = k - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if a[mid] > a[lo] { a.swapAt(mid, lo) }
            if a[hi] > a[lo] { a.swapAt(hi, lo) }
            if a[hi] > a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] > pivot { i += 1 }
                while a[j] < pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if target <= j {
                hi = j
            } else if target >= i {
                lo = i
            } else {
                return
            }
        }
    }
}
