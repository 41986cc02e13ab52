import Foundation
import Testing

@testable import CUDARunner

@Suite struct HeadBudgetProfileTests {
    @Test func middleFractionFollowsTheDomainFormula() {
        // a = (r (P - S) - W) / (P - S - W) = (0.25 * 32736 - 4096) / 28640 = 4088 / 28640.
        let a = HeadBudgetProfile.middleFraction(promptTokens: 32768, keptRatio: 0.25, sinkTokens: 32, windowTokens: 4096)
        #expect(abs(a - 4088.0 / 28640.0) < 1e-12)
        // A prompt so short that sink + window already exceed the ratio keeps no middle.
        #expect(HeadBudgetProfile.middleFraction(promptTokens: 8192, keptRatio: 0.25, sinkTokens: 32, windowTokens: 4096) == 0)
    }

    @Test(arguments: [32768, 65536, 131_072])
    func keptTokensAverageToTheKeptRatio(prompt: Int) {
        // Mean kept = S + a (P - S - W) + W = r (P - S) + S whenever a >= 0 (r (P - S) >= W, so
        // P >= 16417 at r = 0.25) and the budgets can be scaled to mean a.
        for profile in [HeadBudgetProfile.syntheticHeavyTail, .snapKVLlama31_8B] {
            let kept = profile.keptTokens(promptTokens: prompt, keptRatio: 0.25).flatMap { $0 }
            let mean = Double(kept.reduce(0, +)) / Double(kept.count)
            let expected = 0.25 * Double(prompt - 32) + 32
            #expect(abs(mean - expected) <= 1, "\(profile.name) at \(prompt): mean \(mean), expected \(expected)")
            #expect(kept.allSatisfy { $0 >= 4128 && $0 <= prompt })
        }
    }

    @Test func keptTokensKeepTheRanking() {
        let profile = HeadBudgetProfile.syntheticHeavyTail
        let kept = profile.keptTokens(promptTokens: 65536, keptRatio: 0.25)[0]
        // Budgets rise with h by construction, so kept tokens must not fall.
        #expect(kept == kept.sorted())
        #expect(kept.first! < kept.last!)
    }

    @Test func promptsBelowTheWindowBudgetKeepSinkAndWindow() {
        // At 16384 tokens r (P - S) = 4088 < W = 4096: a = 0, every head keeps S + W = 4128.
        let kept = HeadBudgetProfile.snapKVLlama31_8B.keptTokens(promptTokens: 16384, keptRatio: 0.25)
        #expect(kept.allSatisfy { $0.allSatisfy { $0 == 4128 } })
    }

    @Test func shortPromptsKeepEverything() {
        let kept = HeadBudgetProfile.syntheticHeavyTail.keptTokens(promptTokens: 4000, keptRatio: 0.25)
        #expect(kept[0].allSatisfy { $0 == 4000 })
    }

    @Test func groupLengthsSortAndTakeTheGroupMaximum() {
        #expect(HeadBudgetProfile.groupLengths([5, 1, 9, 3], headsPerPage: 2) == [9, 3])
        #expect(HeadBudgetProfile.groupLengths([5, 1, 9, 3], headsPerPage: 4) == [9])
        #expect(HeadBudgetProfile.groupLengths([5, 1, 9, 3], headsPerPage: 1) == [9, 5, 3, 1])
    }

    @Test func syntheticProfileFollowsItsFormula() {
        let b = HeadBudgetProfile.syntheticHeavyTail.budgets[0]
        #expect(b.count == 8)
        // h = 0: 0.02 + 0.9 * (1/16)^4; h = 7: 0.02 + 0.9 * (15/16)^4.
        #expect(abs(b[0] - (0.02 + 0.9 / 65536)) < 1e-15)
        #expect(abs(b[7] - (0.02 + 0.9 * 50625 / 65536)) < 1e-15)
    }

    static let sharedProfile: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("shared/head_profiles/snapkv/llama-3.1-8b-instruct_crosslayer.csv").path
    }()

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedProfile), "needs ../shared/head_profiles"))
    func embeddedSnapKVBudgetsMatchTheSharedProfile() throws {
        // Recompute mu + 2 sigma (population) per (layer, head) from the CSV, independently of the code.
        let text = try String(contentsOfFile: Self.sharedProfile, encoding: .utf8)
        var ratios: [Int: [Int: [Double]]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            let layer = Int(f[4])!, head = Int(f[5])!, ratio = Double(f[7])!
            ratios[layer, default: [:]][head, default: []].append(ratio)
        }
        let profile = HeadBudgetProfile.snapKVLlama31_8B
        #expect(profile.layerCount == ratios.count)
        for (layer, heads) in ratios {
            for (head, values) in heads {
                let mean = values.reduce(0, +) / Double(values.count)
                let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
                let budget = min(1, max(0, mean + 2 * sd))
                #expect(abs(profile.budgets[layer][head] - budget) <= 5.1e-5, "layer \(layer) head \(head)")
            }
        }
    }
}
