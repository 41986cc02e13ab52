import ArgumentParser
import Workloads

extension TraceCommand {
    /// `trace convert`: any supported trace to the native format.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract:
                "Convert a trace (Mooncake, Azure, ShareGPT, ServeGen, BurstGPT, native) to the native JSONL format.")

        @Argument(help: "The input trace.")
        var file: String

        @OptionGroup var input: TraceInputOptions

        @Option(help: "Output file (written atomically); - writes to standard output.")
        var out: String

        func run() throws {
            var reader = try input.open(file)
            let writer = try NativeTraceWriter(path: out)
            try writer.write(contentsOf: &reader)
            try writer.finish()
            let notes = reader.report.notes
            if !notes.isEmpty { StandardError.write(notes) }
            if out != "-" { StandardError.write("wrote \(writer.sessionsWritten) sessions to \(out)\n") }
        }
    }
}
