import Testing

@testable import Workloads

@Suite struct HeadProfilesStatisticsTests {
    @Test func averageRanksShareTies() {
        #expect(RankCorrelation.averageRanks([10, 30, 20, 20]) == [1, 4, 2.5, 2.5])
        #expect(RankCorrelation.averageRanks([0, 0, 0]) == [2, 2, 2])
        #expect(RankCorrelation.averageRanks([]) == [])
    }

    @Test func spearmanHandComputed() {
        // No ties: d = [-1, 1, -1, 1, 0], rho = 1 - 6 * 4 / (5 * (25 - 1)) = 0.8.
        #expect(abs(RankCorrelation.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-12)
        #expect(abs(RankCorrelation.spearman([1, 2, 3], [10, 20, 30]) - 1) < 1e-12)
        #expect(abs(RankCorrelation.spearman([1, 2, 3], [3, 2, 1]) + 1) < 1e-12)
        // Ties: b = [5, 6, 7, 8, 7] has ranks [1, 2, 3.5, 5, 3.5]; centred ranks
        // a: [-2, -1, 0, 1, 2], b: [-2, -1, 0.5, 2, 0.5]; rho = 8 / sqrt(10 * 9.5).
        let tied = RankCorrelation.spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])
        #expect(abs(tied - 8 / (95.0).squareRoot()) < 1e-12)
        // A constant input has no ranking: 0, as in Tangram's validate.py.
        #expect(RankCorrelation.spearman([1, 2, 3], [4, 4, 4]) == 0)
    }

    @Test func percentilesInterpolateLinearly() {
        // Position q * (n - 1): q = 0.25 -> 0.75 -> 1 + 0.75 * (2 - 1).
        #expect(RankCorrelation.percentile([4, 1, 3, 2], 0.5) == 2.5)
        #expect(RankCorrelation.percentile([4, 1, 3, 2], 0.25) == 1.75)
        #expect(RankCorrelation.percentile([4, 1, 3, 2], 0) == 1)
        #expect(RankCorrelation.percentile([4, 1, 3, 2], 1) == 4)
        #expect(RankCorrelation.percentile([7], 0.9) == 7)
    }

    @Test func settlesOnlyWhenThePrefixRankingStaysStable() {
        // Heads A, B, C. All-sample means [0.5, 0.4, 0.3667]: A > B > C.
        // First sample alone ranks A > B > C (rho 1); the first two give means [0.3, 0.2, 0.55],
        // ranks [2, 1, 3] against [3, 2, 1]: rho -0.5; all three: rho 1. So it settles at 3, not 1.
        let p = HeadProfilesTestSupport.profile(
            [[0.6, 0.4, 0.2], [0.0, 0.0, 0.9], [0.9, 0.8, 0.0]], layers: [0], kvHeads: 3)
        let s = HeadProfileStatistics(profile: p)
        #expect(s.prefixSpearman.count == 3)
        #expect(abs(s.prefixSpearman[0] - 1) < 1e-12)
        #expect(abs(s.prefixSpearman[1] + 0.5) < 1e-12)
        #expect(abs(s.prefixSpearman[2] - 1) < 1e-12)
        #expect(s.samplesToSettle == 3)
        #expect(HeadProfileStatistics.settleThreshold == 0.95)
    }

    @Test func settlesEarlyWhenEveryPrefixAgrees() {
        // Sample 0 reverses the order (rho -1); afterwards the means are [0.3, 0.25, 0.2], which
        // already rank like the final [0.4, 0.3, 0.2]. Settles at 2.
        let p = HeadProfilesTestSupport.profile(
            [[0.0, 0.1, 0.2], [0.6, 0.4, 0.2], [0.6, 0.4, 0.2]], layers: [0], kvHeads: 3)
        let s = HeadProfileStatistics(profile: p)
        #expect(s.samplesToSettle == 2)
        // Per-sample rho vs the aggregate ranking A > B > C: -1, 1, 1.
        #expect(s.sampleSpearman.count == 3)
        #expect(abs(s.sampleSpearman[0] + 1) < 1e-12)
        #expect(abs(s.spearmanMin + 1) < 1e-12)
        #expect(abs(s.spearmanMedian - 1) < 1e-12)
        #expect(abs(s.spearmanMax - 1) < 1e-12)
    }

    @Test func ratioPercentilesMeanAndZeros() {
        // Ratios 0, 0.1, 0.2, 0.3 in sample 0 and 0, 0.3, 0.4, 0.5 in sample 1 (two layers x two heads).
        // All eight sorted: 0, 0, 0.1, 0.2, 0.3, 0.3, 0.4, 0.5; median at position 3.5 -> 0.25.
        // Per-head means: 0, 0.2, 0.3, 0.4; their median at position 1.5 -> 0.25; max 0.4.
        let p = HeadProfilesTestSupport.profile(
            [[0, 0.1, 0.2, 0.3], [0, 0.3, 0.4, 0.5]], layers: [0, 1], kvHeads: 2)
        let s = HeadProfileStatistics(profile: p)
        let median = s.ratioPercentiles.first { $0.fraction == 0.5 }!
        #expect(abs(median.value - 0.25) < 1e-12)
        #expect(s.ratioPercentiles.first!.value == 0 && s.ratioPercentiles.last!.value == 0.5)
        #expect(abs(s.meanRatioPercentiles.first { $0.fraction == 0.5 }!.value - 0.25) < 1e-12)
        #expect(abs(s.meanRatioPercentiles.last!.value - 0.4) < 1e-12)
        #expect(abs(s.meanRatio - 1.8 / 8) < 1e-12)
        #expect(s.zeroFraction == 0.25)
        // Within each layer both samples order the two heads as the aggregate does: rho 1.
        #expect(abs(s.perLayerSpearmanMean - 1) < 1e-12)
    }

    @Test func summaryJSONAndTextCarryTheNumbers() throws {
        let p = HeadProfilesTestSupport.profile(
            [[0.0, 0.1, 0.2], [0.6, 0.4, 0.2], [0.6, 0.4, 0.2]], layers: [4], kvHeads: 3)
        let summary = try HeadProfileSummary(profile: p, alpha: 2, calibrationSamples: 2)
        #expect(summary.samplesToSettle == 2)
        #expect(summary.calibrationSamples == 2)
        let json = summary.jsonText()
        for key in [
            "\"samples_to_settle\" : 2", "\"calibration_samples\" : 2", "\"settle_threshold\" : 0.95",
            "\"spearman_median\"", "\"ratio_percentiles\"", "\"budgets\"",
        ] {
            #expect(json.contains(key), "missing \(key)")
        }
        let text = summary.text()
        #expect(text.contains("samples to settle: 2"))
        // Budgets over the first two samples: head 0: 0.3 + 2 * 0.3 = 0.9; head 1: 0.25 + 2 * 0.15 = 0.55;
        // head 2: 0.2.
        #expect(text.contains("L4    0.900 0.550 0.200"))
    }

    @Test(.enabled(if: HeadProfilesTestSupport.measuredAvailable, "needs ../shared/head_profiles"))
    func measuredRankStabilityIsInTheDocumentedRange() throws {
        // DOMAIN.md section 4: rank stability (Spearman of a sample's ranking against the
        // aggregate) is about 0.65-0.98 across the measured profiles.
        for (file, result) in HeadProfilesTestSupport.measured {
            let p = try result.get()
            let s = HeadProfileStatistics(profile: p)
            #expect((0.6...0.99).contains(s.spearmanMedian), "\(file): median rho \(s.spearmanMedian)")
            #expect((1...p.sampleCount).contains(s.samplesToSettle), "\(file)")
            #expect(s.prefixSpearman.last! > 0.999999, "\(file)")
        }
    }
}
