import Testing

@testable import GPUModel

@Suite struct DecodeWaveSimulationTests {
    typealias Machine = DecodeWaveSimulation.Machine

    /// The hot path's time for `works`.
    static func fast(_ works: [Double], _ m: Machine) -> Double {
        var scratch = [Double](repeating: 0, count: WaveAccumulator.scratchCount(for: m))
        return scratch.withUnsafeMutableBufferPointer { buf in
            var waves = WaveAccumulator(machine: m, scratch: buf)
            for w in works { waves.add(w) }
            return waves.finish()
        }
    }

    static func both(_ works: [Double], _ m: Machine) -> (exact: Double, fast: Double) {
        (DecodeWaveSimulation.exactSeconds(ctaBytes: works, machine: m), fast(works, m))
    }

    /// Two resident CTAs of 10 and 20 bytes sharing 1 byte/s: 0.5 each until the first ends at
    /// t = 20, then the second streams its last 10 bytes alone at 1 byte/s: 30 s.
    @Test func twoCTAsShareTheBandwidth() {
        let r = Self.both([10, 20], Machine(slots: 2, bandwidth: 1, ctaCap: 1))
        #expect(abs(r.exact - 30) < 1e-9 && abs(r.fast - 30) < 1e-9)
    }

    /// Two slots, 1 byte/s each: CTA 0 (4 bytes) in slot 0, CTAs 1, 2, 3 (1 byte each) one after
    /// another in slot 1: the kernel ends with CTA 0 at t = 4.
    @Test func laterCTAsTakeTheFreedSlot() {
        let r = Self.both([4, 1, 1, 1], Machine(slots: 2, bandwidth: 2, ctaCap: 1))
        #expect(abs(r.exact - 4) < 1e-9 && abs(r.fast - 4) < 1e-9)
    }

    /// 2 bytes/s shared, 2 bytes/s cap: CTAs of 4 and 2 bytes run at 1 byte/s each until t = 2;
    /// the first then streams its last 2 bytes alone at 2 bytes/s: t = 3.
    @Test func aLoneCTASpeedsUpToItsCap() {
        let r = Self.both([4, 2], Machine(slots: 2, bandwidth: 2, ctaCap: 2))
        #expect(abs(r.exact - 3) < 1e-9 && abs(r.fast - 3) < 1e-9)
    }

    /// Four CTAs of 10 bytes capped at 5 bytes/s each take 2 s although 100 bytes/s are
    /// available: too few CTAs cannot use the bandwidth.
    @Test func fewCTAsAreCapBound() {
        let r = Self.both([10, 10, 10, 10], Machine(slots: 8, bandwidth: 100, ctaCap: 5))
        #expect(abs(r.exact - 2) < 1e-9 && abs(r.fast - 2) < 1e-9)
    }

    /// Sixteen equal CTAs filling every slot take their total bytes over the bandwidth.
    @Test func equalCTAsAreBandwidthBound() {
        let r = Self.both([Double](repeating: 50, count: 16), Machine(slots: 16, bandwidth: 100, ctaCap: 12.5))
        #expect(abs(r.exact - 8) < 1e-9 && abs(r.fast - 8) < 1e-9)
    }

    /// Property: the accumulator equals the event simulation, with every CTA resident from the
    /// start (random machines, caps from 1/slots to 4/slots of the bandwidth, random sizes).
    @Test func fastEqualsExactInOneWave() {
        var rng = SplitMix(seed: 7)
        for _ in 0..<300 {
            let slots = 1 + rng.int(64)
            let bw = 1 + rng.double() * 100
            let m = Machine(slots: slots, bandwidth: bw, ctaCap: bw / Double(slots) * (1 + 3 * rng.double()))
            let n = 1 + rng.int(slots)
            let works = (0..<n).map { _ in 1 + rng.double() * rng.double() * 1000 }
            let r = Self.both(works, m)
            #expect(abs(r.fast - r.exact) <= 1e-9 * r.exact, "n \(n) slots \(slots): fast \(r.fast) exact \(r.exact)")
        }
    }

    /// Property: the same with more CTAs than slots, on split-KV-like batches (requests of 8
    /// heads with heavy-tailed lengths, including runs of equal splits).
    @Test func fastEqualsExactWithQueuedCTAs() {
        var rng = SplitMix(seed: 11)
        for _ in 0..<80 {
            let slots = 2 + rng.int(100)
            let bw = 1e12 * (1 + rng.double())
            let m = Machine(slots: slots, bandwidth: bw, ctaCap: bw / Double(slots) * (0.5 + 3 * rng.double()))
            let splits = 1 + rng.int(4)
            var works: [Double] = []
            for _ in 0..<(1 + rng.int(3 * slots / 8 + 2)) {
                let context = 2000 + rng.double() * 60000
                for _ in 0..<8 {
                    let x = rng.double()
                    let tokens = 4128 + 0.6 * x * x * x * context
                    for _ in 0..<splits { works.append((tokens / Double(splits)).rounded(.up) * 512) }
                }
            }
            let r = Self.both(works, m)
            #expect(
                abs(r.fast - r.exact) <= 1e-9 * r.exact,
                "\(works.count) CTAs on \(slots) slots: fast \(r.fast) exact \(r.exact)")
        }
    }

    @Test func thresholdHandlesInexactShares() {
        // 1/132 of the bandwidth: exactly 132 CTAs saturate it, so 133 are needed to be bandwidth-bound.
        #expect(DecodeWaveSimulation.bandwidthBoundThreshold(bandwidth: 1, ctaCap: 1.0 / 132) == 133)
        #expect(DecodeWaveSimulation.bandwidthBoundThreshold(bandwidth: 1, ctaCap: 1) == 2)
    }
}

/// A small deterministic generator for test inputs (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func double() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Uniform in 0..<n.
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}
