import Testing

@testable import Workloads

/// The dataset rules of the two SCBench harnesses, checked against what their code selects
/// (FastKVzip `prefill/eval.py` `get_data_list`; aiha-lab/tangram `scbench_local.py`
/// `get_data_list` and `benchmark_scbench.py`'s length check).
@Suite struct SCBenchDatasetSelectionTests {
    private func long(_ rule: SCBenchDatasetSelection, _ checkpoint: String, window: Int = 200_000) -> [SCBenchTask] {
        rule.tasks(in: .long, checkpoint: checkpoint, maxModelLenTokens: window, outputTokensPerConversation: 512)
    }

    private func mid(_ rule: SCBenchDatasetSelection, _ checkpoint: String, window: Int = 200_000) -> [SCBenchTask] {
        rule.tasks(in: .mid, checkpoint: checkpoint, maxModelLenTokens: window, outputTokensPerConversation: 512)
    }

    @Test func fullRunsEveryTaskForEveryModel() {
        for c in ["Qwen/Qwen3-4B", "meta-llama/Llama-3.1-8B-Instruct", "google/gemma-3-12b-it"] {
            #expect(long(.full, c) == SCBenchTask.tasks(in: .long))
            #expect(mid(.full, c) == SCBenchTask.tasks(in: .mid))
        }
    }

    @Test func fastKVzipShortensQwen3AndGemma3BaseNamesOnly() {
        // Base Qwen3 and gemma-3-12b-it (no "instruct" in the name): all three variants.
        for c in ["Qwen/Qwen3-4B", "Qwen/Qwen3-30B-A3B", "google/gemma-3-12b-it"] {
            #expect(long(.fastKVzip, c) == [.kvShort, .prefixSuffixShort, .summary, .vt], "\(c)")
            #expect(mid(.fastKVzip, c) == [.manyShot, .mfMid, .choiceEng, .qaEng, .repoqa], "\(c)")
        }
        // An instruct Qwen3 keeps kv and mf; prefix_suffix is still shortened.
        #expect(long(.fastKVzip, "Qwen/Qwen3-4B-Instruct-2507") == [.kv, .prefixSuffixShort, .summary, .vt])
        #expect(mid(.fastKVzip, "Qwen/Qwen3-4B-Instruct-2507") == SCBenchTask.tasks(in: .mid))
        // Other families run the full tasks, whatever the window.
        for c in ["meta-llama/Llama-3.1-8B-Instruct", "openai/gpt-oss-20b"] {
            #expect(long(.fastKVzip, c, window: 131_072) == SCBenchTask.tasks(in: .long))
        }
    }

    @Test func capacityFollowsTheWindow() {
        let llama = "meta-llama/Llama-3.1-8B-Instruct"
        // At or above 150,000 tokens the full tasks; kv (169,000 + query + 512) fits 200,000.
        #expect(long(.capacity, llama, window: 200_000) == SCBenchTask.tasks(in: .long))
        // Below it the short variants; summary and vt fit 131,072.
        #expect(long(.capacity, llama, window: 131_072) == [.kvShort, .prefixSuffixShort, .summary, .vt])
        // A conversation longer than the window is dropped: at 40,960 only the short variants remain.
        #expect(long(.capacity, "Qwen/Qwen3-4B", window: 40_960) == [.kvShort, .prefixSuffixShort])
        #expect(mid(.capacity, "Qwen/Qwen3-4B", window: 40_960) == [.choiceEng])
        // Gemma-3 runs mf_mid at any window; other models keep mf.
        #expect(mid(.capacity, "google/gemma-3-12b-it", window: 200_000).contains(.mfMid))
        #expect(mid(.capacity, llama, window: 200_000).contains(.mf))
        // The threshold is strict: exactly 150,000 keeps the full tasks where they fit.
        #expect(long(.capacity, llama, window: 150_000) == [.prefixSuffix, .summary, .vt])
    }

    @Test func aBasenameWorksLikeTheFullID() {
        #expect(long(.fastKVzip, "qwen3-4b") == long(.fastKVzip, "Qwen/Qwen3-4B"))
    }
}
