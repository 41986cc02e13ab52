import ArgumentParser

/// The `tangram-sim` command: a multi-turn LLM serving simulator and capacity planner.
///
/// With no subcommand it simulates (``SimulateCommand``); with no arguments at all it runs the
/// built-in default study.
@main
struct TangramSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tangram-sim",
        abstract: "Simulate multi-turn LLM serving with paged and head-wise compressed KV caches.",
        discussion: """
            Run with no arguments for the default study: 40 SCBench-like multi-turn sessions (a 35K to \
            90K-token shared context, then follow-up queries) on Llama-3.1-8B and one H200, comparing \
            full-KV vLLM, uniform compression and Tangram at 25% kept. See README.md and docs/.
            """,
        version: ToolVersion.string,
        subcommands: [SimulateCommand.self, TraceCommand.self, MemoryCommand.self, ReportCommand.self, ProfileCommand.self, StepCommand.self, CalibrateCommand.self, ValidateCommand.self, ReproCommand.self, PlanCommand.self, SweepCommand.self, MergeCommand.self, BenchCommand.self],
        defaultSubcommand: SimulateCommand.self)
}
