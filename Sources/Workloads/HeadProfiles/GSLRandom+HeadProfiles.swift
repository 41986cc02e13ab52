#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension GSLRandom {
    /// A standard normal draw: the log of GSL's `gsl_ran_lognormal(rng, 0, 1)`, which GSL 2.7
    /// computes as `exp(normal)` with `normal` from the polar Box-Muller method. (``GSLRandom`` has
    /// no direct normal draw yet; the round trip through exp/log changes the value by at most a
    /// few ulps and is deterministic.)
    func standardNormalForHeadProfiles() -> Double {
        log(lognormal(mu: 0, sigma: 1))
    }

    /// A standard normal draw conditioned on `|z| <= bound`, by rejection.
    func truncatedStandardNormal(bound: Double) -> Double {
        precondition(bound >= 1, "rejection would be slow")
        while true {
            let z = standardNormalForHeadProfiles()
            if abs(z) <= bound { return z }
        }
    }
}
