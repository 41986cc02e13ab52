import GPUModel
import Workloads

/// The Tangram paper's evaluation (DOMAIN.md section 6) on a simulated A100-80GB: eight tables,
/// each computed by the simulator or the kernel cost model with no constant tuned to a result.
///
/// The engine is the paper's: `max_num_seqs` 16, GPU memory utilization 0.9, chunked prefill
/// of 8,192 tokens, sink 32, window 4,096, H_p = 4 budget-sorted groups (the
/// ``CompressionSettings`` defaults), SnapKV head profiles. Throughput runs follow the released
/// code's performance protocol (``SCBenchProtocol/performance``): each dataset of a bucket one
/// offline batch, every conversation submitted at t = 0, one query each, exactly 512 output
/// tokens. ``Grid/quick`` is a reduced grid for tests and smoke runs.
///
/// ```swift
/// let tables = try PaperReproduction(grid: .quick).run()
/// print(tables.map(\.markdown).joined(separator: "\n"))
/// ```
public struct PaperReproduction: Sendable {
    /// What the experiments sweep.
    public struct Grid: Sendable {
        /// Models of the throughput ablation, with their tensor parallelism.
        public var models: [(ModelSpec, Int)]
        /// SCBench buckets of the throughput ablation.
        public var buckets: [SCBenchTask.Bucket]
        /// Kept ratios of the throughput ablation.
        public var keptRatios: [Double]
        /// Conversations per SCBench task in a throughput run (one offline batch of the bucket's
        /// tasks under ``SCBenchProtocol/performance``).
        public var conversationsPerTask: Int
        /// H_p values of the throughput and fragmentation sweeps.
        public var headsPerGroup: [Int]
        /// Request rates (req/s) of the TTFT sweep.
        public var requestRates: [Double]
        /// Requests per TTFT run.
        public var ttftRequests: Int
        /// SCBench tasks whose first prefill the prefill-breakdown table costs.
        public var prefillTasks: [SCBenchTask]
        /// Models of the prefill-breakdown table, with their tensor parallelism.
        public var prefillModels: [(ModelSpec, Int)]
        /// Prefill chunk sizes of the prefill-breakdown table (tokens per step; each chunk is
        /// compressed before the next): the benchmark's 8,192 and the released code's default
        /// compression chunk of 2,048.
        public var prefillChunkTokens: [Int]
        /// Models of the memory-reclaimed table.
        public var memoryModels: [ModelSpec]

        /// The paper's grid: five models (Qwen3-30B-A3B at TP = 2), three buckets, kept 75/50/25 %,
        /// H_p 1..64, rates 0.025..2 req/s.
        public static let full = Grid(
            models: [(ModelCatalog.qwen3_4b, 1), (ModelCatalog.llama3_1_8b, 1), (ModelCatalog.gemma3_12b, 1),
                     (ModelCatalog.gptOSS20b, 1), (ModelCatalog.qwen3_30b_a3b, 2)],
            buckets: [.short, .mid, .long], keptRatios: [0.75, 0.5, 0.25],
            conversationsPerTask: SCBenchProtocol.performanceConversationsPerTask,
            headsPerGroup: [1, 2, 4, 8, 16, 32, 64], requestRates: [0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0],
            ttftRequests: 96, prefillTasks: [.choiceEng, .qaEng, .repoqa, .manyShot, .mf, .prefixSuffix, .summary, .vt, .kv],
            prefillModels: [(ModelCatalog.qwen3_4b, 1), (ModelCatalog.llama3_1_8b, 1), (ModelCatalog.gemma3_12b, 1),
                            (ModelCatalog.gptOSS20b, 1), (ModelCatalog.qwen3_30b_a3b, 2)],
            prefillChunkTokens: [8192, 2048],
            memoryModels: [ModelCatalog.qwen3_4b, ModelCatalog.llama3_1_8b, ModelCatalog.gemma3_12b,
                           ModelCatalog.gptOSS20b, ModelCatalog.qwen3_30b_a3b])

        /// A reduced grid: Llama-3.1-8B, the Mid bucket, kept 75 % and 25 %, few sessions.
        public static let quick = Grid(
            models: [(ModelCatalog.llama3_1_8b, 1)], buckets: [.mid], keptRatios: [0.75, 0.25], conversationsPerTask: 4,
            headsPerGroup: [1, 4, 16, 64], requestRates: [0.05, 0.5, 2.0], ttftRequests: 16,
            prefillTasks: [.qaEng], prefillModels: [(ModelCatalog.llama3_1_8b, 1)], prefillChunkTokens: [8192],
            memoryModels: [ModelCatalog.llama3_1_8b])
    }

    /// Policies of the throughput ablation, baseline first.
    public static let ablationPolicies = ["vllm", "tangram-sb", "tangram-sb-rp", "tangram"]
    /// Kept ratios of the decode-attention table (1 = nothing evicted).
    public static let decodeKeptRatios = [1.0, 0.75, 0.5, 0.25]
    /// Kept ratios of the memory-reclaimed table (the paper's 70/50/30 %).
    public static let memoryKeptRatios = [0.7, 0.5, 0.3]

    public var grid: Grid
    /// The GPU (A100 80GB, the paper's).
    public var gpu: GPUSpec = GPUCatalog.a100_80gb
    /// The paper's engine settings (`max_model_len` 200,000: the Tangram harness's `MAX_LEN` default,
    /// benchmarks/tangram/benchmark_performance.sh).
    public var engine = EngineConfig(blockSizeTokens: 16, gpuMemoryUtilization: 0.9, maxNumBatchedTokens: 8192,
                                     maxNumSeqs: 16, maxModelLenTokens: 200_000)
    /// Workload and profile seed.
    public var seed: UInt64 = 1
    /// What reserved budgets add up to (docs/reproduction.md, "What kept 25 % reserves").
    public var reservation: ReservationTotal = .kept
    /// Which SCBench datasets each model's buckets run (docs/reproduction.md, "Which datasets a
    /// bucket holds"). FastKVzip's rule by default: the Tangram benchmark's SCBench helpers were
    /// adapted from FastKVzip's (`scbench_local.py`), and the paper's checkpoints are the ones that
    /// rule singles out (Qwen3 base names, `gemma-3-12b-it`).
    public var datasets: SCBenchDatasetSelection = .fastKVzip
    /// The cost model's coefficients for ``gpu``: `nil` for the spec-derived ones
    /// (``KernelCoefficients/specDerived(for:)``), or a calibration measured on an A100
    /// (`tangram-sim validate` there, then `tangram-sim calibrate --gpu a100-80gb`).
    public var calibration: GPUCalibration?

    public init(grid: Grid) {
        self.grid = grid
    }

    /// Compression settings of one run: the defaults (sink 32, window 4096, SnapKV) with the
    /// given kept ratio and H_p.
    public func settings(keptRatio: Double, headsPerGroup: Int = 4) -> CompressionSettings {
        var s = CompressionSettings()
        s.keptRatio = keptRatio
        s.headsPerGroup = headsPerGroup
        s.reservation = reservation
        s.seed = seed
        return s
    }

    /// The scorer whose head profile shapes `model`'s budgets: SnapKV (the paper's main scorer)
    /// where the built-in profiles have it, otherwise the first fitted scorer (Qwen3-30B-A3B has
    /// only an ExpectedAttention profile in head_profiles/).
    public static func scorer(for model: ModelSpec) -> HeadScorer {
        let fitted = SyntheticHeadProfiles.available.filter {
            $0.model == SyntheticHeadProfiles.canonicalModelName(model.name) && $0.layout == .crosslayer
        }.map(\.scorer)
        return fitted.contains(.snapkv) ? .snapkv : fitted.first ?? .snapkv
    }

    /// The served context window of every model of the paper, tokens: vLLM refuses a
    /// `max_model_len` above the window its config derives. Llama-3.1-8B, Gemma-3-12B and
    /// GPT-OSS-20B: 131,072 (`max_position_embeddings` in their config.json). Qwen3-4B and
    /// Qwen3-30B-A3B: 40,960 in config.json, 131,072 with the YaRN scaling (factor 4 over 32,768)
    /// their model cards give for long inputs and FastKVzip's `prefill/model/load.py` applies to
    /// Qwen3 base checkpoints.
    public static let servedContextWindowTokens = 131_072

    /// The engine of `model`'s runs: ``engine``, whose `max_model_len` is capped at the served
    /// window (``servedContextWindowTokens``) under the ``SCBenchDatasetSelection/capacity`` rule,
    /// which keys on it. The other rules keep the harness's `MAX_LEN` of 200,000 (vLLM runs a
    /// longer `max_model_len` than the config's only with `VLLM_ALLOW_LONG_MAX_MODEL_LEN=1`).
    public func engine(for model: ModelSpec) -> EngineConfig {
        guard datasets == .capacity else { return engine }
        var e = engine
        e.maxModelLenTokens = min(e.maxModelLenTokens, Self.servedContextWindowTokens)
        return e
    }

    /// Runs every experiment; `progress` is called with each table's name before it is computed.
    public func run(progress: (String) -> Void = { _ in }) throws -> [ReproTable] {
        var tables: [ReproTable] = []
        progress("throughput_ablation")
        let throughput = try throughputTables()
        tables.append(throughput.ablation)
        tables.append(throughput.perTask)
        progress("decode_attention"); tables.append(try decodeAttention())
        progress("prefill_breakdown"); tables.append(try prefillBreakdown())
        progress("memory_reclaimed"); tables.append(try memoryReclaimed())
        progress("throughput_vs_hp"); tables.append(try throughputVersusHeadsPerGroup())
        progress("ttft_vs_rate"); tables.append(try ttftVersusRate())
        progress("fragmentation_vs_hp"); tables.append(try fragmentationVersusHeadsPerGroup())
        return tables
    }

    /// Simulates `source` under one policy.
    func simulate(model: ModelSpec, tensorParallel: Int, policy name: String, settings: CompressionSettings,
                  source: any SessionSource, sampleEveryStep: Bool = false,
                  onStep: (StepSample) throws -> Void = { _ in }) throws -> PolicySummary {
        var settings = settings
        settings.scorer = Self.scorer(for: model)
        let policy = try Policy.named(name, settings: settings)
        let setup = SimulationSetup(model: model, gpu: gpu, tensorParallel: tensorParallel, engine: engine(for: model),
                                    policy: policy, compression: settings, calibration: calibration)
        let sim = try Simulation(setup: setup)
        var s = source
        // A sampling interval far below any step's duration samples every step.
        return try sim.run(&s, sampleIntervalSeconds: sampleEveryStep ? 1e-12 : 1, onStep: onStep) { _ in }
    }
}
