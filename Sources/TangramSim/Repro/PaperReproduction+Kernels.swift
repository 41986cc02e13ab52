import GPUModel
import Workloads

extension PaperReproduction {
    /// Context of the decode-attention comparison, tokens: the cost model's ahead-of-time
    /// reference context (``KernelCostModel/aheadOfTimeReferenceContextTokens`` default).
    public static let decodeContextTokens = 32_768
    /// Requests of the decode-attention comparison (the paper's batch 4).
    public static let decodeBatch = 4

    /// The KV layout `policy` gives `model` at `settings`, built as the simulation builds it.
    func layout(model: ModelSpec, policy name: String, settings: CompressionSettings) throws -> KVLayoutDescriptor {
        let policy = try Policy.named(name, settings: settings)
        let sim = try Simulation(setup: SimulationSetup(model: model, gpu: gpu, engine: engine, policy: policy,
                                                        compression: settings, calibration: calibration))
        guard let table = sim.retention else { return .uncompressed(model) }
        return Simulation.layoutDescriptor(spec: policy.spec, table: table, model: model, settings: settings)
    }

    /// Table 2: decode attention of one step at batch 4 (Llama-3.1-8B, 32K contexts) on the
    /// `tangram` layout (ragged, H_p = 4, budget-sorted) under the FlashInfer-like,
    /// FlashDecoding-like and ahead-of-time partitions, at 100/75/50/25 % kept.
    public func decodeAttention() throws -> ReproTable {
        var t = ReproTable(
            name: "decode_attention",
            title: "Decode attention at batch 4 (llama-3.1-8b, 32K context, ragged H_p=4 layout)",
            columns: ["kept_ratio", "partition", "attention_ms", "ideal_attention_ms", "imbalance", "planning_ms",
                      "attention_plus_planning_ms", "step_ms", "planning_share_of_step", "vs_aot"])
        let model = ModelCatalog.llama3_1_8b
        for kept in Self.decodeKeptRatios {
            let s = settings(keptRatio: kept)
            let layout = try layout(model: model, policy: "tangram", settings: s)
            var w = StepWorkload()
            w.decodeSequences = Self.decodeBatch
            w.sampledSequences = Self.decodeBatch
            let c = Self.decodeContextTokens
            let meanKept: Double
            if let b = layout.cellBudgets {
                meanKept = b.reduce(0) { $0 + Double(layout.keptTokens(budget: $1, contextTokens: c)) } / Double(b.count)
                w.decodeShapes = Array(repeating: DecodeShape(compressedContextTokens: Int32(c), appendedTokens: 1),
                                       count: Self.decodeBatch)
            } else {
                meanKept = Double(c)
            }
            w.fullDecodeKVTokens = Double(Self.decodeBatch) * (meanKept + 1)
            var rows: [(DecodePartition, StepCost)] = []
            for p in [DecodePartition.flashInfer, .flashDecoding, .aheadOfTime] {
                let cm = KernelCostModel(model: model, gpu: gpu, layout: layout, partition: p, scorer: .snapkv,
                                         calibration: calibration)
                rows.append((p, cm.stepCost(w)))
            }
            let aot = rows.last!.1
            for (p, cost) in rows {
                let sum = cost.decodeAttentionSeconds + cost.planningSeconds
                t.rows.append([
                    ReproTable.fixed(kept, 2), p.rawValue, ReproTable.fixed(cost.decodeAttentionSeconds * 1e3, 4),
                    ReproTable.fixed(cost.decodeAttentionIdealSeconds * 1e3, 4), ReproTable.fixed(cost.decodeImbalance, 3),
                    ReproTable.fixed(cost.planningSeconds * 1e3, 4), ReproTable.fixed(sum * 1e3, 4),
                    ReproTable.fixed(cost.totalSeconds * 1e3, 4), ReproTable.fixed(cost.planningShare, 3),
                    ReproTable.fixed(sum / (aot.decodeAttentionSeconds + aot.planningSeconds), 3),
                ])
            }
        }
        return t
    }

    /// Table 3: time of one conversation's first prefill (every chunk, compression included)
    /// under `dynamic-fd` (admit uncompressed, compact and free after each chunk) with the released
    /// code's batched write-back and with the fork's earlier per-cluster write-back
    /// (``ReclaimWriteback``), and under `tangram` (reserve the static budget, no reclaim), kept
    /// 25 %, from the simulation's per-step costs, for every model of ``Grid/prefillModels`` and
    /// chunk size of ``Grid/prefillChunkTokens``.
    public func prefillBreakdown() throws -> ReproTable {
        var t = ReproTable(
            name: "prefill_breakdown",
            title: "First-prefill latency breakdown, dynamic (dynamic-fd) vs static (tangram), kept 0.25",
            columns: ["model", "tp", "chunk_tokens", "task", "context_tokens", "policy", "writeback", "prefill_ms",
                      "gemm_ms", "attention_ms", "compression_ms", "reclaim_ms", "other_ms", "reclaim_share",
                      "vs_tangram"])
        let runs: [(policy: String, writeback: ReclaimWriteback?)] = [
            ("dynamic-fd", .batched), ("dynamic-fd", .perCluster), ("tangram", nil),
        ]
        for (model, tp) in grid.prefillModels {
            for chunk in grid.prefillChunkTokens {
                var run = self
                run.engine.maxNumBatchedTokens = chunk
                for task in grid.prefillTasks {
                    let results = try runs.map { r in
                        (r, try run.firstPrefillCost(model: model, tensorParallel: tp, policy: r.policy, task: task,
                                                     writeback: r.writeback ?? .batched))
                    }
                    let tangram = results.last!.1.totalSeconds
                    for (r, c) in results {
                        let total = c.totalSeconds
                        let other = total - c.gemmSeconds - c.prefillAttentionSeconds - c.compressionSeconds
                            - c.reclaimSeconds
                        t.rows.append([
                            model.name, "\(tp)", "\(chunk)", task.rawValue, "\(task.contextTokens)", r.policy,
                            r.writeback?.rawValue ?? "", ReproTable.fixed(total * 1e3, 2),
                            ReproTable.fixed(c.gemmSeconds * 1e3, 2),
                            ReproTable.fixed(c.prefillAttentionSeconds * 1e3, 2),
                            ReproTable.fixed(c.compressionSeconds * 1e3, 2), ReproTable.fixed(c.reclaimSeconds * 1e3, 2),
                            ReproTable.fixed(other * 1e3, 2), ReproTable.fixed(total > 0 ? c.reclaimSeconds / total : 0, 4),
                            ReproTable.fixed(tangram > 0 ? total / tangram : .nan, 4),
                        ])
                    }
                }
            }
        }
        return t
    }

    /// The summed step costs of one `task` conversation's first prefill under `policy` (reclaim
    /// writing back with `writeback`): every step with prefill tokens until the first decode step.
    func firstPrefillCost(model: ModelSpec, tensorParallel: Int, policy: String, task: SCBenchTask,
                          writeback: ReclaimWriteback = .batched) throws -> StepCost {
        var sum = StepCost()
        var decoding = false
        var s = settings(keptRatio: 0.25)
        s.reclaimWriteback = writeback
        _ = try simulate(model: model, tensorParallel: tensorParallel, policy: policy, settings: s,
                         source: SyntheticChatGenerator(config: task.config(sessionCount: 1, seed: seed)),
                         sampleEveryStep: true) { step in
            if step.decodeSequences > 0 { decoding = true }
            if !decoding && step.prefillTokens > 0 { sum.add(step.cost) }
        }
        return sum
    }
}
