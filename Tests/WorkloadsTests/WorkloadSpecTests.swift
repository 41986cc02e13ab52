import Foundation
import Testing

@testable import Workloads

@Suite struct WorkloadSpecTests {
    /// Spec and grid files that cannot be read name the file; an oversized one says what it
    /// is not.
    @Test func unreadableFilesNameThemselves() throws {
        let missing = "/nonexistent-folder/spec.yaml"
        do {
            _ = try WorkloadSpec.load(path: missing)
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description.hasPrefix(missing) && error.description.contains("cannot open"), "\(error)")
        }
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: big) }
        try String(repeating: "# padding\n", count: 500_000).write(toFile: big, atomically: true, encoding: .utf8)
        do {
            _ = try SweepGridSpec.load(path: big)
            Issue.record("loaded a 5 MB grid")
        } catch {
            #expect(error.description.contains("larger than 4 MiB: not a sweep grid"), "\(error)")
        }
    }

    static let yaml = """
        # 500 chat sessions with a 200-token system prompt shared by all
        sessions: 500
        seed: 7
        preset: chat
        arrival:
          process: gamma
          rate_per_s: 1.5
          cv: 2
        turns: {distribution: geometric, mean: 4}
        shared_prefix_tokens: 200
        think_time_s: {distribution: exponential, mean: 30}
        output_tokens: {distribution: lognormal, median: 200, sigma: 0.5, max: 1024}
        max_context_tokens: 16384
        """

    @Test func yamlSpecOverridesItsPreset() throws {
        let spec = try WorkloadSpec.parse(text: Self.yaml, file: "w.yaml")
        #expect(spec.dialect == .tangram)
        #expect(spec.sessionCount == 500)
        #expect(spec.seed == 7)
        let configs = spec.configs()
        #expect(configs.count == 1)
        let c = configs[0]
        #expect(c.sessionCount == 500)
        #expect(c.seed == 7)
        #expect(c.arrival == .gamma(ratePerSecond: 1.5, coefficientOfVariation: 2))
        #expect(c.turnsPerSession == Distribution(.geometric(mean: 4)))
        #expect(c.sharedPrefixTokens == .constant(200))
        #expect(c.thinkTimeSeconds == Distribution(.exponential(mean: 30)))
        #expect(c.outputTokens == Distribution(.lognormal(mu: log(200), sigma: 0.5), maximum: 1_024))
        #expect(c.maxContextTokens == 16_384)
        // Fields not given keep the chat preset's values.
        #expect(c.firstInputTokens == SyntheticChatConfig.chat().firstInputTokens)
        var source = spec.source(sessions: 50)
        let sessions = try drain(&source)
        #expect(sessions.count == 50)
        #expect(
            sessions.allSatisfy { $0.sharedPrefix?.tokens == 200 && $0.turns.allSatisfy { $0.outputTokens <= 1_024 } })
    }

    @Test func jsonSpecParsesToTheSameWorkload() throws {
        let json = """
            {"sessions": 500, "seed": 7, "preset": "chat",
             "arrival": {"process": "gamma", "rate_per_s": 1.5, "cv": 2},
             "turns": {"distribution": "geometric", "mean": 4}, "shared_prefix_tokens": 200,
             "think_time_s": {"distribution": "exponential", "mean": 30},
             "output_tokens": {"distribution": "lognormal", "median": 200, "sigma": 0.5, "max": 1024},
             "max_context_tokens": 16384}
            """
        #expect(try WorkloadSpec.parse(text: json) == WorkloadSpec.parse(text: Self.yaml))
    }

    @Test func mixtureSplitsSessionsAndRate() throws {
        let text = """
            sessions: 90
            arrival: {process: poisson, rate_per_s: 3}
            mixture:
              - {weight: 2, preset: scbench-kv}
              - weight: 1
                turns: 2
                first_input_tokens: {distribution: empirical, values: [10, 20], weights: [1, 3]}
            """
        let spec = try WorkloadSpec.parse(text: text)
        let configs = spec.configs()
        #expect(configs.map(\.sessionCount) == [60, 30])
        #expect(configs.map(\.arrival) == [.poisson(ratePerSecond: 2), .poisson(ratePerSecond: 1)])
        var source = spec.source()
        let sessions = try drain(&source)
        #expect(sessions.count == 90)
        let kv = sessions.filter { $0.turns[0].newInputTokens == 169_000 + SCBenchTask.queryTokens }
        #expect(kv.count == 60)
        let others = sessions.filter { $0.turns[0].newInputTokens <= 20 }
        #expect(others.count == 30)
        #expect(Set(others.map { $0.turns[0].newInputTokens }).isSubset(of: [10, 20]))
        #expect(zip(sessions, sessions.dropFirst()).allSatisfy { $0.arrivalSeconds <= $1.arrivalSeconds })
    }

    @Test func empiricalFromAFileColumnRelativeToTheSpec() throws {
        let dir = ScratchFolder()
        _ = dir.write("lengths.csv", "conv,tokens\na,100\nb,300\n")
        let spec = dir.write(
            "w.yaml", "first_input_tokens: {distribution: empirical, file: lengths.csv, column: tokens}\n")
        let loaded = try WorkloadSpec.load(path: spec)
        guard case .empirical(let e) = loaded.configs()[0].firstInputTokens.kind else {
            Issue.record("not empirical")
            return
        }
        #expect(e.values == [100, 300])
        let bad = dir.write(
            "bad.yaml", "first_input_tokens: {distribution: empirical, file: lengths.csv, column: nope}\n")
        #expect { _ = try WorkloadSpec.load(path: bad) } throws: { error in
            (error as? WorkloadSpecError).map { $0.field == "first_input_tokens.file" && $0.line == 1 } ?? false
        }
    }

    @Test(arguments: [
        ("sessions: 10\nturns: {distribution: lognormal, median: 3}\n", 2, "turns.sigma"),
        ("sessions: 10\n\nturn: 3\n", 3, "turn"),
        ("arrival:\n  process: poisson\n  rate_per_s: -1\n", 3, "arrival.rate_per_s"),
        ("preset: nope\n", 1, "preset"),
        ("output_tokens: {distribution: zipf, alpha: 0.5}\n", 1, "output_tokens"),
        ("mixture:\n  - weight: 0\n", 2, "mixture[0].weight"),
        ("turns: {distribution: weird}\n", 1, "turns.distribution"),
        ("arrival: {process: gamma, rate_per_s: 1}\n", 1, "arrival.cv"),
    ])
    func errorsNameLineAndField(_ text: String, _ line: Int, _ field: String) {
        #expect {
            _ = try WorkloadSpec.parse(text: text, file: "w.yaml")
        } throws: { error in
            guard let e = error as? WorkloadSpecError else { return false }
            return e.file == "w.yaml" && e.line == line && e.field == field
        }
    }

    @Test func vllmRulesAreEnforcedForVLLMFiles() {
        let bad = """
            {"filetype": "generate_conversations", "num_conversations": 2, "text_files": ["a.txt"],
             "prompt_input": {"num_turns": {"distribution": "uniform", "min": 0, "max": 4},
                              "prefix_num_tokens": {"distribution": "constant", "value": 1},
                              "num_tokens": {"distribution": "constant", "value": 5}},
             "prompt_output": {"num_tokens": {"distribution": "constant", "value": 5}}}
            """
        #expect {
            _ = try WorkloadSpec.parse(text: bad, file: "v.json")
        } throws: { ($0 as? WorkloadSpecError)?.field == "prompt_input.num_turns.min" }
        let missing = #"{"filetype": "generate_conversations", "num_conversations": 2, "text_files": []}"#
        #expect(throws: WorkloadSpecError.self) { _ = try WorkloadSpec.parse(text: missing) }
    }
}
