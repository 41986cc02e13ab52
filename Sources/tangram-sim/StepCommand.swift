import ArgumentParser
import Foundation
import GPUModel
import Reports
import TangramSim
import Workloads

/// `tangram-sim step`: the modelled time of one decode step and of one prefill chunk, by kernel.
///
/// See docs/cost-model.md.
struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "Print the modelled time of one decode step and one prefill chunk, broken down by kernel.",
        discussion: """
            The decode step runs --batch requests whose --context-token prompts were compressed \
            at --ratio by the policy, each decoding one token after --appended tokens. The prefill \
            step runs --prefill-requests requests, each prefilling the last --chunk tokens of a \
            --context-token prompt (the history before it already compressed by compressing \
            policies), scoring them and sampling.
            """)

    @Option(help: "Model: \(ModelCatalog.all.map(\.name).joined(separator: ", ")).")
    var model = "llama-3.1-8b"

    @Option(help: "GPU: \(GPUCatalog.all.map(\.name).joined(separator: ", ")).")
    var gpu = "h200"

    @Option(help: "Policy: \(Policy.names.joined(separator: ", ")).")
    var policy = "vllm"

    @Option(help: "Decoding requests in the step.")
    var batch = 1

    @Option(help: "Prompt (context) tokens per request.")
    var context = 2000

    @Option(help: "Fraction of each prompt kept by compressing policies (sink and window included).")
    var ratio = 0.25

    @Option(help: "Tokens appended uncompressed since compression (decoded or later turns); at least 1.")
    var appended = 1

    @Option(help: "Prefill chunk tokens per request (at most the context).")
    var chunk = 2048

    @Option(name: .customLong("prefill-requests"), help: "Requests prefilling a chunk in the prefill step.")
    var prefillRequests = 1

    @Option(name: .customLong("reclaim-writeback"), help: "How a reclaiming policy writes kept KV back: batched (the released code) or per-cluster (the fork's earlier per-(layer, group) torch loop).")
    var reclaimWriteback = ReclaimWriteback.batched

    @Option(help: "Tensor-parallel GPUs per replica.")
    var tp = 1

    @Option(name: .customLong("max-model-len"), help: "The engine's max_model_len in tokens; sizes the block-table rows a reclaiming policy's reclaim scans.")
    var maxModelLen = EngineConfig().maxModelLenTokens

    @Option(help: "Cost-model calibration: a JSON file from 'tangram-sim calibrate', 'auto' (<calibration-dir>/<gpu>.json when present, else spec-derived) or 'spec' (datasheet-derived).")
    var calibration = "auto"

    @Option(name: .customLong("calibration-dir"), help: "Folder searched for <gpu>.json by --calibration auto.")
    var calibrationDirectory = "calibrations"

    @Option(name: .customLong("decode-imbalance"), help: "cached (default) or every-step.")
    var decodeImbalance = DecodeImbalanceMode.cached.rawValue

    @Option(help: "Write JSON to this path; - writes only JSON, to standard output.")
    var json: String?

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard context >= 1 else { throw ValidationError("--context must be at least 1") }
        guard ratio > 0, ratio <= 1 else { throw ValidationError("--ratio must be in (0, 1]") }
        guard appended >= 1 else { throw ValidationError("--appended must be at least 1") }
        guard chunk >= 1 else { throw ValidationError("--chunk must be at least 1") }
        guard prefillRequests >= 1 else { throw ValidationError("--prefill-requests must be at least 1") }
        guard tp >= 1 else { throw ValidationError("--tp must be at least 1") }
        guard maxModelLen >= 1 else { throw ValidationError("--max-model-len must be positive") }
        guard DecodeImbalanceMode(rawValue: decodeImbalance) != nil else {
            throw ValidationError("--decode-imbalance must be cached or every-step")
        }
    }

    func run() throws {
        let m: ModelSpec, g: GPUSpec
        do {
            m = try ModelCatalog.model(named: model)
            g = try GPUCatalog.gpu(named: gpu)
        } catch {
            throw ValidationError(error.description)
        }
        do { try Simulation.checkTensorParallel(model: m, tensorParallel: tp) } catch {
            throw ValidationError(error.description)
        }
        let named: Policy
        do { named = try Policy.named(policy) } catch { throw ValidationError(error.description) }
        let settings = CompressionSettings()
        let cal: GPUCalibration
        do {
            switch calibration {
            case "spec": cal = .specDerived(for: g)
            case "auto": cal = try GPUCalibration.resolve(for: g, directory: calibrationDirectory)
            default: cal = try GPUCalibration.load(path: calibration)
            }
        } catch {
            throw ValidationError(error.description)
        }
        let setup = try Self.layout(for: named.spec, model: m, context: context, ratio: ratio, settings: settings)
        let scorer = named.spec.compresses ? (CompressionScorer(name: settings.scorer.rawValue) ?? .none) : .none
        let costModel = KernelCostModel(
            model: m, gpu: g, tensorParallel: tp, layout: setup.layout, partition: named.spec.partition, scorer: scorer,
            calibration: cal, decodeImbalance: DecodeImbalanceMode(rawValue: decodeImbalance)!,
            reclaimWriteback: reclaimWriteback)

        let compresses = named.spec.compresses && setup.layout.cellBudgets != nil
        let decode = Self.decodeWorkload(
            model: m, layout: setup.layout, batch: batch, context: context,
            appended: appended, compresses: compresses, groups: setup.groupsPerRequest)
        let chunkTokens = min(chunk, context)
        var prefill = Self.prefillWorkload(
            model: m, layout: setup.layout, context: context, chunk: chunkTokens,
            requests: prefillRequests, compresses: compresses,
            reclaim: named.spec.reclaim, ratio: ratio, groups: setup.groupsPerRequest)
        if prefill.reclaimBoundaries > 0 {
            // The reclaim's host work scans the block-table row and the GPU's page pool: the
            // engine vLLM would size on this GPU.
            let engine = EngineConfig.vllmDefaults(for: g)
            let plan: KVMemoryPlan
            do { plan = try KVMemoryPlan.vllm(model: m, gpu: g, tensorParallel: tp, engine: engine) } catch {
                throw ValidationError("\(error)")
            }
            (prefill.reclaimRowBlocks, prefill.reclaimPoolBlocksPerGPU) = HeadwiseKVCache.reclaimGeometry(
                plan: plan, model: m, cellsPerPage: setup.layout.headsPerGroup, maxModelLenTokens: maxModelLen)
        }
        let d = costModel.stepCost(decode), p = costModel.stepCost(prefill)
        let jsonText = Self.json(
            model: m, gpu: g, policy: named, batch: batch, context: context, ratio: ratio,
            chunk: chunkTokens, prefillRequests: prefillRequests, tp: tp, label: costModel.label,
            layout: setup.layout.name,
            partition: named.spec.partition, decode: d, prefill: p)
        if json == "-" {
            print(jsonText, terminator: "")
            return
        }
        print(
            Self.text(
                label: costModel.label, policy: named, layout: setup.layout.name, decode: d, prefill: p,
                batch: batch, context: context, chunk: chunkTokens), terminator: "")
        if let json {
            do { try AtomicFile.write(jsonText, to: json) } catch { throw ValidationError("\(json): \(error)") }
        }
    }

    // MARK: - Layout

    /// A policy's KV layout for prompts of `context` tokens kept at `ratio`, built with the
    /// engine's own retention table and head groups (budgets from the synthetic profile fitted to
    /// the measured SnapKV cross-layer profile of the model) and the simulation's own layout rule
    /// (``Simulation/layoutDescriptor(spec:table:model:settings:middleFraction:)``), so that
    /// `step` and `simulate` cannot disagree on a policy's layout.
    static func layout(
        for spec: PolicySpec, model m: ModelSpec, context: Int, ratio: Double,
        settings: CompressionSettings
    ) throws -> (layout: KVLayoutDescriptor, groupsPerRequest: Int) {
        let layers = m.fullAttentionLayerCount, heads = m.kvHeads
        guard spec.compresses else { return (.uncompressed(m), 1) }
        let profile: HeadProfile
        do {
            profile = try SyntheticHeadProfiles.profile(
                model: m.name, scorer: settings.scorer, layout: settings.scope == .perlayer ? .perlayer : .crosslayer,
                samples: 28, seed: settings.seed)
        } catch {
            throw ValidationError("no head profile for \(m.name): \(error)")
        }
        guard profile.headCount == layers * heads else {
            throw ValidationError("the \(m.name) profile has \(profile.headCount) cells, the model \(layers * heads)")
        }
        let groups = HeadGroups.make(
            layout: spec.layout, meanRatios: profile.meanRatios, layers: layers, kvHeads: heads)
        let table = RetentionTable(
            profile: profile, budget: spec.budget, groups: groups, alpha: settings.alpha,
            calibrationSamples: settings.calibrationSamples, reservation: settings.reservation)
        var s = settings
        s.keptRatio = ratio
        let a = RetentionTable.middleFraction(
            promptTokens: context, keptRatio: ratio, sink: settings.sinkTokens, window: settings.windowTokens)
        let layout = Simulation.layoutDescriptor(spec: spec, table: table, model: m, settings: s, middleFraction: a)
        return (layout, groups.count)
    }

    // MARK: - Workloads

    /// Mean tokens a cell keeps of a `context`-token prompt.
    static func meanKept(_ layout: KVLayoutDescriptor, context: Int) -> Double {
        guard let budgets = layout.cellBudgets, !budgets.isEmpty else { return Double(context) }
        var sum = 0.0
        for b in budgets { sum += Double(layout.keptTokens(budget: b, contextTokens: context)) }
        return sum / Double(budgets.count)
    }

    static func decodeWorkload(
        model m: ModelSpec, layout: KVLayoutDescriptor, batch: Int, context: Int, appended: Int,
        compresses: Bool, groups: Int
    ) -> StepWorkload {
        var w = StepWorkload()
        w.decodeSequences = batch
        w.sampledSequences = batch
        let perRequest = (compresses ? meanKept(layout, context: context) : Double(context)) + Double(appended)
        w.fullDecodeKVTokens = Double(batch) * perRequest
        if let window = m.slidingWindowTokens {
            w.slidingDecodeKVTokens = Double(batch * min(context + appended, window))
        }
        let shape =
            compresses
            ? DecodeShape(compressedContextTokens: Int32(context), appendedTokens: Int32(appended))
            : DecodeShape(compressedContextTokens: 0, appendedTokens: Int32(context + appended))
        w.decodeShapes = Array(repeating: shape, count: batch)
        // One new page per (request, group) every 16 tokens, on average per step.
        w.blockTableEntriesWritten = Int((Double(batch * groups) / 16).rounded(.up))
        return w
    }

    /// `requests` requests each prefilling the last `chunk` tokens of a `context`-token prompt.
    static func prefillWorkload(
        model m: ModelSpec, layout: KVLayoutDescriptor, context: Int, chunk: Int,
        requests: Int = 1, compresses: Bool, reclaim: Bool, ratio: Double, groups: Int
    )
        -> StepWorkload
    {
        var w = StepWorkload()
        let start = context - chunk
        let r = Double(requests)
        w.prefillTokens = chunk * requests
        w.prefillSequences = requests
        w.sampledSequences = requests
        let history = compresses && start > 0 ? meanKept(layout, context: start) : Double(start)
        let n = Double(chunk)
        w.fullPrefillAttentionPairs = r * (n * history + n * (n + 1) / 2)
        if let window = m.slidingWindowTokens {
            w.slidingPrefillAttentionPairs = r * AttentionWork.slidingPairs(start: start, end: context, window: window)
        }
        if compresses {
            w.compressionScoredTokens = chunk * requests
            if reclaim {
                let bytesPerToken = Double(m.kvBytesPerTokenPerLayer * m.fullAttentionLayerCount)
                w.reclaimCopyBytes = r * n * ratio * bytesPerToken
                w.reclaimedPages = Int(r * n * (1 - ratio) / 16 * Double(groups))
                w.reclaimBoundaries = requests
                w.reclaimSeenTokensPerCluster = r * (history + n)
            }
        }
        w.blockTableEntriesWritten = requests * Int((n / 16).rounded(.up)) * groups
        return w
    }

    // MARK: - Output

    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    static func breakdownJSON(_ c: StepCost, indent: String) -> String {
        c.breakdown.map { "\(indent)\"\($0.key)\": \(number($0.seconds))" }.joined(separator: ",\n")
    }

    static func json(
        model: ModelSpec, gpu: GPUSpec, policy: Policy, batch: Int, context: Int, ratio: Double,
        chunk: Int, prefillRequests: Int, tp: Int, label: String, layout: String, partition: DecodePartition,
        decode: StepCost,
        prefill: StepCost
    ) -> String {
        """
        {
          "model": "\(model.name)",
          "gpu": "\(gpu.name)",
          "policy": "\(policy.name)",
          "layout": "\(layout)",
          "partition": "\(partition.rawValue)",
          "tensor_parallel": \(tp),
          "batch": \(batch),
          "context": \(context),
          "ratio": \(number(policy.spec.compresses ? ratio : 1)),
          "prefill_chunk_tokens": \(chunk),
          "prefill_requests": \(prefillRequests),
          "cost_model": "\(label)",
          "decode_step_s": \(number(decode.totalSeconds)),
          "prefill_chunk_s": \(number(prefill.totalSeconds)),
          "decode_imbalance": \(number(decode.decodeImbalance)),
          "decode_planning_share": \(number(decode.planningShare)),
          "breakdown": {
            "decode_step": {
        \(breakdownJSON(decode, indent: "      "))
            },
            "prefill_chunk": {
        \(breakdownJSON(prefill, indent: "      "))
            }
          }
        }

        """
    }

    static func text(
        label: String, policy: Policy, layout: String, decode: StepCost, prefill: StepCost, batch: Int,
        context: Int, chunk: Int
    ) -> String {
        func us(_ s: Double) -> String { String(format: "%10.1f", s * 1e6) }
        var out = "cost model: \(label); policy \(policy.name) (\(layout), \(policy.spec.partition.rawValue))\n"
        out += "kernel class        decode step (µs)  prefill chunk (µs)\n"
        for (d, p) in zip(decode.breakdown, prefill.breakdown) {
            out +=
                d.key.padding(toLength: 18, withPad: " ", startingAt: 0) + "      " + us(d.seconds) + "          "
                + us(p.seconds) + "\n"
        }
        out +=
            "total".padding(toLength: 18, withPad: " ", startingAt: 0) + "      " + us(decode.totalSeconds)
            + "          " + us(prefill.totalSeconds) + "\n"
        out += String(
            format: "decode: %d requests x %d tokens, imbalance %.3f, planning %.1f%% of the step; ",
            batch, context, decode.decodeImbalance, decode.planningShare * 100)
        out += "prefill: \(chunk)-token chunk\n"
        return out
    }
}
