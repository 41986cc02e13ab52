/// The SCBench shared-context tasks of the Tangram paper's evaluation (DOMAIN.md section 6):
/// a long shared context, then follow-up queries in the same session.
public enum SCBenchTask: String, Sendable, Hashable, CaseIterable {
    /// SQuAD-style question answering over a short document (~3K tokens).
    case squad
    /// Grade-school math with many-shot examples (~2K tokens).
    case gsm
    /// In-context learning with hundreds of examples (~80K tokens).
    case manyShot = "many_shot"
    /// Statistics over a large array ("math.find", ~90K tokens).
    case mf
    /// Multiple-choice questions on a long text (~35K tokens).
    case choiceEng = "choice_eng"
    /// English question answering on a long text (~50K tokens).
    case qaEng = "qa_eng"
    /// Function retrieval from a code repository (~65K tokens).
    case repoqa
    /// Key-value lookup in a large JSON object (~169K tokens).
    case kv
    /// Strings with a given prefix and suffix (~112K tokens).
    case prefixSuffix = "prefix_suffix"
    /// Summarisation of a long document (~113K tokens).
    case summary
    /// Multi-hop variable tracing (~124K tokens).
    case vt
    /// The shorter key-value variant SCBench-preprocessed ships for models that cannot take the
    /// full task (~18K tokens); stands in for ``kv`` (``SCBenchDatasetSelection``).
    case kvShort = "kv_short"
    /// The shorter prefix-suffix variant (~19K tokens); stands in for ``prefixSuffix``.
    case prefixSuffixShort = "prefix_suffix_short"
    /// The mid-difficulty math.find variant (~45K tokens); stands in for ``mf``.
    case mfMid = "mf_mid"

    /// Context-length bucket of the paper: Short < 20K, Mid 20-100K, Long > 100K tokens.
    public enum Bucket: String, Sendable, Hashable, CaseIterable {
        /// Contexts under 20K tokens.
        case short
        /// Contexts of 20K to 100K tokens.
        case mid
        /// Contexts over 100K tokens.
        case long
    }

    /// Turns per session: SCBench runs up to 5 queries per shared context
    /// (`--max_turns` defaults to 5 in microsoft/MInference `scbench/args.py`).
    public static let turnsPerSession = 5

    /// Tokens of each query. SCBench queries are one question (plus options for choice_eng);
    /// no length is published, so 64 tokens is an assumption, not a measurement. Override it
    /// with a workload spec (`follow_up_input_tokens`).
    public static let queryTokens = 64

    /// Approximate shared-context length in tokens, as DOMAIN.md section 6 lists it ("~3K"
    /// etc.); used as a constant. The variants' lengths are the "rough measured prompt lengths"
    /// of the Tangram code's SCBench helpers (aiha-lab/tangram
    /// `benchmarks/tangram/scbench_local.py`, `_DATASET_COST`: kv_short 18,000,
    /// prefix_suffix_short 19,000, mf_mid 45,000).
    public var contextTokens: Int {
        switch self {
        case .squad: return 3_000
        case .gsm: return 2_000
        case .manyShot: return 80_000
        case .mf: return 90_000
        case .choiceEng: return 35_000
        case .qaEng: return 50_000
        case .repoqa: return 65_000
        case .kv: return 169_000
        case .prefixSuffix: return 112_000
        case .summary: return 113_000
        case .vt: return 124_000
        case .kvShort: return 18_000
        case .prefixSuffixShort: return 19_000
        case .mfMid: return 45_000
        }
    }

    /// Output tokens per query, as DOMAIN.md section 6 lists them: 48 for mf, 128
    /// prefix_suffix, 256 summary and squad, 512 gsm and repoqa, 96 otherwise. A variant has its
    /// full task's length (the helpers' `set_gen_length` matches on the name: "_mf",
    /// "prefix_suffix").
    public var outputTokens: Int {
        switch self {
        case .mf, .mfMid: return 48
        case .prefixSuffix, .prefixSuffixShort: return 128
        case .summary, .squad: return 256
        case .gsm, .repoqa: return 512
        case .manyShot, .choiceEng, .qaEng, .kv, .kvShort, .vt: return 96
        }
    }

    /// The full task a shorter variant stands in for (the task itself otherwise).
    public var fullTask: SCBenchTask {
        switch self {
        case .kvShort: return .kv
        case .prefixSuffixShort: return .prefixSuffix
        case .mfMid: return .mf
        default: return self
        }
    }

    /// Whether this is a shorter variant of another task.
    public var isVariant: Bool { fullTask != self }

    /// The task's bucket (a variant stays in its full task's bucket, where it stands in).
    public var bucket: Bucket {
        switch fullTask {
        case .squad, .gsm: return .short
        case .manyShot, .mf, .choiceEng, .qaEng, .repoqa: return .mid
        default: return .long
        }
    }

    /// The full tasks of a bucket (no variants).
    public static func tasks(in bucket: Bucket) -> [SCBenchTask] {
        allCases.filter { $0.bucket == bucket && !$0.isVariant }
    }

    /// A workload of this task: `sessionCount` sessions arriving together at time 0 (the
    /// paper's offline batches), each a shared context plus ``turnsPerSession`` queries with
    /// no think time. The context cap is the context plus all turns, so no turn is dropped.
    ///
    /// Under ``SCBenchProtocol/performance`` each session is one query with exactly
    /// ``SCBenchProtocol/performanceOutputTokens`` output tokens.
    public func config(sessionCount: Int, seed: UInt64, protocol scbench: SCBenchProtocol = .multiTurn)
        -> SyntheticChatConfig
    {
        let n = scbench == .performance ? 1 : Self.turnsPerSession
        let outputTokens = scbench == .performance ? SCBenchProtocol.performanceOutputTokens : self.outputTokens
        return SyntheticChatConfig(
            sessionCount: sessionCount,
            arrival: .batch(atSeconds: 0),
            turnsPerSession: .constant(Double(n)),
            thinkTimeSeconds: .constant(0),
            firstInputTokens: .constant(Double(Self.queryTokens)),
            followUpInputTokens: .constant(Double(Self.queryTokens)),
            outputTokens: .constant(Double(outputTokens)),
            contextTokens: .constant(Double(contextTokens)),
            maxContextTokens: contextTokens + n * (Self.queryTokens + outputTokens),
            seed: seed)
    }
}
