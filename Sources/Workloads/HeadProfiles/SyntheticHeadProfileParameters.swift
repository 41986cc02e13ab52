#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The fitted parameters of the synthetic head-profile model for one (model, scorer, layout).
///
/// The model reproduces the two-level regularity of measured retention (DOMAIN.md section 2):
///
/// 1. **A fixed head ranking.** Each head gets a mean ratio once: with probability
///    ``deadHeadFraction`` it is a *dead* head (ratio 0 in every sample: only sink and window kept);
///    otherwise `saturationRatio * logistic(logitMean + logitStandardDeviation * g)` with g standard
///    normal, conditioned on the result being at least ``deadHeadThreshold`` (a logit-normal,
///    heavy-tailed towards full retention). The means are then scaled so that their average is
///    ``meanRatio``.
/// 2. **Bounded per-sample deviation.** A sample takes a prompt length P from ``promptTokens``
///    (a seeded permutation, cycled, so 28 samples reproduce the measured mix exactly).
///    Its overall level is `(levelIntercept + levelSlopeTokens / P) / meanRatio`: the measured
///    per-sample mean ratio is almost exactly such a function of P, because the compressor keeps a
///    fixed fraction of the whole prompt and the window is a fixed number of tokens. Head h then
///    keeps `level * mu_h * (1 + cv_h * z)`, clamped to `[0, (P - window) / P]`, where z is standard
///    normal truncated to `[-deviationBound, deviationBound]` and
///    `cv_h = min(deviationScale * max(mu_h / meanRatio, 0.001)^deviationExponent, maximumRelativeDeviation)`.
///    Finally the heads below the ceiling are rescaled together so that the sample's mean ratio is
///    `levelIntercept + levelSlopeTokens / P` (what saturated heads cannot keep, the others do).
///
/// ``init(fitting:)`` estimates every parameter from a measured ``HeadProfile``; the fitted values for
/// the profiles in `head_profiles/` are compiled in (see ``SyntheticHeadProfiles``).
public struct SyntheticHeadProfileParameters: Sendable, Hashable {
    /// Truncation of the per-sample standard-normal deviation (a modelling choice, not fitted):
    /// no head strays more than 2.5 of its own deviations from its level-scaled mean.
    public static let deviationBound = 2.5
    /// Upper limit on a head's relative deviation cv_h (a modelling choice, not fitted), so that the
    /// power law cannot explode for nearly-dead heads.
    public static let maximumRelativeDeviation = 3.0
    /// A head whose mean ratio over all samples is below this counts as dead when fitting.
    public static let deadHeadThreshold = 1e-4

    /// The model layer indices the profile covers (full-attention layers only), ascending.
    public var layerIndices: [Int]
    /// KV heads per layer.
    public var kvHeadsPerLayer: Int
    /// Sink tokens of every sample.
    public var sinkTokens: Int
    /// Window tokens of every sample.
    public var windowTokens: Int
    /// The calibration prompt lengths (the `prompt_tokens` column); synthetic samples take them in a
    /// seeded random order, cycling.
    public var promptTokens: [Int]
    /// The mean ratio over all samples and heads.
    public var meanRatio: Double
    /// The fraction of heads whose mean ratio is below ``deadHeadThreshold``.
    public var deadHeadFraction: Double
    /// Mean of `logit(mu_h / saturationRatio)` over live heads.
    public var logitMean: Double
    /// Population standard deviation of `logit(mu_h / saturationRatio)` over live heads.
    public var logitStandardDeviation: Double
    /// A in the per-sample mean ratio `m(P) = A + B / P` (least squares over samples).
    public var levelIntercept: Double
    /// B (tokens) in `m(P) = A + B / P`; negative: shorter prompts leave less beyond the window.
    public var levelSlopeTokens: Double
    /// c in `cv_h = c * (mu_h / meanRatio)^k` (least squares in log-log over live heads).
    public var deviationScale: Double
    /// k in `cv_h = c * (mu_h / meanRatio)^k`.
    public var deviationExponent: Double

    /// Creates parameters from explicit values; see the type's discussion for their meaning.
    public init(
        layerIndices: [Int], kvHeadsPerLayer: Int, sinkTokens: Int, windowTokens: Int, promptTokens: [Int],
        meanRatio: Double, deadHeadFraction: Double, logitMean: Double, logitStandardDeviation: Double,
        levelIntercept: Double, levelSlopeTokens: Double, deviationScale: Double, deviationExponent: Double
    ) {
        precondition(!layerIndices.isEmpty && kvHeadsPerLayer > 0, "at least one head")
        precondition(
            !promptTokens.isEmpty && promptTokens.allSatisfy { $0 > windowTokens }, "prompts longer than the window")
        self.layerIndices = layerIndices
        self.kvHeadsPerLayer = kvHeadsPerLayer
        self.sinkTokens = sinkTokens
        self.windowTokens = windowTokens
        self.promptTokens = promptTokens
        self.meanRatio = meanRatio
        self.deadHeadFraction = deadHeadFraction
        self.logitMean = logitMean
        self.logitStandardDeviation = logitStandardDeviation
        self.levelIntercept = levelIntercept
        self.levelSlopeTokens = levelSlopeTokens
        self.deviationScale = deviationScale
        self.deviationExponent = deviationExponent
    }

    /// The mean over ``promptTokens`` of the largest possible ratio, `(P - window) / P`.
    public var saturationRatio: Double {
        promptTokens.map { Double($0 - windowTokens) / Double($0) }.reduce(0, +) / Double(promptTokens.count)
    }

    /// Generates a profile of `samples` samples, deterministically from `seed`.
    ///
    /// Draw order (fixed, so equal seeds give identical profiles): for each head in flat order one
    /// uniform (dead or live) and, for a live head, normals until one lands at or above the dead
    /// threshold (its mean); then a Fisher-Yates shuffle of ``promptTokens``
    /// (`count - 1` uniform integers), which sample s uses cyclically (`order[s % count]`); then for
    /// each sample and head one truncated normal. Ratios are rounded to 6 decimals
    /// (the precision of the measured files) and `kept = sink + window + round(ratio * P)`.
    ///
    /// - Parameters:
    ///   - samples: number of samples, at least 1.
    ///   - seed: the seed of the `gsl_rng_mt19937` generator (a ``GSLRandom``).
    ///   - name: the profile's ``HeadProfile/name``.
    public func generate(samples: Int, seed: UInt64, name: String = "synthetic") -> HeadProfile {
        precondition(samples >= 1, "at least one sample")
        let rng = GSLRandom(seed: seed)
        let heads = layerIndices.count * kvHeadsPerLayer
        let saturation = saturationRatio
        var means = [Double](repeating: 0, count: heads)
        // Live heads are fitted on means >= deadHeadThreshold, so draw them from the logit-normal
        // conditioned on that (rejection; after 1000 misses the head sits at the threshold).
        let lowestLogit = log(Self.deadHeadThreshold / (saturation - Self.deadHeadThreshold))
        for h in 0..<heads {
            if rng.uniform() < deadHeadFraction { continue }
            var logit = lowestLogit
            for _ in 0..<1000 {
                let candidate = logitMean + logitStandardDeviation * rng.standardNormalForHeadProfiles()
                if candidate >= lowestLogit {
                    logit = candidate
                    break
                }
            }
            means[h] = saturation / (1 + exp(-logit))
        }
        let average = means.reduce(0, +) / Double(heads)
        if average > 0 { means = means.map { $0 * meanRatio / average } }

        // Prompt lengths: a seeded permutation of the calibration lengths, cycled, so that every
        // run of promptTokens.count samples has exactly the measured mix.
        var order = promptTokens
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, rng.uniformInteger(below: i + 1))
        }
        var out: [HeadProfileSample] = []
        out.reserveCapacity(samples)
        for s in 0..<samples {
            let prompt = order[s % order.count]
            let p = Double(prompt)
            let level = meanRatio > 0 ? max(levelIntercept + levelSlopeTokens / p, 0) / meanRatio : 0
            let ceiling = Double(prompt - windowTokens) / p
            var ratios = [Double](repeating: 0, count: heads)
            var kept = [Int](repeating: 0, count: heads)
            for h in 0..<heads {
                let z = rng.truncatedStandardNormal(bound: Self.deviationBound)
                let share = meanRatio > 0 ? means[h] / meanRatio : 0
                let cv = min(deviationScale * pow(max(share, 0.001), deviationExponent), Self.maximumRelativeDeviation)
                ratios[h] = min(max(level * means[h] * (1 + cv * z), 0), ceiling)
            }
            Self.conserveTotal(&ratios, targetMean: level * meanRatio, ceiling: ceiling)
            for h in 0..<heads {
                ratios[h] = (ratios[h] * 1e6).rounded() / 1e6
                kept[h] = sinkTokens + windowTokens + Int((ratios[h] * p).rounded())
            }
            out.append(
                HeadProfileSample(
                    sampleID: s, promptTokens: prompt, sinkTokens: sinkTokens, windowTokens: windowTokens,
                    ratios: ratios, keptTokens: kept))
        }
        return HeadProfile(name: name, layerIndices: layerIndices, kvHeadsPerLayer: kvHeadsPerLayer, samples: out)
    }

    /// Rescales the heads strictly between 0 and `ceiling` so that the mean ratio is `targetMean`,
    /// re-clamping and repeating (at most 20 rounds) while heads saturate. The compressor keeps a
    /// fixed share of the prompt, so what one head loses to the ceiling the others keep.
    static func conserveTotal(_ ratios: inout [Double], targetMean: Double, ceiling: Double) {
        let n = Double(ratios.count)
        let target = min(max(targetMean, 0), ceiling) * n
        for _ in 0..<20 {
            var fixed = 0.0, free = 0.0
            for r in ratios {
                if r >= ceiling { fixed += r } else { free += r }
            }
            guard free > 0, abs(fixed + free - target) > 1e-12 * max(target, 1) else { return }
            let factor = max(target - fixed, 0) / free
            for h in ratios.indices where ratios[h] < ceiling {
                ratios[h] = min(ratios[h] * factor, ceiling)
            }
        }
    }
}
