import GPUModel
import Workloads

/// A parameter sweep: the product of its axes, each point one simulation.
///
/// Axes, slowest to fastest: models, GPUs, tensor-parallel degrees, workloads, session rates,
/// sessions, replicas, routers, kept ratios, policies, seeds. A point's index is its position in
/// that mixed-radix order, so the grid file alone fixes which point is which, and a
/// ``ShardSpec`` splits the points without coordination.
///
/// ```swift
/// let grid = try SweepGrid(spec: try SweepGridSpec.load(path: "grid.yaml"))
/// let mine = ShardSpec.whole.points(outOf: grid.pointCount)
/// let results = try await grid.run(points: mine, jobs: 4)
/// ```
public struct SweepGrid: Sendable {
    /// Label of the runs (may be empty).
    public var name: String
    /// What each point simulates.
    public var mode: SweepMode
    /// Models axis.
    public var models: [ModelSpec]
    /// GPUs axis.
    public var gpus: [GPUSpec]
    /// Tensor-parallel degrees axis.
    public var tensorParallel: [Int]
    /// The workloads as written, and loaded.
    public var workloadNames: [String]
    /// The loaded workloads, in the order of ``workloadNames``.
    public var workloads: [RateScalableWorkload]
    /// Session rates (`[nil]`: each workload's own).
    public var sessionRates: [Double?]
    /// Sessions per point axis (steady mode: measured sessions).
    public var sessions: [Int]
    /// Replicas axis.
    public var replicas: [Int]
    /// Routers axis.
    public var routers: [RoutingPolicy]
    /// Kept-ratio axis of compressed policies.
    public var keptRatios: [Double]
    /// Policy names axis.
    public var policies: [String]
    /// Seeds axis (the fastest).
    public var seeds: [UInt64]
    /// Steady mode: new sessions before the measured window (`nil`: half of the point's sessions).
    public var warmupSessions: Int?
    /// Steady mode: session history before each probe, seconds.
    public var historySeconds: Double
    /// Cost-model calibrations by GPU name (``GPUSpec/name``); a GPU without one is costed with
    /// spec-derived coefficients. Not read from the grid file: the caller resolves them (the
    /// `sweep` command's `--calibration`), so that every shard of a sweep uses the same ones.
    public var calibrations: [String: GPUCalibration] = [:]

    /// Resolves a grid file's names: catalogs, policies, routers, and loads its workloads.
    ///
    /// - Throws: ``WorkloadSpecError`` naming the grid file, line and field.
    public init(spec: SweepGridSpec) throws(WorkloadSpecError) {
        name = spec.name
        mode = spec.mode == "full" ? .full : .steady
        var models: [ModelSpec] = []
        for (i, m) in spec.models.enumerated() {
            do { models.append(try ModelCatalog.model(named: m)) } catch { throw spec.error("models[\(i)]", error.description) }
        }
        self.models = models
        var gpus: [GPUSpec] = []
        for (i, g) in spec.gpus.enumerated() {
            do { gpus.append(try GPUCatalog.gpu(named: g)) } catch { throw spec.error("gpus[\(i)]", error.description) }
        }
        self.gpus = gpus
        tensorParallel = spec.tensorParallel
        var policies: [String] = []
        for (i, p) in spec.policies.enumerated() {
            do { policies.append(try Policy.named(p).name) } catch { throw spec.error("policies[\(i)]", error.description) }
        }
        self.policies = policies
        var routers: [RoutingPolicy] = []
        for (i, r) in spec.routers.enumerated() {
            do { routers.append(try RoutingPolicy.named(r)) } catch { throw spec.error("routers[\(i)]", error.description) }
        }
        self.routers = routers
        workloadNames = spec.workloads
        var workloads: [RateScalableWorkload] = []
        for (i, w) in spec.workloads.enumerated() {
            do { workloads.append(try Self.loadWorkload(w)) } catch { throw spec.error("workloads[\(i)]", "\(error)") }
        }
        self.workloads = workloads
        sessionRates = spec.sessionRates ?? [nil]
        sessions = spec.sessions
        replicas = spec.replicas
        keptRatios = spec.keptRatios
        seeds = spec.seeds
        warmupSessions = spec.warmupSessions
        historySeconds = spec.historySeconds
        if spec.sessionRates == nil {
            for (i, w) in workloads.enumerated() where w.nativeRatePerSecond == nil && mode == .steady {
                throw spec.error("session_rates", "workload \(spec.workloads[i]) has no session rate of its own (its sessions arrive at once); give session_rates for steady mode")
            }
        }
    }

    /// Loads `preset:NAME`, `spec:PATH` or `trace:PATH` (a trace is read whole).
    public static func loadWorkload(_ text: String) throws -> RateScalableWorkload {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw CapacityInputError.setting(name: "workload", reason: "expected preset:NAME, spec:PATH or trace:PATH, got \(text)") }
        switch parts[0] {
        case "preset":
            guard let p = WorkloadPreset(rawValue: parts[1]) else {
                throw CapacityInputError.setting(
                    name: "workload", reason: "unknown preset '\(parts[1])'; known presets: \(WorkloadPreset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .preset(p)
        case "spec":
            return .spec(try WorkloadSpec.load(path: parts[1]), label: text)
        case "trace":
            var reader = try TraceImporter.open(path: parts[1])
            var list: [SessionSpec] = []
            while let s = try reader.nextSession() { list.append(s) }
            return try .trace(list, label: text)
        default:
            throw CapacityInputError.setting(name: "workload", reason: "expected preset:NAME, spec:PATH or trace:PATH, got \(text)")
        }
    }

    /// Sizes of the axes, slowest first.
    private var radices: [Int] {
        [models.count, gpus.count, tensorParallel.count, workloads.count, sessionRates.count, sessions.count,
         replicas.count, routers.count, keptRatios.count, policies.count, seeds.count]
    }

    /// Points in the grid.
    public var pointCount: Int { radices.reduce(1, *) }

    /// The point at `index` (0-based, `< pointCount`).
    public func point(at index: Int) -> SweepPoint {
        precondition(index >= 0 && index < pointCount, "point index out of range")
        var digits = Array(repeating: 0, count: radices.count)
        var rest = index
        for axis in radices.indices.reversed() {
            digits[axis] = rest % radices[axis]
            rest /= radices[axis]
        }
        return SweepPoint(
            index: index, model: models[digits[0]], gpu: gpus[digits[1]], tensorParallel: tensorParallel[digits[2]],
            workloadIndex: digits[3], workload: workloadNames[digits[3]], sessionRatePerSecond: sessionRates[digits[4]],
            sessions: sessions[digits[5]], replicas: replicas[digits[6]], routing: routers[digits[7]],
            keptRatio: keptRatios[digits[8]], policy: policies[digits[9]], seed: seeds[digits[10]], seedIndex: digits[10])
    }

    /// Steady-mode warm-up sessions of a point.
    public func warmupSessions(for point: SweepPoint) -> Int { warmupSessions ?? point.sessions / 2 }
}

extension SweepGrid {
    /// The sweep's name in run names (`sweep` when the grid has none).
    public var runLabel: String { name.isEmpty ? "sweep" : name }

    /// The `configuration_json` of a point's run.
    public func configurationJSON(for point: SweepPoint) -> String {
        point.configurationJSON(sweep: runLabel, mode: mode, points: pointCount,
                                warmupSessions: warmupSessions(for: point), historySeconds: historySeconds)
    }
}
