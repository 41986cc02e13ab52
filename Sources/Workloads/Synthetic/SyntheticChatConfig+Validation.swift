extension SyntheticChatConfig {
    /// Checks every parameter, so that ``SyntheticChatGenerator`` cannot fail.
    ///
    /// - Throws: ``WorkloadSpecError`` naming the first invalid field (spec-file names:
    ///   `sessions`, `arrival.rate_per_s`, `turns`, `think_time_s`, `first_input_tokens`, ...).
    public func validate() throws(WorkloadSpecError) {
        guard sessionCount >= 0 else {
            throw WorkloadSpecError(field: "sessions", reason: "must be a non-negative integer, got \(sessionCount)")
        }
        try arrival.validate(field: "arrival")
        try turnsPerSession.validate(field: "turns")
        try thinkTimeSeconds.validate(field: "think_time_s")
        try firstInputTokens.validate(field: "first_input_tokens")
        try followUpInputTokens.validate(field: "follow_up_input_tokens")
        try outputTokens.validate(field: "output_tokens")
        try contextTokens?.validate(field: "context_tokens")
        try sharedPrefixTokens?.validate(field: "shared_prefix_tokens")
        guard minimumMessageTokens >= 0, minimumMessageTokens <= 1 << 30 else {
            throw WorkloadSpecError(
                field: "minimum_message_tokens", reason: "must be in 0...2^30, got \(minimumMessageTokens)")
        }
        guard maxContextTokens >= 2, maxContextTokens <= 1 << 40 else {
            throw WorkloadSpecError(field: "max_context_tokens", reason: "must be in 2...2^40, got \(maxContextTokens)")
        }
    }
}

extension ArrivalProcess {
    /// Checks the rates and shape parameters.
    ///
    /// - Throws: ``WorkloadSpecError`` naming `field` and the problem.
    public func validate(field: String) throws(WorkloadSpecError) {
        func positive(_ x: Double, _ name: String) throws(WorkloadSpecError) {
            guard x.isFinite, x > 0 else {
                throw WorkloadSpecError(field: "\(field).\(name)", reason: "must be a positive number, got \(x)")
            }
        }
        switch self {
        case .poisson(let r), .uniform(let r):
            try positive(r, "rate_per_s")
        case .gamma(let r, let cv):
            try positive(r, "rate_per_s")
            try positive(cv, "cv")
        case .batch(let t):
            guard t.isFinite, t >= 0 else {
                throw WorkloadSpecError(field: "\(field).at_s", reason: "must be a non-negative number, got \(t)")
            }
        case .rateCurve(let curve):
            var previousEnd = -Double.infinity
            for (i, w) in curve.windows.enumerated() {
                let f = "\(field).windows[\(i)]"
                guard w.startSeconds.isFinite, w.startSeconds >= previousEnd, w.durationSeconds.isFinite,
                    w.durationSeconds > 0
                else {
                    throw WorkloadSpecError(
                        field: f, reason: "windows must have positive durations and must not overlap")
                }
                guard w.ratePerSecond.isFinite, w.ratePerSecond >= 0 else {
                    throw WorkloadSpecError(
                        field: f + ".rate", reason: "must be a non-negative number, got \(w.ratePerSecond)")
                }
                switch w.gapShape {
                case .exponential: break
                case .gamma(let s), .weibull(let s):
                    guard s.isFinite, s > 0 else {
                        throw WorkloadSpecError(field: f + ".shape", reason: "must be a positive number, got \(s)")
                    }
                }
                previousEnd = w.startSeconds + w.durationSeconds
            }
        }
    }
}
