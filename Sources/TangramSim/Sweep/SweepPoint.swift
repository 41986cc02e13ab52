import GPUModel
import Workloads

/// One point of a sweep grid: a value on every axis.
public struct SweepPoint: Sendable, Hashable {
    /// Position in the grid (0-based; the last axis varies fastest).
    public var index: Int
    /// The model.
    public var model: ModelSpec
    /// The GPU.
    public var gpu: GPUSpec
    /// GPUs per replica.
    public var tensorParallel: Int
    /// Index into ``SweepGrid/workloads`` and the workload as written.
    public var workloadIndex: Int
    /// The workload as written in the grid.
    public var workload: String
    /// Session rate, or `nil` for the workload's own.
    public var sessionRatePerSecond: Double?
    /// Sessions (steady mode: measured sessions).
    public var sessions: Int
    /// Replicas in the cluster.
    public var replicas: Int
    /// The cluster's router.
    public var routing: RoutingPolicy
    /// Kept ratio of compressed policies.
    public var keptRatio: Double
    /// The policy's name.
    public var policy: String
    /// The workload seed.
    public var seed: UInt64
    /// Position of the seed on its axis (a trace's window).
    public var seedIndex: Int

    /// The point's values as JSON text, for the `configuration_json` of its run.
    public func configurationJSON(sweep: String, mode: SweepMode, points: Int, warmupSessions: Int,
                                  historySeconds: Double) -> String {
        var members: [(key: String, value: JSONValue)] = [
            ("sweep", .string(sweep)), ("point", .integer(index)), ("points", .integer(points)),
            ("mode", .string(mode.rawValue)), ("model", .string(model.name)), ("gpu", .string(gpu.name)),
            ("tensor_parallel", .integer(tensorParallel)), ("workload", .string(workload)),
            ("session_rate_per_s", sessionRatePerSecond.map { .number($0) } ?? .null),
            ("sessions", .integer(sessions)),
        ]
        if mode == .steady {
            members.append(("warmup_sessions", .integer(warmupSessions)))
            members.append(("history_s", .number(historySeconds)))
        }
        members += [
            ("replicas", .integer(replicas)), ("router", .string(routing.rawValue)), ("kept_ratio", .number(keptRatio)),
            ("policy", .string(policy)), ("seed", .integer(Int(truncatingIfNeeded: seed))),
        ]
        return JSONValue.object(members).serialized
    }
}

extension SweepPoint {
    /// The facts a results database stores about the point's run (its `runs` row): a name
    /// (`<sweep> #<index>`), model, GPU, a workload description and the seed.
    public func runName(sweep: String) -> String { "\(sweep) #\(index)" }

    /// The workload column of the point's run: the workload, its rate and its sessions.
    public var workloadDescription: String {
        "\(workload):rate=\(sessionRatePerSecond.map { "\($0)" } ?? "own"):sessions=\(sessions)"
    }
}
