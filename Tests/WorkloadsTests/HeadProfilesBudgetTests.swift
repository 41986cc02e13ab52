import Testing

@testable import Workloads

@Suite struct HeadProfilesBudgetTests {
    /// Four samples of one layer with four heads (ratios[sample][head]).
    ///
    /// head 0: 0.1 0.3 0.1 0.3 -> mu 0.2, population sigma 0.1 (sample sigma would be 0.11547)
    /// head 1: 0   0   0   0.4 -> mu 0.1, population variance (3 * 0.01 + 0.09) / 4 = 0.03
    /// head 2: 0.9 0.5 0.9 0.5 -> mu 0.7, population sigma 0.2, mu + 2 sigma = 1.1 -> clamped to 1
    /// head 3: 0.2 0.2 0.2 0.2 -> mu 0.2, sigma 0
    static let ratios: [[Double]] = [
        [0.1, 0.0, 0.9, 0.2],
        [0.3, 0.0, 0.5, 0.2],
        [0.1, 0.0, 0.9, 0.2],
        [0.3, 0.4, 0.5, 0.2],
    ]
    static let profile = HeadProfilesTestSupport.profile(ratios, layers: [0], kvHeads: 4)

    @Test func meanPlusTwoPopulationSigma() throws {
        let b = try HeadBudgets(profile: Self.profile)
        #expect(b.alpha == 2)
        #expect(b.calibrationSampleCount == 4)
        let expectedMeans = [0.2, 0.1, 0.7, 0.2]
        let expectedSigmas = [0.1, 0.03.squareRoot(), 0.2, 0]
        let expectedBudgets = [0.4, 0.1 + 2 * 0.03.squareRoot(), 1.0, 0.2]
        for h in 0..<4 {
            #expect(abs(b.meanRatios[h] - expectedMeans[h]) < 1e-12)
            #expect(abs(b.standardDeviations[h] - expectedSigmas[h]) < 1e-12)
            #expect(abs(b.budgets[h] - expectedBudgets[h]) < 1e-12)
        }
        #expect(abs(b.budget(layerPosition: 0, kvHead: 1) - 0.446410161513775) < 1e-12)
        #expect(abs(b.meanBudget - expectedBudgets.reduce(0, +) / 4) < 1e-12)
    }

    @Test func clampsToZeroAndOne() throws {
        // alpha = 3: head 2 -> 0.7 + 0.6 = 1.3 -> 1. alpha = -5: head 0 -> 0.2 - 0.5 -> 0.
        let high = try HeadBudgets(profile: Self.profile, alpha: 3)
        #expect(high.budgets[2] == 1)
        let low = try HeadBudgets(profile: Self.profile, alpha: -5)
        #expect(low.budgets[0] == 0)
        #expect(low.budgets[3] == 0.2)
        #expect((high.budgets + low.budgets).allSatisfy { (0...1).contains($0) })
    }

    @Test func calibratesOnTheFirstNSamples() throws {
        // First two samples: head 0 -> 0.1, 0.3: mu 0.2, sigma 0.1; head 1 -> 0, 0: budget 0;
        // head 2 -> 0.9, 0.5: mu 0.7, sigma 0.2.
        let b = try HeadBudgets(profile: Self.profile, alpha: 1, calibrationSamples: 2)
        #expect(b.calibrationSampleCount == 2)
        #expect(abs(b.budgets[0] - 0.3) < 1e-12)
        #expect(b.budgets[1] == 0)
        #expect(abs(b.budgets[2] - 0.9) < 1e-12)
        let one = try HeadBudgets(profile: Self.profile, calibrationSamples: 1)
        #expect(one.budgets == Self.ratios[0])
    }

    @Test func rankingIsByMeanThenIndex() throws {
        let b = try HeadBudgets(profile: Self.profile)
        // means 0.2, 0.1, 0.7, 0.2: head 2, then heads 0 and 3 tied (lower index first), then 1.
        #expect(b.ranking == [2, 0, 3, 1])
        // budgets 0.4, 0.446, 1.0, 0.2
        #expect(b.budgetRanking == [2, 1, 0, 3])
        #expect(b.budgetsByLayer.count == 1 && b.budgetsByLayer[0] == b.budgets)
    }

    @Test func budgetsByLayerSplitsRows() throws {
        let p = HeadProfilesTestSupport.profile([[0.1, 0.2, 0.3, 0.4]], layers: [5, 11], kvHeads: 2)
        let b = try HeadBudgets(profile: p)
        #expect(b.budgetsByLayer == [[0.1, 0.2], [0.3, 0.4]])
        #expect(b.budget(layerPosition: 1, kvHead: 0) == 0.3)
        #expect(b.layerIndices == [5, 11])
    }

    @Test func rejectsBadArguments() {
        #expect(throws: HeadBudgetsError.calibrationSamplesOutOfRange(0, available: 4)) {
            _ = try HeadBudgets(profile: Self.profile, calibrationSamples: 0)
        }
        #expect(throws: HeadBudgetsError.calibrationSamplesOutOfRange(5, available: 4)) {
            _ = try HeadBudgets(profile: Self.profile, calibrationSamples: 5)
        }
        #expect(throws: HeadBudgetsError.self) {
            _ = try HeadBudgets(profile: Self.profile, alpha: .nan)
        }
    }
}
