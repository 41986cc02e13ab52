import ArgumentParser
import Reports
import Workloads

extension TraceCommand {
    /// `trace stats`: summary statistics of a trace (or of a preset or spec).
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Print requests, sessions, turns per session, arrival rate, token percentiles and prefix reuse.",
            discussion: """
                Reads FILE in any supported format (--format auto detects it), or, without FILE, \
                the workload of --preset / --workload. With --json PATH the statistics are also \
                written as JSON (keys requests, sessions, turns_per_session, arrival_rate_per_s, ...); \
                --json - writes only the JSON, to standard output.
                """)

        @Argument(help: "The trace file.")
        var file: String?

        @OptionGroup var input: TraceInputOptions

        @OptionGroup var synthesis: TraceSynthesisOptions

        @Option(help: "Also write the statistics as JSON to this path; - writes only JSON, to standard output.")
        var json: String?

        func validate() throws {
            if file == nil, !synthesis.isSet { throw ValidationError("give a trace FILE, --preset or --workload") }
            if file != nil, synthesis.isSet {
                throw ValidationError("give either a trace FILE or --preset/--workload, not both")
            }
        }

        func run() throws {
            let stats: TraceStatistics
            var report: TraceReadReport?
            if let file {
                var reader = try input.open(file)
                stats = try TraceStatistics.collect(from: &reader)
                report = reader.report
            } else {
                var source = try synthesis.source(sessions: input.sessions, seed: input.seed, rate: input.rate)
                stats = try TraceStatistics.collect(from: &source)
            }
            var document = stats.json
            if let report, case .object(var members) = document {
                members.append(("import", report.json))
                document = .object(members)
            }
            if json == "-" {
                print(document.serialized)
                if let notes = report?.notes, !notes.isEmpty { StandardError.write(notes) }
                return
            }
            print(stats.text, terminator: "")
            if let notes = report?.notes, !notes.isEmpty { StandardError.write(notes) }
            if let json { try AtomicFile.write(document.serialized + "\n", to: json) }
        }
    }
}
