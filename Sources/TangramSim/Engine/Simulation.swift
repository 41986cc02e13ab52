import GPUModel
import Workloads

/// A discrete-event simulation of one replica serving a multi-turn workload.
///
/// Time advances from event to event (session arrivals, turn arrivals after think time, step
/// completions) on one ``EventQueue``; nothing reads the wall clock and every random draw is
/// derived from the seed, so a workload and a setup determine the result exactly. Sessions are
/// pulled from the ``SessionSource`` one at a time as they arrive, so memory grows with the
/// sessions active at once, not with the workload's length.
///
/// ```swift
/// var source = ArraySessionSource(sessions)
/// let sim = try Simulation(setup: SimulationSetup(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200))
/// let summary = try sim.run(&source) { record in print(record.ttftSeconds) }
/// ```
public struct Simulation: Sendable {
    public let setup: SimulationSetup
    /// How the replica's memory is split; fixes the KV capacity.
    public let plan: KVMemoryPlan
    /// Per-head retention of compressed policies (`nil` for `vllm`).
    public let retention: RetentionTable?

    /// Plans memory and, for compressed policies, the per-head retention table.
    ///
    /// - Throws: ``SimulationSetupError`` when the model leaves no room for a KV cache or no head
    ///   profile fits it.
    public init(setup: SimulationSetup) throws(SimulationSetupError) {
        (self.setup, plan, retention) = try Self.resolve(setup)
    }

    /// Checks that `model`'s heads split over `tensorParallel` GPUs as vLLM requires
    /// (`ModelConfig.verify_with_parallel_config`): the attention heads divide by the
    /// tensor-parallel size; the KV heads are split when there are enough, replicated otherwise.
    ///
    /// - Throws: ``SimulationSetupError/tensorParallel(model:queryHeads:kvHeads:tensorParallel:)``.
    public static func checkTensorParallel(model m: ModelSpec, tensorParallel tp: Int) throws(SimulationSetupError) {
        guard tp >= 1, m.queryHeads % tp == 0, m.kvHeads % tp == 0 || tp % m.kvHeads == 0 else {
            throw .tensorParallel(model: m.name, queryHeads: m.queryHeads, kvHeads: m.kvHeads, tensorParallel: tp)
        }
    }

    private static func resolve(_ given: SimulationSetup) throws(SimulationSetupError)
        -> (SimulationSetup, KVMemoryPlan, RetentionTable?)
    {
        var setup = given
        try checkTensorParallel(model: setup.model, tensorParallel: setup.tensorParallel)
        let plan: KVMemoryPlan
        do {
            plan = try KVMemoryPlan.vllm(model: setup.model, gpu: setup.gpu, tensorParallel: setup.tensorParallel,
                                         engine: setup.engine)
        } catch { throw .memory(error) }
        let spec = setup.policy.spec
        guard spec.compresses else {
            if setup.costModelIsDefault {
                setup.costModel = KernelCostModel(model: setup.model, gpu: setup.gpu, tensorParallel: setup.tensorParallel,
                                                  partition: spec.partition, calibration: setup.calibration)
            }
            return (setup, plan, nil)
        }
        let c = setup.compression
        guard c.keptRatio > 0, c.keptRatio <= 1 else { throw .settings("kept ratio must be in (0, 1], got \(c.keptRatio)") }
        let profile: HeadProfile
        if let p = setup.headProfile {
            profile = p
        } else {
            do {
                profile = try SyntheticHeadProfiles.profile(
                    model: setup.model.name, scorer: c.scorer, layout: c.scope == .perlayer ? .perlayer : .crosslayer,
                    samples: 28, seed: c.seed)
            } catch { throw .profile(error) }
        }
        let layers = setup.model.fullAttentionLayerCount, heads = setup.model.kvHeads
        guard profile.headCount == layers * heads else {
            throw .profileShape(profile: profile.name, heads: profile.headCount, model: setup.model.name,
                                expected: layers * heads)
        }
        let groups = HeadGroups.make(layout: spec.layout, meanRatios: profile.meanRatios, layers: layers, kvHeads: heads)
        let table = RetentionTable(profile: profile, budget: spec.budget, groups: groups, alpha: c.alpha,
                                   calibrationSamples: c.calibrationSamples, reservation: c.reservation)
        if setup.costModelIsDefault {
            setup.costModel = KernelCostModel(
                model: setup.model, gpu: setup.gpu, tensorParallel: setup.tensorParallel,
                layout: Self.layoutDescriptor(spec: spec, table: table, model: setup.model, settings: c),
                partition: spec.partition, scorer: CompressionScorer(rawValue: c.scorer.rawValue) ?? .none,
                calibration: setup.calibration, reclaimWriteback: c.reclaimWriteback)
        }
        return (setup, plan, table)
    }

    /// The KV layout the cost model reads: per (full layer, KV head) cell, the ratio its decode
    /// attention reads at and its page group. Ratios are those of a long prompt at the kept ratio
    /// (middle fraction ≈ kept ratio), averaged over a dynamic profile's samples; a ragged group
    /// is read at its longest member's length, a monolithic layout (one length per request) at the
    /// longest cell's length everywhere.
    ///
    /// - Parameter middleFraction: the fraction of the compressible middle kept, for one prompt
    ///   length (``RetentionTable/middleFraction(promptTokens:keptRatio:sink:window:)``); `nil`
    ///   takes the kept ratio, its value for long prompts.
    public static func layoutDescriptor(spec: PolicySpec, table: RetentionTable, model: ModelSpec,
                                        settings: CompressionSettings, middleFraction: Double? = nil)
        -> KVLayoutDescriptor
    {
        let bin = RetentionTable.bin(middleFraction: middleFraction ?? settings.keptRatio)
        let cells = table.cellCount
        var own = [Double](repeating: 0, count: cells)
        for v in 0..<table.variantCount {
            for c in 0..<cells { own[c] += table.cellRatio(variant: v, bin: bin, cell: c) / Double(table.variantCount) }
        }
        var groupOf = [Int](repeating: 0, count: cells)
        for (g, members) in table.groups.enumerated() { for c in members { groupOf[c] = g } }
        var budgets = own
        let name: String, hp: Int, groups: [Int]?
        switch spec.layout {
        case .monolithic:
            // One block table and one length per request for every (layer, head): the kernel reads
            // every head to the longest head's length (the trapped slots are read and masked).
            name = "monolithic"; hp = cells; groups = nil
            let longest = own.max() ?? 0
            budgets = Array(repeating: longest, count: cells)
        case .ragged(let h, let grouping, let scope):
            name = "ragged-\(grouping.rawValue)-\(scope.rawValue)-\(h)"; hp = h; groups = groupOf
            let groupMax = table.groups.map { $0.map { own[$0] }.max() ?? 0 }
            for c in 0..<cells { budgets[c] = groupMax[groupOf[c]] }
        case .raggedRegrownToLongest(let h, _, _):
            name = "ragged-regrown-\(h)"; hp = h; groups = groupOf
            let longest = own.max() ?? 0
            budgets = Array(repeating: longest, count: cells)
        }
        return KVLayoutDescriptor(
            name: name, fullLayerCount: model.fullAttentionLayerCount, kvHeadsPerLayer: model.kvHeads,
            cellBudgets: budgets, cellGroups: groups, headsPerGroup: hp, sinkTokens: settings.sinkTokens,
            windowTokens: settings.windowTokens, floorTokens: settings.floorTokens)
    }

    /// Runs the workload to completion.
    ///
    /// - Parameters:
    ///   - source: the sessions, in arrival order.
    ///   - sampleIntervalSeconds: simulated seconds between ``StepSample``s passed to `onStep`.
    ///   - onStep: called with a snapshot at the first step of every sampling interval.
    ///   - onRequest: called with each request as it finishes, in finishing order.
    /// - Returns: the run's summary.
    /// - Throws: what `source`, `onStep` or `onRequest` throw, and ``SimulationError`` for
    ///   inconsistent workloads.
    public func run<S: SessionSource>(
        _ source: inout S, sampleIntervalSeconds: Double = 1, onStep: (StepSample) throws -> Void = { _ in },
        onRequest: (RequestRecord) throws -> Void
    ) throws -> PolicySummary {
        if let retention {
            let kv = HeadwiseKVCache(plan: plan, model: setup.model, policy: setup.policy.spec,
                                     settings: setup.compression, table: retention,
                                     maxModelLenTokens: setup.engine.maxModelLenTokens)
            var run = Run(setup: setup, plan: plan, replica: Replica(engine: setup.engine, kv: kv, compresses: true))
            return try run.execute(&source, sampleInterval: sampleIntervalSeconds, onStep: onStep, onRequest: onRequest)
        }
        let kv = PagedKVCache(plan: plan, prefixCaching: setup.engine.enablePrefixCaching)
        var run = Run(setup: setup, plan: plan, replica: Replica(engine: setup.engine, kv: kv))
        return try run.execute(&source, sampleInterval: sampleIntervalSeconds, onStep: onStep, onRequest: onRequest)
    }

    /// A stream identity per arriving session (SplitMix64 of its arrival index).
    static func streamKey(_ index: Int) -> UInt64 {
        var z = UInt64(index) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A workload the simulation cannot run as given.
public enum SimulationError: Error, Hashable, CustomStringConvertible {
    case unsortedArrival(sessionID: Int, seconds: Double)
    case invalidArrival(sessionID: Int, seconds: Double)
    /// A time the workload reaches lies beyond ``SimTime/maximumSeconds``.
    case beyondTimeRange(what: String, seconds: Double)

    public var description: String {
        switch self {
        case .beyondTimeRange(let what, let s):
            return "\(what) at \(s) s is beyond the simulator's time range (\(SimTime.maximumSeconds) s of integer nanoseconds)"
        case .unsortedArrival(let id, let s): return "session \(id) arrives at \(s) s, before the session preceding it"
        case .invalidArrival(let id, let s): return "session \(id) has an invalid arrival time \(s) s"
        }
    }
}
