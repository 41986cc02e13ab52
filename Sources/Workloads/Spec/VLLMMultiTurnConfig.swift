/// Reads vLLM's multi-turn generator config (`benchmarks/multi_turn/generate_multi_turn.json`,
/// parsed there by `bench_dataset.py`) as a ``WorkloadSpec``.
///
/// Mapping (field meanings in `../shared/traces/README.md`, section 5):
/// - `num_conversations` -> session count;
/// - `prompt_input.num_turns` counts messages: floored at 2, rounded up to even, halved
///   (``SyntheticChatConfig/TurnCountRule/messages``);
/// - `prompt_input.common_prefix_num_tokens` (optional, default 0) is drawn once and shared by
///   every session (``SessionSpec/sharedPrefix``);
/// - `prompt_input.prefix_num_tokens` is a per-session context before the first message;
/// - `prompt_input.num_tokens` sizes every user message, at least 20 tokens (vLLM's header
///   "`<id> is a nice number... `" plus its base instruction, about 20 tokens per the README),
///   and the first message's size includes the common prefix, as in vLLM;
/// - `prompt_output.num_tokens` sizes every reply (at least 1).
///
/// Differences from vLLM, by design: lognormal `average` draws are not rescaled so that each
/// batch's sample mean equals `average` (the distribution's mean already equals it, and
/// streaming cannot rescale a batch); vLLM's closed-loop clients are not modelled: all
/// sessions arrive at time 0 with no think time (vLLM's `--request-rate 0` default), and there
/// is no context cap. `text_files` must be a non-empty list but is otherwise ignored;
/// `print_stats` is ignored; unknown keys are ignored, as vLLM ignores them.
public enum VLLMMultiTurnConfig {
    /// Tokens vLLM adds to every user message (header plus base instruction), per
    /// `../shared/traces/README.md` ("~ 20 tokens").
    public static let messageOverheadTokens = 20

    static func parse(_ root: SpecNode, reader: SpecReader) throws(WorkloadSpecError) -> WorkloadSpec {
        _ = try reader.object(root, "", allowed: nil)
        for key in ["filetype", "num_conversations", "text_files", "prompt_input", "prompt_output"]
        where root[key] == nil {
            throw reader.error(root, key, "is missing")
        }
        let filetype = try reader.string(root["filetype"]!, "filetype")
        guard filetype == "generate_conversations" else {
            throw reader.error(
                root["filetype"], "filetype",
                "must be \"generate_conversations\" (a conversation list is a trace, not a spec), got \"\(filetype)\"")
        }
        let count = try reader.integer(root["num_conversations"]!, "num_conversations", in: 1...Int.max)
        guard case .array(let files) = root["text_files"]!.value, !files.isEmpty else {
            throw reader.error(root["text_files"], "text_files", "must be a non-empty list")
        }
        if let p = root["print_stats"] { _ = try reader.bool(p, "print_stats") }
        let input = try reader.object(root["prompt_input"]!, "prompt_input", allowed: nil)
        let output = try reader.object(root["prompt_output"]!, "prompt_output", allowed: nil)
        func dist(_ section: SpecNode, _ name: String, _ key: String) throws(WorkloadSpecError) -> Distribution {
            guard let n = section[key] else { throw reader.error(section, "\(name).\(key)", "is missing") }
            guard case .object = n.value else {
                throw reader.error(n, "\(name).\(key)", "must be a distribution object, got \(n.brief)")
            }
            return try reader.distribution(n, "\(name).\(key)", vllm: true)
        }
        let turns = try dist(input, "prompt_input", "num_turns")
        let messageTokens = try dist(input, "prompt_input", "num_tokens")
        let prefix = try dist(input, "prompt_input", "prefix_num_tokens")
        let common =
            input["common_prefix_num_tokens"] != nil ? try dist(input, "prompt_input", "common_prefix_num_tokens") : nil
        let replies = try dist(output, "prompt_output", "num_tokens")
        let config = SyntheticChatConfig(
            sessionCount: count,
            arrival: .batch(atSeconds: 0),
            turnsPerSession: turns,
            turnCountRule: .messages,
            thinkTimeSeconds: .constant(0),
            firstInputTokens: messageTokens,
            followUpInputTokens: messageTokens,
            outputTokens: replies,
            contextTokens: prefix,
            sharedPrefixTokens: common,
            firstMessageIncludesSharedPrefix: true,
            minimumMessageTokens: messageOverheadTokens,
            maxContextTokens: 1 << 40,
            seed: 1)
        do throws(WorkloadSpecError) {
            try config.validate()
        } catch {
            throw WorkloadSpecError(file: reader.file, field: error.field, reason: error.reason)
        }
        return WorkloadSpec(
            components: [.init(weight: 1, config: config)], sessionCount: count, seed: nil, dialect: .vllm)
    }
}
