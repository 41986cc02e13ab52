import Foundation
import Testing

@testable import Workloads

@Suite struct DistributionTests {
    @Test func offsetAndClamp() {
        let rng = GSLRandom(seed: 1)
        let d = Distribution(.poisson(mean: 3), offset: 1, maximum: 4)
        let xs = (0..<10_000).map { _ in d.sampleInteger(using: rng) }
        #expect(xs.min()! >= 1)
        #expect(xs.max()! == 4)
        // P(1 + Poisson(3) <= 4) = P(Poisson(3) <= 3) = e^-3 (1 + 3 + 4.5 + 4.5) = 0.647; the rest is clamped to 4.
        let clampedShare = Double(xs.filter { $0 == 4 }.count) / 10_000
        let expected = 1 - exp(-3.0) * (1 + 3 + 4.5)  // P(Poisson >= 3)
        #expect(abs(clampedShare - expected) < 0.03)
    }

    @Test func constantAndUniformInteger() {
        let rng = GSLRandom(seed: 2)
        #expect(Distribution.constant(7).sampleInteger(using: rng) == 7)
        let u = Distribution(.uniformInteger(min: 12, max: 18))
        let xs = Set((0..<2_000).map { _ in u.sampleInteger(using: rng) })
        #expect(xs == Set(12...18))
    }

    @Test func lognormalConvenienceParameterisations() {
        // median m: mu = ln m; mean a with sigma s: mu = ln a - s^2/2.
        guard case .lognormal(let mu1, _) = Distribution.lognormal(median: 25, sigma: 1).kind,
            case .lognormal(let mu2, _) = Distribution.lognormal(mean: 100, sigma: 1).kind
        else {
            Issue.record("not lognormal")
            return
        }
        #expect(abs(mu1 - log(25)) < 1e-12)
        #expect(abs(mu2 - (log(100) - 0.5)) < 1e-12)
        #expect(abs(Distribution.lognormal(mean: 100, sigma: 1).unclampedMean! - 100) < 1e-9)
    }

    @Test func empiricalFollowsWeights() {
        let e = EmpiricalDistribution(values: [1, 2, 3], weights: [1, 0, 3])!
        let rng = GSLRandom(seed: 3)
        let xs = (0..<20_000).map { _ in e.sample(using: rng) }
        #expect(!xs.contains(2))
        let share3 = Double(xs.filter { $0 == 3 }.count) / 20_000
        #expect(abs(share3 - 0.75) < 0.02)
        #expect(abs(e.mean - 2.5) < 1e-12)
        #expect(EmpiricalDistribution(values: [], weights: nil) == nil)
        #expect(EmpiricalDistribution(values: [1], weights: [0]) == nil)
        #expect(EmpiricalDistribution(values: [1, 2], weights: [1]) == nil)
    }

    @Test(arguments: [
        (Distribution(.exponential(mean: 0)), "mean"),
        (Distribution(.lognormal(mu: 1, sigma: -1)), "sigma"),
        (Distribution(.gamma(shape: 0, scale: 1)), "shape"),
        (Distribution(.poisson(mean: 2e9)), "poisson"),
        (Distribution(.geometric(mean: 0.5)), "geometric"),
        (Distribution(.zipf(exponent: 1)), "zipf"),
        (Distribution(.constant(1), minimum: 5, maximum: 2), "min"),
        (Distribution(.constant(.nan)), "value"),
    ])
    func invalidParametersAreRejected(_ d: Distribution, _ word: String) {
        #expect(throws: WorkloadSpecError.self) { try d.validate(field: "f") }
        do {
            try d.validate(field: "turns")
        } catch {
            #expect(error.field == "turns")
            #expect(error.reason.contains(word))
        }
    }
}
