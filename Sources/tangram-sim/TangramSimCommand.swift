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
            Run with no arguments for the default study (a synthetic multi-turn chat workload on \
            Llama-3.1-8B and one H200). See README.md and docs/ for workloads, policies and outputs.
            """,
        version: ToolVersion.string,
        subcommands: [SimulateCommand.self, TraceCommand.self, MemoryCommand.self, ReportCommand.self, ProfileCommand.self, ValidateCommand.self, BenchCommand.self],
        defaultSubcommand: SimulateCommand.self)
}
