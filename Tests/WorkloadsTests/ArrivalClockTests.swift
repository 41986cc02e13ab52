import Foundation
import Testing

@testable import Workloads

@Suite struct ArrivalClockTests {
    @Test func poissonRateAndOrder() {
        var clock = ArrivalClock(process: .poisson(ratePerSecond: 4), rng: GSLRandom(seed: 1))
        let times = (0..<40_000).compactMap { _ in clock.next() }
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        // 40,000 arrivals at 4/s take 10,000 s; sd of the sum = sqrt(40000)/4 = 50 s.
        #expect(abs(times.last! - 10_000) < 250)
    }

    @Test func gammaHasRequestedCV() {
        var clock = ArrivalClock(process: .gamma(ratePerSecond: 2, coefficientOfVariation: 3), rng: GSLRandom(seed: 2))
        var previous = 0.0
        var gaps: [Double] = []
        for _ in 0..<100_000 {
            let t = clock.next()!
            gaps.append(t - previous)
            previous = t
        }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let sd = (gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count)).squareRoot()
        #expect(abs(mean - 0.5) < 0.03)
        #expect(abs(sd / mean - 3) < 0.25)
    }

    @Test func uniformAndBatch() {
        var u = ArrivalClock(process: .uniform(ratePerSecond: 2), rng: GSLRandom(seed: 3))
        #expect((0..<4).compactMap { _ in u.next() } == [0, 0.5, 1, 1.5])
        var b = ArrivalClock(process: .batch(atSeconds: 5), rng: GSLRandom(seed: 3))
        #expect((0..<3).compactMap { _ in b.next() } == [5, 5, 5])
    }

    @Test func rateCurveFollowsWindowsAndEnds() {
        let curve = RateCurve(windows: [
            .init(startSeconds: 0, durationSeconds: 100, ratePerSecond: 10),
            .init(startSeconds: 100, durationSeconds: 100, ratePerSecond: 0),
            .init(startSeconds: 200, durationSeconds: 100, ratePerSecond: 30, gapShape: .gamma(shape: 0.5)),
            .init(startSeconds: 300, durationSeconds: 100, ratePerSecond: 20, gapShape: .weibull(shape: 0.7)),
        ])
        #expect(curve.meanRatePerSecond == 15)
        var clock = ArrivalClock(process: .rateCurve(curve), rng: GSLRandom(seed: 4))
        var times: [Double] = []
        while let t = clock.next() { times.append(t) }
        var perWindow = [0, 0, 0, 0]
        for t in times { perWindow[min(3, Int(t / 100))] += 1 }
        #expect(times.allSatisfy { $0 < 400 })
        #expect(perWindow[1] == 0)
        // Expected 1,000 / 3,000 / 2,000; gamma(0.5) gaps have CV sqrt(2), so allow ~6 sd.
        #expect(abs(perWindow[0] - 1_000) < 200)
        #expect(abs(perWindow[2] - 3_000) < 500)
        #expect(abs(perWindow[3] - 2_000) < 450)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
