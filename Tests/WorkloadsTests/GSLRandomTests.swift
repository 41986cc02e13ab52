import Foundation
import Testing

@testable import Workloads

/// Statistical checks use tolerances of about 5 standard errors, so a correct sampler fails
/// with negligible probability and a wrong mean or shape fails reliably.
@Suite struct GSLRandomTests {
    @Test func sameSeedSameSequenceDifferentSeedDifferent() {
        let a = GSLRandom(seed: 42)
        let b = GSLRandom(seed: 42)
        let c = GSLRandom(seed: 43)
        let xa = (0..<100).map { _ in a.uniform() }
        let xb = (0..<100).map { _ in b.uniform() }
        let xc = (0..<100).map { _ in c.uniform() }
        #expect(xa == xb)
        #expect(xa != xc)
    }

    @Test func derivedStreamsAreDistinctAndIndependentOfOrder() {
        let seeds = (0..<1_000).map { GSLRandom.derivedSeed(master: 7, stream: UInt64($0)) }
        #expect(Set(seeds).count == seeds.count)
        #expect(GSLRandom.derivedSeed(master: 7, stream: 1) != GSLRandom.derivedSeed(master: 8, stream: 1))
        // Seeds that differ only in their high 32 bits still give different generators.
        let hi = GSLRandom(seed: 1 << 40)
        let lo = GSLRandom(seed: 0)
        #expect((0..<10).map { _ in hi.uniform() } != (0..<10).map { _ in lo.uniform() })
    }

    @Test func exponentialMean() {
        let rng = GSLRandom(seed: 1)
        let n = 100_000
        let mean = (0..<n).reduce(0.0) { s, _ in s + rng.exponential(mean: 2.5) } / Double(n)
        // standard error = 2.5 / sqrt(n) ~ 0.0079
        #expect(abs(mean - 2.5) < 0.04)
    }

    @Test func lognormalMedianAndMean() {
        let rng = GSLRandom(seed: 2)
        var xs = (0..<100_001).map { _ in rng.lognormal(mu: log(25.0), sigma: 0.5) }
        xs.sort()
        #expect(abs(xs[50_000] - 25) < 0.25)
        let mean = xs.reduce(0, +) / Double(xs.count)
        #expect(abs(mean - 25 * exp(0.125)) < 0.3)
    }

    @Test func gammaAndWeibullMeans() {
        let rng = GSLRandom(seed: 3)
        let n = 100_000
        let g = (0..<n).reduce(0.0) { s, _ in s + rng.gamma(shape: 0.5, scale: 4) } / Double(n)
        #expect(abs(g - 2) < 0.06)  // sd = sqrt(0.5)*4 = 2.83, se 0.009
        let w = (0..<n).reduce(0.0) { s, _ in s + rng.weibull(shape: 2, scale: 3) } / Double(n)
        #expect(abs(w - 3 * tgamma(1.5)) < 0.03)
    }

    @Test func discreteDraws() {
        let rng = GSLRandom(seed: 4)
        let n = 100_000
        let p = (0..<n).reduce(0) { s, _ in s + rng.poisson(mean: 4) }
        #expect(abs(Double(p) / Double(n) - 4) < 0.04)
        let g = (0..<n).map { _ in rng.geometric(successProbability: 0.25) }
        #expect(g.min() == 1)
        #expect(abs(Double(g.reduce(0, +)) / Double(n) - 4) < 0.06)
        let u = (0..<n).map { _ in rng.uniformInteger(below: 6) }
        #expect(u.min() == 0 && u.max() == 5)
    }

    @Test func zipfMatchesItsPMF() {
        // P(1) = 1 / zeta(2) = 6 / pi^2 and P(2) = P(1) / 4.
        let rng = GSLRandom(seed: 5)
        let n = 100_000
        let draws = (0..<n).map { _ in rng.zipf(exponent: 2) }
        let p1 = Double(draws.filter { $0 == 1 }.count) / Double(n)
        let p2 = Double(draws.filter { $0 == 2 }.count) / Double(n)
        #expect(abs(p1 - 6 / (Double.pi * Double.pi)) < 0.008)
        #expect(abs(p2 - 6 / (Double.pi * Double.pi) / 4) < 0.006)
        #expect(draws.allSatisfy { $0 >= 1 })
    }
}

@Suite struct GSLRandomGaussianTests {
    @Test func gaussianMeanAndSpread() {
        let rng = GSLRandom(seed: 6)
        let xs = (0..<100_000).map { _ in rng.gaussian(standardDeviation: 2) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let sd = (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)).squareRoot()
        #expect(abs(mean) < 0.035)  // se 0.0063
        #expect(abs(sd - 2) < 0.03)
    }
}
