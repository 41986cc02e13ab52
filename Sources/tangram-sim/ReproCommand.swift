import ArgumentParser
import Foundation
import Reports
import TangramSim
import Workloads

/// `tangram-sim repro`: reproductions of published evaluations (docs/reproduction.md).
struct ReproCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repro",
        abstract: "Reproduce published evaluations on the simulator (docs/reproduction.md).",
        subcommands: [Paper.self])

    /// `tangram-sim repro paper`: the Tangram paper's evaluation on a simulated A100-80GB.
    struct Paper: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "paper",
            abstract: "Run the Tangram paper's evaluation (8 tables) on a simulated A100-80GB; write CSV, Markdown and an HTML report.")

        @Flag(help: "Reduced grid (Llama-3.1-8B, SCBench Mid, kept 0.75/0.25, few sessions).")
        var quick = false

        @Option(help: "Directory for <table>.csv, tables.md and report.html.")
        var out = "out/repro"

        @Option(help: "Workload and head-profile seed.")
        var seed: UInt64 = 1

        @Flag(name: .customLong("no-prefix-caching"),
              help: "Run every engine without prefix caching, as the Tangram code's benchmark harness does (the vllm baseline then thrashes under memory pressure; docs/reproduction.md).")
        var noPrefixCaching = false

        @Option(help: "What reserved budgets add up to: kept (exactly the kept ratio) or headroom (mu_h + 2 sigma_h per head as is).")
        var reservation = ReservationTotal.kept

        @Option(help: "Which SCBench datasets each model's buckets run: full (every model the full tasks), fastkvzip (FastKVzip's model-family rule: Qwen3 and Gemma-3 base checkpoints run the shorter kv, prefix_suffix and mf variants) or capacity (the released helpers' rule by context window, 131,072 tokens for every paper model).")
        var datasets = SCBenchDatasetSelection.fastKVzip

        @Option(help: "Cost-model coefficients for the A100-80GB: 'spec' (datasheet-derived, the default) or a calibration JSON for a100-80gb ('tangram-sim calibrate' on measurements taken on an A100, or an edited 'calibrate --spec-derived' file).")
        var calibration = "spec"

        @Flag(help: "Print nothing but errors.")
        var quiet = false

        func run() throws {
            var repro = PaperReproduction(grid: quick ? .quick : .full)
            repro.seed = seed
            repro.reservation = reservation
            repro.datasets = datasets
            if noPrefixCaching { repro.engine.enablePrefixCaching = false }
            repro.calibration = try ModelOptions.calibration(named: calibration, for: repro.gpu)
            let clock = ContinuousClock()
            let start = clock.now
            let tables = try repro.run { name in
                if !quiet { StandardError.write("repro: \(name)\n") }
            }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            do {
                for t in tables {
                    try AtomicFile.write(t.csv, to: out + "/" + t.name + ".csv")
                }
                var settings = "Simulated A100-80GB; max_num_seqs 16, gpu memory utilization 0.9, chunk 8192, sink 32, "
                settings += "window 4096, H_p 4, SnapKV head profiles, seed \(seed)"
                settings += noPrefixCaching ? ", prefix caching off" : ""
                settings += repro.reservation == .kept ? "" : ", reserved budgets mu + 2 sigma as is"
                settings += ", SCBench datasets: \(datasets.rawValue)"
                settings += calibration == "spec" ? "" : ", cost-model coefficients from \(calibration)"
                let title = "Tangram paper reproduction (\(quick ? "quick" : "full") grid)"
                var md = "# \(title)\n\n" + settings + ". See docs/reproduction.md.\n\n"
                md += tables.map(\.markdown).joined(separator: "\n")
                try AtomicFile.write(md, to: out + "/tables.md")
                try ReproReport(tables: tables, title: title, subtitle: settings + ".").write(to: out + "/report.html")
            } catch {
                StandardError.write("error: \(error)\n")
                throw ExitCode(2)
            }
            if !quiet {
                print(tables.map(\.markdown).joined(separator: "\n"))
                print("wrote \(tables.count) tables and report.html to \(out) in \(ReproWallTime.text(seconds)) s")
            }
        }
    }
}

/// Formats the reproduction's wall time for the closing line.
enum ReproWallTime {
    static func text(_ seconds: Double) -> String { "\((seconds * 10).rounded() / 10)" }
}
