import Testing
import Workloads

@testable import TangramSim

/// Static budgets: what they add up to under each ``ReservationTotal``.
@Suite struct RetentionTableTests {
    let profile = HeadwiseFixture.profile
    let groups = [[0, 1, 2, 3, 4, 5, 6, 7]]

    func table(_ reservation: ReservationTotal, alpha: Double = 2) -> RetentionTable {
        RetentionTable(profile: profile, budget: .reserved, groups: groups, alpha: alpha,
                       calibrationSamples: nil, reservation: reservation)
    }

    func cells(_ t: RetentionTable, bin: Int) -> [Double] {
        (0..<t.cellCount).map { t.cellRatio(variant: 0, bin: bin, cell: $0) }
    }

    @Test("kept reservations spend exactly the bin's middle fraction on average")
    func keptTotal() {
        let t = table(.kept)
        for bin in [5, 10, 25, 40] {
            let a = Double(bin) / Double(RetentionTable.binCount - 1)
            let r = cells(t, bin: bin)
            let mean = r.reduce(0, +) / Double(r.count)
            #expect(abs(mean - a) < 1e-6, "bin \(bin): mean \(mean) vs \(a)")
            #expect(r.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }

    @Test("headroom reservations exceed the kept total, and both rank heads alike")
    func headroomExceedsKept() {
        let kept = table(.kept), headroom = table(.headroom)
        let bin = 10
        let a = Double(bin) / Double(RetentionTable.binCount - 1)
        let k = cells(kept, bin: bin), h = cells(headroom, bin: bin)
        #expect(h.reduce(0, +) / Double(h.count) > a + 0.01)
        for i in k.indices { for j in k.indices where h[i] < h[j] { #expect(k[i] <= k[j]) } }
    }

    @Test("kept reservations are the measured mu + alpha sigma, scaled by one factor while none saturates")
    func keptFollowsMeasuredShape() {
        // mu + 2 sigma per head over the fixture's three samples, computed here from the raw ratios.
        let n = Double(profile.samples.count)
        let shape = (0..<8).map { h -> Double in
            let x = profile.samples.map { $0.ratios[h] }
            let mu = x.reduce(0, +) / n
            let sigma = (x.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / n).squareRoot()
            return min(1, mu + 2 * sigma)
        }
        // Bin 5 (a = 0.1) is well below every head's saturation: one common factor.
        let r = cells(table(.kept), bin: 5)
        let factor = 0.1 / (shape.reduce(0, +) / 8)
        for h in 0..<8 { #expect(abs(r[h] - shape[h] * factor) < 1e-9, "head \(h)") }
    }
}
