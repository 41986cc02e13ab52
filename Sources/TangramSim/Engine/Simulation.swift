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
        self.setup = setup
        do {
            plan = try KVMemoryPlan.vllm(model: setup.model, gpu: setup.gpu, tensorParallel: setup.tensorParallel,
                                         engine: setup.engine)
        } catch { throw .memory(error) }
        let spec = setup.policy.spec
        guard spec.compresses else { retention = nil; return }
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
        retention = RetentionTable(profile: profile, budget: spec.budget, groups: groups, alpha: c.alpha,
                                   calibrationSamples: c.calibrationSamples)
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
                                     settings: setup.compression, table: retention)
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

    public var description: String {
        switch self {
        case .unsortedArrival(let id, let s): return "session \(id) arrives at \(s) s, before the session preceding it"
        case .invalidArrival(let id, let s): return "session \(id) has an invalid arrival time \(s) s"
        }
    }
}
