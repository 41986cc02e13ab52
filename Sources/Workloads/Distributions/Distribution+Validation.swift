extension Distribution {
    /// Checks that the parameters are finite and in range, so that drawing cannot fail.
    ///
    /// - Parameter field: The field path to name in the error.
    /// - Throws: ``WorkloadSpecError`` naming `field` and the first problem found.
    public func validate(field: String) throws(WorkloadSpecError) {
        func fail(_ reason: String) -> WorkloadSpecError { WorkloadSpecError(field: field, reason: reason) }
        func finite(_ x: Double, _ name: String) throws(WorkloadSpecError) {
            guard x.isFinite else { throw fail("\(name) must be a finite number, got \(x)") }
        }
        func positive(_ x: Double, _ name: String) throws(WorkloadSpecError) {
            guard x.isFinite, x > 0 else { throw fail("\(name) must be a positive number, got \(x)") }
        }
        try finite(offset, "offset")
        if let lo = minimum { try finite(lo, "min") }
        if let hi = maximum { try finite(hi, "max") }
        if let lo = minimum, let hi = maximum, lo > hi {
            throw fail("min (\(lo)) exceeds max (\(hi))")
        }
        switch kind {
        case .constant(let v):
            try finite(v, "value")
        case .uniform(let lo, let hi):
            try finite(lo, "min")
            try finite(hi, "max")
            guard lo <= hi else { throw fail("uniform min (\(lo)) exceeds max (\(hi))") }
        case .uniformInteger(let lo, let hi):
            guard lo <= hi else { throw fail("uniform min (\(lo)) exceeds max (\(hi))") }
            guard hi - lo < 1 << 52 else { throw fail("uniform range too wide") }
        case .exponential(let m):
            try positive(m, "mean")
        case .lognormal(let mu, let sigma):
            try finite(mu, "mu")
            guard sigma.isFinite, sigma >= 0 else { throw fail("sigma must be a non-negative number, got \(sigma)") }
            guard mu + sigma * sigma / 2 < 700 else {
                throw fail("lognormal mean overflows (mu \(mu), sigma \(sigma))")
            }
        case .gamma(let shape, let scale), .weibull(let shape, let scale):
            try positive(shape, "shape")
            try positive(scale, "scale")
        case .poisson(let m):
            guard m.isFinite, m >= 0, m <= 1e9 else { throw fail("poisson mean must be in 0...1e9, got \(m)") }
        case .geometric(let m):
            guard m.isFinite, m >= 1 else { throw fail("geometric mean must be at least 1, got \(m)") }
        case .zipf(let s):
            guard s.isFinite, s > 1 else { throw fail("zipf alpha must exceed 1, got \(s)") }
        case .empirical:
            break
        }
    }
}
