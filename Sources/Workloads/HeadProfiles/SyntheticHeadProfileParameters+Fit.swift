import CGSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SyntheticHeadProfileParameters {
    /// Fits the synthetic model to a measured profile.
    ///
    /// - ``meanRatio``: mean of all ratios.
    /// - ``deadHeadFraction``: fraction of heads with mean ratio below ``deadHeadThreshold``.
    /// - ``logitMean``, ``logitStandardDeviation``: mean and population deviation of
    ///   `logit(mu_h / saturationRatio)` over the other heads (argument clamped to [1e-6, 1 - 1e-6]).
    /// - ``levelIntercept``, ``levelSlopeTokens``: least squares (`gsl_fit_linear`) of each sample's
    ///   mean ratio on `1 / promptTokens`; with a single distinct prompt length, A = meanRatio, B = 0.
    /// - ``deviationScale``, ``deviationExponent``: least squares (`gsl_fit_linear`) of `log cv_h` on
    ///   `log(mu_h / meanRatio)` over live heads with cv_h > 0, where cv_h is the population
    ///   coefficient of variation over samples of the head's ratio divided by its sample's level
    ///   `m_s / meanRatio` (so the prompt-driven level is not counted twice). With fewer than two
    ///   such heads, c is their mean cv and k = 0.
    ///
    /// Layers, KV heads per layer, sink and window (of the first sample) and the list of prompt
    /// lengths are copied from the profile.
    public init(fitting profile: HeadProfile) {
        _ = gslErrorHandlerDisabled  // GSL must not abort (see GSLRandom.swift)
        let first = profile.samples[0]
        let prompts = profile.samples.map(\.promptTokens)
        let window = first.windowTokens
        let saturation = prompts.map { Double($0 - window) / Double($0) }.reduce(0, +) / Double(prompts.count)
        let mu = profile.meanRatios
        let meanRatio = mu.reduce(0, +) / Double(mu.count)
        let live = mu.indices.filter { mu[$0] >= Self.deadHeadThreshold }
        let deadFraction = Double(mu.count - live.count) / Double(mu.count)

        var logitMean = 0.0, logitSD = 0.0
        if !live.isEmpty {
            let logits = live.map { h -> Double in
                let x = min(max(mu[h] / saturation, 1e-6), 1 - 1e-6)
                return log(x / (1 - x))
            }
            (logitMean, logitSD) = Self.meanAndPopulationDeviation(logits)
        }

        let levels = profile.samples.map(\.meanRatio)
        let inverse = prompts.map { 1 / Double($0) }
        var intercept = meanRatio, slope = 0.0
        if Set(prompts).count > 1 {
            (intercept, slope) = Self.linearFit(x: inverse, y: levels)
        }

        var logShare: [Double] = [], logCV: [Double] = []
        var cvs: [Double] = []
        if meanRatio > 0 {
            let scale = levels.map { $0 / meanRatio }
            for h in live {
                var normalised: [Double] = []
                for (s, sample) in profile.samples.enumerated() where scale[s] > 0 {
                    normalised.append(sample.ratios[h] / scale[s])
                }
                let (m, sd) = Self.meanAndPopulationDeviation(normalised)
                guard m > 0, sd > 0 else { continue }
                cvs.append(sd / m)
                logShare.append(log(mu[h] / meanRatio))
                logCV.append(log(sd / m))
            }
        }
        var deviationScale = 0.0, deviationExponent = 0.0
        if logShare.count >= 2 && Set(logShare).count > 1 {
            let (a, b) = Self.linearFit(x: logShare, y: logCV)
            deviationScale = exp(a)
            deviationExponent = b
        } else if !cvs.isEmpty {
            deviationScale = cvs.reduce(0, +) / Double(cvs.count)
        }

        self.init(
            layerIndices: profile.layerIndices, kvHeadsPerLayer: profile.kvHeadsPerLayer,
            sinkTokens: first.sinkTokens, windowTokens: window, promptTokens: prompts, meanRatio: meanRatio,
            deadHeadFraction: deadFraction, logitMean: logitMean, logitStandardDeviation: logitSD,
            levelIntercept: intercept, levelSlopeTokens: slope, deviationScale: deviationScale,
            deviationExponent: deviationExponent)
    }

    static func meanAndPopulationDeviation(_ xs: [Double]) -> (mean: Double, deviation: Double) {
        guard !xs.isEmpty else { return (0, 0) }
        let n = Double(xs.count)
        let m = xs.reduce(0, +) / n
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n
        return (m, v.squareRoot())
    }

    /// Ordinary least squares `y = c0 + c1 x` through GSL.
    static func linearFit(x: [Double], y: [Double]) -> (intercept: Double, slope: Double) {
        precondition(x.count == y.count && x.count >= 2)
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, sumsq = 0.0
        let status = x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                gsl_fit_linear(xp.baseAddress, 1, yp.baseAddress, 1, x.count, &c0, &c1, &cov00, &cov01, &cov11, &sumsq)
            }
        }
        precondition(status == 0, "gsl_fit_linear failed with status \(status)")
        return (c0, c1)
    }
}
