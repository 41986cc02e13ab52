import ArgumentParser
import Workloads

/// Options choosing the workload: a trace, a preset or a spec file, and the seed.
struct WorkloadOptions: ParsableArguments {
    @Option(help: "Simulate this trace file (see docs/trace-format.md and docs/workloads.md).")
    var trace: String?

    @Option(help: "Trace format: \(TraceFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format = "auto"

    @Flag(name: .customLong("skip-bad-rows"), help: "Skip and count malformed trace rows instead of stopping at the first.")
    var skipBadRows = false

    @Option(help: "Use a built-in workload preset (default: \(Self.defaultPreset.rawValue)): \(WorkloadPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: String?

    @Option(name: .customLong("scbench-protocol"), help: "SCBench presets: multi-turn (5 queries per context, per-task output lengths) or performance (one query, exactly 512 output tokens, as the Tangram code's throughput benchmark).")
    var scbenchProtocol = SCBenchProtocol.multiTurn.rawValue

    @Option(help: "A workload spec file (YAML or JSON; vLLM's multi-turn generator config is accepted as is).")
    var workload: String?

    @Option(help: "Sessions a preset or spec draws (default: 300 for chat, 40 for SCBench presets; a trace: the first N sessions).")
    var sessions: Int?

    @Option(help: "Seed for every random draw of the workload.")
    var seed: UInt64 = 1

    @Option(help: "Closed loop: this many users, each starting a new session a think time after their previous one ends (sessions come from the preset, spec or trace; their arrival times are ignored).")
    var users: Int?

    @Option(name: .customLong("user-think"), help: "Closed loop: median think time between a user's sessions, seconds (lognormal, sigma 1.05 as the chat preset's fit to Mooncake).")
    var userThinkSeconds = 125.0

    /// The default study's workload: SCBench's mid bucket (35K to 90K-token shared contexts, each
    /// followed by several queries), where KV memory bounds throughput.
    static let defaultPreset = WorkloadPreset.scbenchMid

    /// The preset in use when no trace or spec is given.
    var presetInUse: WorkloadPreset { preset.flatMap(WorkloadPreset.init(rawValue:)) ?? Self.defaultPreset }

    /// Sessions a preset draws unless `--sessions` says otherwise.
    var presetSessions: Int { sessions ?? (presetInUse == .chat ? 300 : 40) }

    func validate() throws {
        let given = [trace, preset, workload].compactMap { $0 }.count
        if given > 1 { throw ValidationError("give only one of --trace, --preset and --workload") }
        if let n = sessions, n < 1 { throw ValidationError("--sessions must be positive") }
        if let n = users, n < 1 { throw ValidationError("--users must be positive") }
        guard userThinkSeconds >= 0 else { throw ValidationError("--user-think must not be negative") }
        if TraceFormat(rawValue: format) == nil {
            throw ValidationError("unknown --format '\(format)'; known: \(TraceFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if SCBenchProtocol(rawValue: scbenchProtocol) == nil {
            throw ValidationError("unknown --scbench-protocol '\(scbenchProtocol)'; known: \(SCBenchProtocol.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let preset, WorkloadPreset(rawValue: preset) == nil {
            throw ValidationError("unknown preset '\(preset)'; known presets: \(WorkloadPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// A short description for reports.
    var label: String {
        let base = openLoopLabel
        guard let users else { return base }
        return base + ":closed-loop-users=\(users):think=\(userThinkSeconds)"
    }

    private var openLoopLabel: String {
        if let trace { return "trace:\(trace)" + (sessions.map { ":sessions=\($0)" } ?? "") }
        if let workload { return "workload:\(workload):seed=\(seed)" + (sessions.map { ":sessions=\($0)" } ?? "") }
        let scbench = protocolInUse == .multiTurn || presetInUse == .chat ? "" : ":protocol=\(protocolInUse.rawValue)"
        return "preset:\(presetInUse.rawValue):sessions=\(presetSessions):seed=\(seed)" + scbench
    }

    /// A fresh stream of the workload's sessions (each policy replays the same stream).
    func makeSource() throws -> any SessionSource {
        let open = try makeOpenLoopSource()
        guard let users else { return open }
        return ClosedLoopUsers(bodies: open, users: users, thinkTimeSeconds: .lognormal(median: userThinkSeconds, sigma: 1.05),
                               rampUpSeconds: 0, seed: seed)
    }

    private func makeOpenLoopSource() throws -> any SessionSource {
        do {
            if let trace {
                var options = TraceImportOptions()
                options.skipBadRows = skipBadRows
                options.sessionLimit = sessions
                options.seed = seed
                return try TraceImporter.open(path: trace, format: TraceFormat(rawValue: format) ?? .auto, options: options)
            }
            if let workload {
                return try WorkloadSpec.load(path: workload).source(sessions: sessions, seed: seed)
            }
        } catch {
            throw CLIError("\(error)")
        }
        return presetInUse.source(sessions: presetSessions, seed: seed, protocol: protocolInUse)
    }

    /// The SCBench protocol asked for (validated in ``validate()``).
    var protocolInUse: SCBenchProtocol { SCBenchProtocol(rawValue: scbenchProtocol) ?? .multiTurn }
}
