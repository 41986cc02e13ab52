/// Which SCBench datasets a bucket runs for a given model.
///
/// SCBench-preprocessed (the dataset the Tangram code's benchmark loads) ships shorter variants
/// of three tasks: `kv_short`, `prefix_suffix_short` and `mf_mid`. The evaluation harnesses
/// substitute them for the full tasks for some models, so the "Long" bucket of one model need
/// not hold the same contexts as another's. Three rules:
///
/// - ``full``: every model runs the full tasks (SCBench's own task list).
/// - ``fastKVzip``: the rule of FastKVzip's `prefill/eval.py` (`get_data_list`), whose SCBench
///   helpers the Tangram benchmark adapted (aiha-lab/tangram
///   `benchmarks/tangram/scbench_local.py`: "formerly FastKVZip's prefill package"). It keys on
///   the lower-cased checkpoint basename (`prefill/model/load.py`: `model_id.split("/")[-1].lower()`):
///   a name containing "qwen3", "gemma3" or "gemma-3" runs `prefix_suffix_short`; such a name
///   without "instruct" also runs `kv_short` and `mf_mid` ("shorter version for models that
///   achieve near zero performance on specific tasks"). `Qwen/Qwen3-4B`,
///   `Qwen/Qwen3-30B-A3B` and `google/gemma-3-12b-it` take all three; Llama-3.1-8B-Instruct and
///   gpt-oss-20b run the full tasks.
/// - ``capacity``: the rule of the released helpers (`scbench_local.py`, `get_data_list`): when
///   `max_model_len` is below 150,000 tokens, `kv` and `prefix_suffix` become their `_short`
///   variants; a Gemma-3 model runs `mf_mid`; and `benchmark_scbench.py` drops every
///   conversation whose prompt plus generated tokens exceed `max_model_len`.
public enum SCBenchDatasetSelection: String, Sendable, Hashable, CaseIterable {
    /// Every model runs the full tasks.
    case full
    /// FastKVzip's model-family rule.
    case fastKVzip = "fastkvzip"
    /// The released Tangram helpers' rule by context window.
    case capacity

    /// The `max_model_len` below which ``capacity`` substitutes the `_short` variants
    /// (`scbench_local.py`: `max_model_len < 150_000`).
    public static let capacityThresholdTokens = 150_000

    /// The tasks of `bucket` this rule runs for the checkpoint `checkpoint` (a Hugging Face id
    /// such as `Qwen/Qwen3-4B`, or its basename) served with a window of `maxModelLenTokens`.
    /// `outputTokensPerConversation` is what each conversation generates (512 under
    /// ``SCBenchProtocol/performance``); ``capacity`` drops a task whose context plus one query
    /// plus that output exceeds the window. The order is the bucket's task order.
    public func tasks(
        in bucket: SCBenchTask.Bucket, checkpoint: String, maxModelLenTokens: Int,
        outputTokensPerConversation: Int
    ) -> [SCBenchTask] {
        let name = (checkpoint.split(separator: "/").last.map(String.init) ?? checkpoint).lowercased()
        let gemma = name.contains("gemma3") || name.contains("gemma-3")
        return SCBenchTask.tasks(in: bucket).compactMap { task in
            switch self {
            case .full:
                return task
            case .fastKVzip:
                guard name.contains("qwen3") || gemma else { return task }
                let instruct = name.contains("instruct")
                switch task {
                case .prefixSuffix: return .prefixSuffixShort
                case .kv where !instruct: return .kvShort
                case .mf where !instruct: return .mfMid
                default: return task
                }
            case .capacity:
                var chosen = task
                if maxModelLenTokens < Self.capacityThresholdTokens {
                    if task == .kv { chosen = .kvShort }
                    if task == .prefixSuffix { chosen = .prefixSuffixShort }
                }
                if gemma && task == .mf { chosen = .mfMid }
                let conversation = chosen.contextTokens + SCBenchTask.queryTokens + outputTokensPerConversation
                return conversation > maxModelLenTokens ? nil : chosen
            }
        }
    }
}
