/// Synthetic head profiles with parameters fitted to the measured Tangram profiles.
///
/// Every (model, scorer, layout) in `head_profiles/` has compiled-in parameters
/// (``SyntheticHeadProfileParameters``, fitted by ``SyntheticHeadProfileParameters/init(fitting:)``),
/// so profiles can be generated without the measured files:
///
/// ```swift
/// let profile = try SyntheticHeadProfiles.profile(model: "llama-3.1-8b", scorer: .snapkv,
///                                                 layout: .crosslayer, samples: 28, seed: 1)
/// let budgets = try HeadBudgets(profile: profile)
/// ```
///
/// Models and shapes (full-attention layers x KV heads): qwen3-4b 36 x 8, llama-3.1-8b 32 x 8,
/// gemma-3-12b 8 x 8 (layers 5, 11, ..., 47), gpt-oss-20b 12 x 8 (layers 1, 3, ..., 23), each with
/// snapkv, keydiff, ea and fastkvzip; qwen3-30b-a3b 48 x 4, ea only. The measured qwen3-30b-a3b
/// files hold 48 x 2 heads because they were profiled per tensor-parallel rank (TP = 2); the
/// generator emits the model's 4 KV heads per layer with the per-head statistics of those 2.
public enum SyntheticHeadProfiles {
    /// The canonical model names with fitted parameters.
    public static let models = ["qwen3-4b", "llama-3.1-8b", "gemma-3-12b", "gpt-oss-20b", "qwen3-30b-a3b"]

    /// Maps a model name to its canonical form, ignoring case, `_`/` ` vs `-`, and the suffixes
    /// `-instruct-2507`, `-instruct`, `-it` (so the measured files' stems work too).
    ///
    /// - Returns: `nil` for a model without fitted parameters.
    public static func canonicalModelName(_ raw: String) -> String? {
        var key = String(raw.lowercased().map { $0 == "_" || $0 == " " ? "-" : $0 })
        if models.contains(key) { return key }
        for suffix in ["-instruct-2507", "-instruct", "-it"] where key.hasSuffix(suffix) {
            key = String(key.dropLast(suffix.count))
            break
        }
        return models.contains(key) ? key : nil
    }

    /// Every key with fitted parameters, in ``models`` order, then scorer, then layout.
    public static var available: [SyntheticHeadProfileKey] {
        models.flatMap { m in
            HeadScorer.allCases.flatMap { s in
                HeadProfileLayout.allCases.map { SyntheticHeadProfileKey(model: m, scorer: s, layout: $0) }
            }
        }.filter { fitted[$0] != nil }
    }

    /// The fitted parameters for a model, scorer and layout.
    ///
    /// - Throws: ``SyntheticHeadProfileError`` when the model or the scorer has no fit.
    public static func parameters(model: String, scorer: HeadScorer, layout: HeadProfileLayout)
        throws(SyntheticHeadProfileError) -> SyntheticHeadProfileParameters
    {
        guard let canonical = canonicalModelName(model) else { throw .unknownModel(model, known: models) }
        guard let p = fitted[SyntheticHeadProfileKey(model: canonical, scorer: scorer, layout: layout)] else {
            let scorers = HeadScorer.allCases.filter {
                fitted[SyntheticHeadProfileKey(model: canonical, scorer: $0, layout: layout)] != nil
            }
            throw .scorerUnavailable(model: canonical, scorer: scorer, available: scorers)
        }
        var shaped = p
        if let heads = modelKVHeadsPerLayer[canonical] { shaped.kvHeadsPerLayer = heads }
        return shaped
    }

    /// KV heads per layer where the model has more than its measured file lists. qwen3-30b-a3b has
    /// 4 (Qwen/Qwen3-30B-A3B config.json, `num_key_value_heads`); its measured profile holds the 2
    /// heads of one tensor-parallel rank (TP = 2, Tangram's `build_profile.py` profiles per rank).
    static let modelKVHeadsPerLayer: [String: Int] = ["qwen3-30b-a3b": 4]

    /// Generates a synthetic profile, deterministically from `seed`.
    ///
    /// - Parameters:
    ///   - model: a model name (see ``canonicalModelName(_:)``).
    ///   - scorer: the scorer whose measured profile the parameters were fitted to.
    ///   - layout: cross-layer or per-layer threshold.
    ///   - samples: how many calibration samples to generate (the measured files have 28).
    ///   - seed: the seed of the `gsl_rng_mt19937` generator.
    /// - Throws: ``SyntheticHeadProfileError``.
    public static func profile(
        model: String, scorer: HeadScorer, layout: HeadProfileLayout, samples: Int = 28, seed: UInt64 = 0
    ) throws(SyntheticHeadProfileError) -> HeadProfile {
        guard samples >= 1 else { throw .invalidSampleCount(samples) }
        let p = try parameters(model: model, scorer: scorer, layout: layout)
        let key = SyntheticHeadProfileKey(model: canonicalModelName(model)!, scorer: scorer, layout: layout)
        return p.generate(samples: samples, seed: seed, name: "synthetic:\(key):seed=\(seed)")
    }
}
