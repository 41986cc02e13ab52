import ArgumentParser
import Workloads

/// Options choosing the workload: a trace, a preset or a spec file, and the seed.
struct WorkloadOptions: ParsableArguments {
    @Option(help: "Simulate this trace file (native JSONL; see docs/trace-format.md).")
    var trace: String?

    @Option(help: "Use a built-in workload preset (default: chat).")
    var preset: String?

    @Option(help: "Sessions a preset draws.")
    var sessions: Int?

    @Option(help: "Seed for every random draw of the workload.")
    var seed: UInt64 = 1

    /// Sessions of the built-in default study.
    static let defaultSessions = 300

    func validate() throws {
        if trace != nil, preset != nil { throw ValidationError("give either --trace or --preset, not both") }
        if let n = sessions, n < 1 { throw ValidationError("--sessions must be positive") }
    }

    /// A short description for reports.
    var label: String {
        if let trace { return "trace:\(trace)" }
        return "preset:\(preset ?? "chat"):sessions=\(sessions ?? Self.defaultSessions):seed=\(seed)"
    }

    /// A fresh stream of the workload's sessions (each policy replays the same stream).
    func makeSource() throws -> any SessionSource {
        if let trace { return try NativeTraceReader(path: trace) }
        let name = preset ?? "chat"
        switch name {
        case "chat":
            return SyntheticChatGenerator(config: .chat(sessionCount: sessions ?? Self.defaultSessions, seed: seed))
        default:
            throw ValidationError("unknown preset '\(name)'; known presets: chat")
        }
    }
}
