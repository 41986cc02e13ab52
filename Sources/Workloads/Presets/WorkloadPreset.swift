/// Named workloads (`--preset NAME`).
///
/// - `chat`: multi-turn chat fitted to ShareGPT and Mooncake (``SyntheticChatConfig/chat(sessionCount:seed:)``).
/// - `scbench-short`, `scbench-mid`, `scbench-long`: the SCBench tasks of one context bucket,
///   in equal shares, interleaved.
/// - `scbench-<task>`: one SCBench task (``SCBenchTask``), e.g. `scbench-kv`,
///   `scbench-many-shot`.
public enum WorkloadPreset: String, Sendable, Hashable, CaseIterable {
    /// Multi-turn chat (``SyntheticChatConfig/chat(sessionCount:seed:)``).
    case chat
    /// SCBench short-context tasks (squad, gsm).
    case scbenchShort = "scbench-short"
    /// SCBench mid-context tasks (many_shot, mf, choice_eng, qa_eng, repoqa).
    case scbenchMid = "scbench-mid"
    /// SCBench long-context tasks (kv, prefix_suffix, summary, vt).
    case scbenchLong = "scbench-long"
    /// ``SCBenchTask/squad``.
    case scbenchSquad = "scbench-squad"
    /// ``SCBenchTask/gsm``.
    case scbenchGSM = "scbench-gsm"
    /// ``SCBenchTask/manyShot``.
    case scbenchManyShot = "scbench-many-shot"
    /// ``SCBenchTask/mf``.
    case scbenchMF = "scbench-mf"
    /// ``SCBenchTask/choiceEng``.
    case scbenchChoiceEng = "scbench-choice-eng"
    /// ``SCBenchTask/qaEng``.
    case scbenchQAEng = "scbench-qa-eng"
    /// ``SCBenchTask/repoqa``.
    case scbenchRepoQA = "scbench-repoqa"
    /// ``SCBenchTask/kv``.
    case scbenchKV = "scbench-kv"
    /// ``SCBenchTask/prefixSuffix``.
    case scbenchPrefixSuffix = "scbench-prefix-suffix"
    /// ``SCBenchTask/summary``.
    case scbenchSummary = "scbench-summary"
    /// ``SCBenchTask/vt``.
    case scbenchVT = "scbench-vt"
    /// ``SCBenchTask/kvShort``.
    case scbenchKVShort = "scbench-kv-short"
    /// ``SCBenchTask/prefixSuffixShort``.
    case scbenchPrefixSuffixShort = "scbench-prefix-suffix-short"
    /// ``SCBenchTask/mfMid``.
    case scbenchMFMid = "scbench-mf-mid"

    /// The preset of one SCBench task.
    public init(task: SCBenchTask) {
        switch task {
        case .squad: self = .scbenchSquad
        case .gsm: self = .scbenchGSM
        case .manyShot: self = .scbenchManyShot
        case .mf: self = .scbenchMF
        case .choiceEng: self = .scbenchChoiceEng
        case .qaEng: self = .scbenchQAEng
        case .repoqa: self = .scbenchRepoQA
        case .kv: self = .scbenchKV
        case .prefixSuffix: self = .scbenchPrefixSuffix
        case .summary: self = .scbenchSummary
        case .vt: self = .scbenchVT
        case .kvShort: self = .scbenchKVShort
        case .prefixSuffixShort: self = .scbenchPrefixSuffixShort
        case .mfMid: self = .scbenchMFMid
        }
    }

    /// The SCBench tasks this preset draws from (empty for `chat`).
    public var tasks: [SCBenchTask] {
        switch self {
        case .chat: return []
        case .scbenchShort: return SCBenchTask.tasks(in: .short)
        case .scbenchMid: return SCBenchTask.tasks(in: .mid)
        case .scbenchLong: return SCBenchTask.tasks(in: .long)
        case .scbenchSquad: return [.squad]
        case .scbenchGSM: return [.gsm]
        case .scbenchManyShot: return [.manyShot]
        case .scbenchMF: return [.mf]
        case .scbenchChoiceEng: return [.choiceEng]
        case .scbenchQAEng: return [.qaEng]
        case .scbenchRepoQA: return [.repoqa]
        case .scbenchKV: return [.kv]
        case .scbenchPrefixSuffix: return [.prefixSuffix]
        case .scbenchSummary: return [.summary]
        case .scbenchVT: return [.vt]
        case .scbenchKVShort: return [.kvShort]
        case .scbenchPrefixSuffixShort: return [.prefixSuffixShort]
        case .scbenchMFMid: return [.mfMid]
        }
    }

    /// One line describing the preset, for `--help` and listings.
    public var summary: String {
        switch self {
        case .chat:
            return
                "multi-turn chat fitted to ShareGPT turns and Mooncake timing (Poisson 2.28 sessions/s, 32K context cap)"
        default:
            let t = tasks
            let names = t.map(\.rawValue).joined(separator: ", ")
            return "SCBench \(names): shared context then \(SCBenchTask.turnsPerSession) queries, all sessions at t=0"
        }
    }

    /// The synthetic configurations this preset mixes, one per task (one for `chat`), with the
    /// sessions split as evenly as possible (earlier tasks get the remainder).
    /// SCBench presets follow `scbench` (``SCBenchProtocol/multiTurn`` unless asked); `chat`
    /// ignores it.
    public func configs(sessions: Int, seed: UInt64, protocol scbench: SCBenchProtocol = .multiTurn)
        -> [SyntheticChatConfig]
    {
        if self == .chat { return [.chat(sessionCount: sessions, seed: seed)] }
        let t = tasks
        return t.enumerated().map { i, task in
            let share = sessions / t.count + (i < sessions % t.count ? 1 : 0)
            let componentSeed =
                t.count == 1 ? seed : GSLRandom.derivedSeed(master: seed, stream: RandomStream.mixtureBase + UInt64(i))
            return task.config(sessionCount: share, seed: componentSeed, protocol: scbench)
        }
    }

    /// A streaming source of `sessions` sessions drawn with `seed`.
    public func source(sessions: Int, seed: UInt64, protocol scbench: SCBenchProtocol = .multiTurn)
        -> any SessionSource
    {
        let c = configs(sessions: sessions, seed: seed, protocol: scbench)
        if c.count == 1 { return SyntheticChatGenerator(config: c[0]) }
        return MergedSessionSource(c.map { SyntheticChatGenerator(config: $0) })
    }
}
