import ArgumentParser
import Workloads

/// `tangram-sim trace`: generate, inspect and convert workload traces.
///
/// See docs/trace-format.md for the native format and docs/workloads.md for importers,
/// presets and workload specs.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Generate, inspect and convert workload traces.",
        subcommands: [Generate.self, Stats.self, Convert.self])
}

/// Options of commands that read a trace file.
struct TraceInputOptions: ParsableArguments {
    @Option(help: "Trace format: \(TraceFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String = TraceFormat.auto.rawValue

    @Flag(help: "Skip malformed rows (and report how many) instead of stopping at the first one.")
    var skipBadRows = false

    @Option(help: "Read at most this many sessions.")
    var sessions: Int?

    @Option(help: "Seed for what an importer must draw (ShareGPT arrivals and think times, ServeGen sessions).")
    var seed: UInt64 = 1

    @Option(help: "Session arrival rate (sessions/s, Poisson) for traces without timing (ShareGPT).")
    var rate: Double?

    @Option(help: "Seconds of inactivity after which a rebuilt session takes no more turns (Mooncake, BurstGPT).")
    var sessionIdleTimeout: Double = TraceImportOptions().sessionIdleTimeoutSeconds

    @Option(
        help:
            "Mooncake: spread each arrival uniformly over [t, t + seconds) (the conversation trace is quantised to ~3 s)."
    )
    var timestampJitter: Double = 0

    @Option(help: "ServeGen: model to take from an aggregate-rate file (default: the first).")
    var servegenModel: String?

    @Option(help: "ServeGen: multiply every window's rate by this factor.")
    var rateScale: Double = 1

    func validate() throws {
        guard TraceFormat(rawValue: format) != nil else {
            throw ValidationError(
                "unknown --format '\(format)'; known: \(TraceFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let n = sessions, n < 0 { throw ValidationError("--sessions must not be negative") }
        if let r = rate, !(r > 0 && r.isFinite) { throw ValidationError("--rate must be a positive number") }
    }

    /// The parsed format.
    var traceFormat: TraceFormat { TraceFormat(rawValue: format) ?? .auto }

    /// Importer options from the flags.
    var importOptions: TraceImportOptions {
        TraceImportOptions(
            skipBadRows: skipBadRows,
            sessionLimit: sessions,
            seed: seed,
            arrival: rate.map { .poisson(ratePerSecond: $0) },
            sessionIdleTimeoutSeconds: sessionIdleTimeout,
            mooncakeTimestampJitterSeconds: timestampJitter,
            servegenModel: servegenModel,
            servegenRateScale: rateScale)
    }

    /// Opens `path` as a streaming reader.
    func open(_ path: String) throws -> any TraceReader {
        try TraceImporter.open(path: path, format: traceFormat, options: importOptions)
    }
}

/// Options of commands that synthesise a workload from a preset or a spec file.
struct TraceSynthesisOptions: ParsableArguments {
    @Option(help: "Workload preset: \(WorkloadPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: String?

    @Option(help: "Workload spec file (YAML or JSON, or vLLM's generate_multi_turn.json); see docs/workloads.md.")
    var workload: String?

    func validate() throws {
        if preset != nil, workload != nil { throw ValidationError("give either --preset or --workload, not both") }
        if let p = preset, WorkloadPreset(rawValue: p) == nil {
            throw ValidationError(
                "unknown --preset '\(p)'; known: \(WorkloadPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// Whether either option was given.
    var isSet: Bool { preset != nil || workload != nil }

    /// The configurations of the chosen workload (default preset: chat); `rate` replaces the
    /// arrival process by Poisson arrivals at that total rate.
    func configs(sessions: Int?, seed: UInt64?, rate: Double?) throws -> [SyntheticChatConfig] {
        var configs: [SyntheticChatConfig]
        if let workload {
            configs = try WorkloadSpec.load(path: workload).configs(sessions: sessions, seed: seed)
        } else {
            let p = WorkloadPreset(rawValue: preset ?? "chat") ?? .chat
            configs = p.configs(sessions: sessions ?? 100, seed: seed ?? 1)
        }
        if let rate {
            let total = max(1, configs.reduce(0) { $0 + $1.sessionCount })
            for i in configs.indices {
                configs[i].arrival = .poisson(
                    ratePerSecond: rate * Double(max(1, configs[i].sessionCount)) / Double(total))
            }
        }
        return configs
    }

    /// A streaming source of the chosen workload.
    func source(sessions: Int?, seed: UInt64?, rate: Double?) throws -> any SessionSource {
        let c = try configs(sessions: sessions, seed: seed, rate: rate)
        if c.count == 1 { return SyntheticChatGenerator(config: c[0]) }
        return MergedSessionSource(c.map { SyntheticChatGenerator(config: $0) })
    }
}

extension TraceReadReport {
    /// Lines for standard error describing skipped rows and adjustments (empty when clean).
    var notes: String {
        var lines: [String] = []
        if rowsSkipped > 0 {
            lines.append("skipped \(rowsSkipped) bad row(s) of \(rowsRead):")
            lines += skippedErrors.map { "  \($0)" }
            if rowsSkipped > skippedErrors.count { lines.append("  ... and \(rowsSkipped - skippedErrors.count) more") }
        }
        for (reason, n) in rowsDropped.sorted(by: { $0.key < $1.key }) {
            lines.append("dropped \(n) row(s): \(reason)")
        }
        for (reason, n) in adjustments.sorted(by: { $0.key < $1.key }) { lines.append("adjusted \(n): \(reason)") }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// The report as JSON.
    var json: JSONValue {
        .object([
            ("rows_read", .integer(rowsRead)),
            ("rows_skipped", .integer(rowsSkipped)),
            ("skipped_errors", .array(skippedErrors.map { .string($0.description) })),
            ("rows_dropped", .object(rowsDropped.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            ("adjustments", .object(adjustments.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
        ])
    }
}
