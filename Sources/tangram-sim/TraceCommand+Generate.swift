import ArgumentParser
import Workloads

extension TraceCommand {
    /// `trace generate`: writes a synthetic workload as a native trace.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a synthetic workload (a preset or a spec file) as a native JSONL trace.")

        @OptionGroup var synthesis: TraceSynthesisOptions

        @Option(help: "Sessions to generate (default: the spec's count, else 100).")
        var sessions: Int?

        @Option(help: "Session arrival rate (sessions/s, Poisson), replacing the preset's or spec's arrival process.")
        var rate: Double?

        @Option(help: "Master seed of every random draw.")
        var seed: UInt64?

        @Option(help: "Output file (written atomically); - writes to standard output.")
        var out: String

        func validate() throws {
            if let n = sessions, n < 0 { throw ValidationError("--sessions must not be negative") }
            if let r = rate, !(r > 0 && r.isFinite) { throw ValidationError("--rate must be a positive number") }
        }

        func run() throws {
            var source = try synthesis.source(
                sessions: sessions ?? (synthesis.workload == nil ? 100 : nil), seed: seed, rate: rate)
            let writer = try NativeTraceWriter(path: out)
            try writer.write(contentsOf: &source)
            try writer.finish()
            if out != "-" { StandardError.write("wrote \(writer.sessionsWritten) sessions to \(out)\n") }
        }
    }
}
