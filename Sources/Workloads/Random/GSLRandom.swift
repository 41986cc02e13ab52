import CGSL
import Foundation

/// Turns GSL's abort-on-error handler off, once per process (GSL pitfall 2 in docs/SWIFT.md).
///
/// Global `let`s are initialised lazily and thread-safely, so touching this from any thread is
/// safe; Swift Testing runs tests in parallel in one process.
let gslErrorHandlerDisabled: Void = {
    _ = gsl_set_error_handler_off()
}()

/// A seeded Mersenne Twister (GSL's `mt19937`) and the draws that workload generators need.
///
/// Every random number in tangram-sim comes from one of these, so the same seed gives the same
/// workload, byte for byte. A generator is not thread-safe and not `Sendable`: give each stream
/// (arrivals, session bodies, ...) its own instance, seeded through
/// ``derivedSeed(master:stream:)``.
///
/// ```swift
/// let arrivals = GSLRandom(seed: 42, stream: RandomStream.arrivals)
/// let gap = arrivals.exponential(mean: 0.5)
/// ```
public final class GSLRandom {
    private let generator: UnsafeMutablePointer<gsl_rng>

    /// The seed this generator was created with (before the 32-bit fold that mt19937 applies).
    public let seed: UInt64

    /// Creates a generator seeded with `seed`.
    ///
    /// GSL's mt19937 keeps only 32 bits of its seed; the two halves of `seed` are folded
    /// together with XOR so that seeds differing only in their high bits still differ.
    public init(seed: UInt64) {
        _ = gslErrorHandlerDisabled
        guard let allocated = gsl_rng_alloc(cgsl_rng_mt19937()) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        generator = allocated
        self.seed = seed
        gsl_rng_set(generator, UInt(truncatingIfNeeded: (seed ^ (seed >> 32)) & 0xFFFF_FFFF))
    }

    /// Creates the generator of one independent stream derived from a master seed.
    ///
    /// - Parameters:
    ///   - seed: The workload's master seed.
    ///   - stream: Identifies the stream (see ``RandomStream``).
    public convenience init(seed: UInt64, stream: UInt64) {
        self.init(seed: GSLRandom.derivedSeed(master: seed, stream: stream))
    }

    deinit {
        gsl_rng_free(generator)
    }

    /// Derives the seed of stream `stream` from `master` with splitmix64.
    ///
    /// splitmix64 is a bijective mixer, so distinct `master ^ stream` values give distinct,
    /// well-scattered seeds; streams that share a master seed are statistically independent.
    ///
    /// - Returns: `splitmix64(master ^ (stream &* 0x9E3779B97F4A7C15))`.
    public static func derivedSeed(master: UInt64, stream: UInt64) -> UInt64 {
        var z = (master ^ (stream &* 0x9E37_79B9_7F4A_7C15)) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1).
    public func uniform() -> Double {
        gsl_rng_uniform(generator)
    }

    /// A uniform draw in (0, 1): never exactly zero.
    public func uniformPositive() -> Double {
        gsl_rng_uniform_pos(generator)
    }

    /// A uniform integer in `0 ..< upperBound`.
    ///
    /// - Precondition: `1 <= upperBound <= 4_294_967_295` (the range of mt19937).
    public func uniformInteger(below upperBound: Int) -> Int {
        precondition(upperBound >= 1 && upperBound <= 4_294_967_295, "uniformInteger bound out of range")
        return Int(gsl_rng_uniform_int(generator, UInt(upperBound)))
    }

    /// An exponential draw with the given mean (for example seconds between Poisson arrivals).
    public func exponential(mean: Double) -> Double {
        gsl_ran_exponential(generator, mean)
    }

    /// A normal draw with mean 0 and the given standard deviation (`gsl_ran_gaussian`).
    public func gaussian(standardDeviation: Double = 1) -> Double {
        gsl_ran_gaussian(generator, standardDeviation)
    }

    /// A lognormal draw: `exp(N(mu, sigma^2))`.
    ///
    /// - Parameters:
    ///   - mu: Mean of the underlying normal (the log of the median).
    ///   - sigma: Standard deviation of the underlying normal.
    public func lognormal(mu: Double, sigma: Double) -> Double {
        gsl_ran_lognormal(generator, mu, sigma)
    }

    /// A gamma draw with density `x^(shape-1) e^(-x/scale) / (Gamma(shape) scale^shape)`.
    ///
    /// The mean is `shape * scale`; the coefficient of variation is `1 / sqrt(shape)`.
    public func gamma(shape: Double, scale: Double) -> Double {
        gsl_ran_gamma(generator, shape, scale)
    }

    /// A Weibull draw with density `(shape/scale) (x/scale)^(shape-1) e^(-(x/scale)^shape)`.
    public func weibull(shape: Double, scale: Double) -> Double {
        gsl_ran_weibull(generator, scale, shape)
    }

    /// A Poisson draw with the given mean.
    ///
    /// - Precondition: `0 <= mean <= 1e9` (GSL returns an `unsigned int`).
    public func poisson(mean: Double) -> Int {
        precondition(mean >= 0 && mean <= 1e9, "poisson mean out of range")
        return Int(gsl_ran_poisson(generator, mean))
    }

    /// A geometric draw: the number of Bernoulli trials up to and including the first success,
    /// so at least 1, with mean `1 / successProbability`.
    ///
    /// - Precondition: `0 < successProbability <= 1`.
    public func geometric(successProbability: Double) -> Int {
        precondition(successProbability > 0 && successProbability <= 1, "geometric p out of range")
        return Int(gsl_ran_geometric(generator, successProbability))
    }

    /// A Zipf draw with `P(k) = k^-exponent / zeta(exponent)` for `k >= 1`, as numpy's
    /// `random.zipf` defines it.
    ///
    /// GSL has no Zipf sampler; this is Devroye's rejection method ("Non-Uniform Random Variate
    /// Generation", 1986, section X.6), the algorithm numpy uses, driven by this generator's
    /// uniforms. Draws beyond 2^53 are rejected and redrawn.
    ///
    /// - Precondition: `exponent > 1`.
    public func zipf(exponent: Double) -> Int {
        precondition(exponent > 1, "zipf exponent must exceed 1")
        let am1 = exponent - 1
        let b = pow2(am1)
        while true {
            let u = 1 - uniform()  // (0, 1]
            let v = uniform()
            let x = (u == 0 ? .infinity : pow(u, -1 / am1)).rounded(.down)
            guard x >= 1, x < 9_007_199_254_740_992 else { continue }
            let t = pow(1 + 1 / x, am1)
            if v * x * (t - 1) / (b - 1) <= t / b {
                return Int(x)
            }
        }
    }

    private func pow2(_ y: Double) -> Double { pow(2, y) }
}
