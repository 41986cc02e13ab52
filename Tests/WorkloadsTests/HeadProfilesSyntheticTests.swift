import Foundation
import Testing

@testable import Workloads

@Suite struct HeadProfilesSyntheticTests {
    @Test func sameSeedSameProfileOtherSeedOtherProfile() throws {
        let a = try SyntheticHeadProfiles.profile(
            model: "llama-3.1-8b", scorer: .snapkv, layout: .crosslayer, samples: 6, seed: 7)
        let b = try SyntheticHeadProfiles.profile(
            model: "llama-3.1-8b", scorer: .snapkv, layout: .crosslayer, samples: 6, seed: 7)
        let c = try SyntheticHeadProfiles.profile(
            model: "llama-3.1-8b", scorer: .snapkv, layout: .crosslayer, samples: 6, seed: 8)
        #expect(a == b)
        #expect(a.csvText() == b.csvText())
        #expect(a.samples.map(\.ratios) != c.samples.map(\.ratios))
    }

    @Test func shapesFollowTheModels() throws {
        // Layer lists: dense models use every layer; gemma-3-12b's global layers are every sixth
        // (5, 11, ..., 47) and gpt-oss-20b's full layers are the odd ones (config.json files, as in
        // the GPUModel catalogue). qwen3-30b-a3b has 4 KV heads (config.json num_key_value_heads).
        let expected: [(String, [Int], Int)] = [
            ("qwen3-4b", Array(0..<36), 8),
            ("llama-3.1-8b", Array(0..<32), 8),
            ("gemma-3-12b", Array(stride(from: 5, through: 47, by: 6)), 8),
            ("gpt-oss-20b", Array(stride(from: 1, through: 23, by: 2)), 8),
            ("qwen3-30b-a3b", Array(0..<48), 4),
        ]
        for (model, layers, heads) in expected {
            let p = try SyntheticHeadProfiles.profile(model: model, scorer: .ea, layout: .perlayer, samples: 3, seed: 1)
            #expect(p.layerIndices == layers, "\(model)")
            #expect(p.kvHeadsPerLayer == heads, "\(model)")
            #expect(p.sampleCount == 3)
        }
        // Four scorers x two layouts for the first four models, ea only for qwen3-30b-a3b.
        #expect(SyntheticHeadProfiles.available.count == 4 * 4 * 2 + 2)
    }

    @Test func unknownNamesAndBadCountsAreErrors() throws {
        #expect(throws: SyntheticHeadProfileError.self) {
            _ = try SyntheticHeadProfiles.profile(model: "no-such-model", scorer: .snapkv, layout: .crosslayer)
        }
        #expect(
            throws: SyntheticHeadProfileError.scorerUnavailable(
                model: "qwen3-30b-a3b", scorer: .snapkv, available: [.ea])
        ) {
            _ = try SyntheticHeadProfiles.profile(model: "qwen3-30b-a3b", scorer: .snapkv, layout: .crosslayer)
        }
        #expect(throws: SyntheticHeadProfileError.invalidSampleCount(0)) {
            _ = try SyntheticHeadProfiles.profile(model: "qwen3-4b", scorer: .snapkv, layout: .crosslayer, samples: 0)
        }
        // The measured files' model stems and other spellings resolve to the catalogue names.
        #expect(SyntheticHeadProfiles.canonicalModelName("Llama-3.1-8B-Instruct") == "llama-3.1-8b")
        #expect(SyntheticHeadProfiles.canonicalModelName("qwen3-30b-a3b-instruct-2507") == "qwen3-30b-a3b")
        #expect(SyntheticHeadProfiles.canonicalModelName("gemma_3_12b_it") == "gemma-3-12b")
        #expect(HeadScorer(name: "Expected-Attention") == .ea)
        #expect(
            SyntheticHeadProfileKey(measuredPath: "x/fastkvzip/gpt-oss-20b_perlayer.csv")
                == SyntheticHeadProfileKey(model: "gpt-oss-20b", scorer: .fastkvzip, layout: .perlayer))
    }

    @Test(arguments: SyntheticHeadProfiles.available)
    func samplesAreValidAndConserveTheirLevel(_ key: SyntheticHeadProfileKey) throws {
        let params = try SyntheticHeadProfiles.parameters(model: key.model, scorer: key.scorer, layout: key.layout)
        let p = params.generate(samples: 5, seed: 3)
        for s in p.samples {
            let ceiling = Double(s.promptTokens - s.windowTokens) / Double(s.promptTokens)
            #expect(s.ratios.allSatisfy { $0 >= 0 && $0 <= ceiling + 1e-6 })
            #expect(params.promptTokens.contains(s.promptTokens))
            // The sample's mean ratio is the fitted level A + B / P (up to 6-decimal rounding).
            let level = params.levelIntercept + params.levelSlopeTokens / Double(s.promptTokens)
            #expect(abs(s.meanRatio - level) < 1e-5, "\(key): sample mean \(s.meanRatio) vs level \(level)")
        }
        // Written and read back, the profile is unchanged (ratios carry 6 decimals).
        let back = try HeadProfileReader.parse(p.csvText(), fileName: p.name)
        #expect(back == p)
    }

    @Test func fittingRecoversTheGeneratingLevelAndDeadFraction() throws {
        // A profile generated from known parameters, then refitted. The level line is exact in
        // the generator (each sample's mean is A + B / P), so A and B come back almost exactly; the
        // dead-head fraction comes back as the realised share of dead heads (here out of 1024).
        var params = try SyntheticHeadProfiles.parameters(model: "qwen3-4b", scorer: .ea, layout: .crosslayer)
        params.layerIndices = Array(0..<128)
        let p = params.generate(samples: 40, seed: 11)
        let fit = SyntheticHeadProfileParameters(fitting: p)
        #expect(abs(fit.levelIntercept - params.levelIntercept) < 1e-3)
        #expect(abs(fit.levelSlopeTokens / params.levelSlopeTokens - 1) < 0.01)
        // Binomial(1024, p0) has a standard deviation below 0.016 in fraction terms.
        #expect(abs(fit.deadHeadFraction - params.deadHeadFraction) < 0.05)
        #expect(fit.kvHeadsPerLayer == params.kvHeadsPerLayer && fit.layerIndices == params.layerIndices)
    }

    @Test(.enabled(if: HeadProfilesTestSupport.measuredAvailable, "needs ../shared/head_profiles"))
    func compiledParametersAreTheFitsOfTheMeasuredFiles() throws {
        #expect(HeadProfilesTestSupport.measured.count == SyntheticHeadProfiles.fitted.count)
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-7 * max(abs(a), abs(b), 1e-3) }
        for (file, result) in HeadProfilesTestSupport.measured {
            let key = try #require(SyntheticHeadProfileKey(measuredPath: file))
            let compiled = try #require(SyntheticHeadProfiles.fitted[key], "\(key) missing")
            let p = try result.get()
            let fit = SyntheticHeadProfileParameters(fitting: p)
            #expect(
                compiled.layerIndices == fit.layerIndices && compiled.kvHeadsPerLayer == fit.kvHeadsPerLayer, "\(file)")
            #expect(compiled.promptTokens == fit.promptTokens && compiled.sinkTokens == fit.sinkTokens, "\(file)")
            #expect(compiled.windowTokens == fit.windowTokens, "\(file)")
            let pairs: [(String, Double, Double)] = [
                ("meanRatio", compiled.meanRatio, fit.meanRatio),
                ("deadHeadFraction", compiled.deadHeadFraction, fit.deadHeadFraction),
                ("logitMean", compiled.logitMean, fit.logitMean),
                ("logitStandardDeviation", compiled.logitStandardDeviation, fit.logitStandardDeviation),
                ("levelIntercept", compiled.levelIntercept, fit.levelIntercept),
                ("levelSlopeTokens", compiled.levelSlopeTokens, fit.levelSlopeTokens),
                ("deviationScale", compiled.deviationScale, fit.deviationScale),
                ("deviationExponent", compiled.deviationExponent, fit.deviationExponent),
            ]
            for (name, c, f) in pairs {
                #expect(close(c, f), "\(file) \(name): compiled \(c), refitted \(f)")
            }
        }
    }

    @Test(.enabled(if: HeadProfilesTestSupport.measuredAvailable, "needs ../shared/head_profiles"))
    func syntheticStatisticsLandNearTheMeasuredOnes() throws {
        // Brief tolerances: median Spearman within 0.1, mean ratio within 20%; also the mean
        // mu + 2 sigma budget within 20%. Synthetic values are averaged over seeds 1, 2, 3.
        for (file, result) in HeadProfilesTestSupport.measured {
            let key = try #require(SyntheticHeadProfileKey(measuredPath: file))
            let measured = try result.get()
            let m = HeadProfileStatistics(profile: measured)
            let mBudget = try HeadBudgets(profile: measured).meanBudget
            var spearman = 0.0, mean = 0.0, budget = 0.0
            for seed: UInt64 in 1...3 {
                let params = try #require(SyntheticHeadProfiles.fitted[key])
                let synthetic = params.generate(samples: measured.sampleCount, seed: seed)
                let s = HeadProfileStatistics(profile: synthetic)
                spearman += s.spearmanMedian / 3
                mean += s.meanRatio / 3
                budget += try HeadBudgets(profile: synthetic).meanBudget / 3
            }
            #expect(abs(spearman - m.spearmanMedian) <= 0.1, "\(file): median rho \(spearman) vs \(m.spearmanMedian)")
            #expect(abs(mean / m.meanRatio - 1) <= 0.2, "\(file): mean ratio \(mean) vs \(m.meanRatio)")
            #expect(abs(budget / mBudget - 1) <= 0.2, "\(file): mean budget \(budget) vs \(mBudget)")
        }
    }
}
