import ArgumentParser
import Foundation
import GPUModel
import Reports
import TangramSim
import Workloads

/// `tangram-sim [simulate]`: runs a workload under one or more KV cache policies and reports
/// throughput, latency and memory.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a workload under one or more KV cache policies (the default command).")

    @OptionGroup var workload: WorkloadOptions
    @OptionGroup var models: ModelOptions
    @OptionGroup(title: "Compression") var compression: CompressionOptions

    @Option(help: "Comma-separated KV cache policies: \(Policy.names.joined(separator: ", ")).")
    var policy = "vllm,uniform,tangram"

    @Option(help: "Write summary.csv, requests.csv and results.sqlite into this directory.")
    var out: String?

    @Option(help: "Write the JSON summary to this path ('-' for standard output).")
    var json: String?

    @Option(help: "Append the run to this SQLite database (created when missing).")
    var db: String?

    @Option(name: .customLong("sample-interval"), help: "Simulated seconds between step samples (steps.csv, memory timeline).")
    var sampleInterval = 1.0

    @Flag(help: "Print nothing but errors (and the JSON when --json -).")
    var quiet = false

    @Flag(help: "Run the CUDA kernel measurement grid on this machine's GPU instead of simulating (same as 'tangram-sim validate'; exit code 3 without a GPU).")
    var validate = false

    @Option(help: "With --validate: path of libtangram_kernels.so (built by Kernels/build.sh).")
    var kernels: String?

    func run() throws {
        if validate {
            var arguments = ["--out", out ?? "out/validate", "--model", models.model]
            if let kernels { arguments += ["--kernels", kernels] }
            let command = try ValidateCommand.parse(arguments)
            try command.run()
            return
        }
        let (model, gpu, engine) = try models.resolve()
        let settings = compression.settings(seed: workload.seed)
        let headProfile = try compression.loadProfile()
        let calibration: GPUCalibration?
        do { calibration = try models.loadCalibration(for: gpu) } catch { try fail("\(error)") }
        let policies: [Policy]
        do {
            policies = try policy.split(separator: ",").map { name throws(UnknownPolicyError) in
                try Policy.named(name.trimmingCharacters(in: .whitespaces), settings: settings)
            }
        } catch {
            throw ValidationError("\(error)")
        }
        guard !policies.isEmpty else { throw ValidationError("--policy names no policy") }

        let metadata = RunMetadata(
            model: model.name, gpu: gpu.name, workload: workload.label, seed: Int(truncatingIfNeeded: workload.seed),
            toolVersion: ToolVersion.string,
            calibrationID: calibration.map { "\($0.gpu)@\($0.provenance.date ?? "undated")" }, configurationJSON: configurationJSON(model: model, gpu: gpu, engine: engine))
        var output: RunOutput?
        if out != nil || db != nil {
            do { output = try RunOutput(directory: out, run: metadata, database: db) } catch { try fail("\(error)") }
        }
        InterruptHandler.install()
        if let output { InterruptHandler.protect(temporaryPaths: output.temporaryPaths) }
        let progress = ProgressReporter(
            quiet: quiet || json == "-",
            totalSessions: workload.trace == nil && workload.workload == nil ? workload.presetSessions : nil,
            policyCount: policies.count)
        var status = RunStatus.complete
        var summaries: [PolicySummary] = []
        var saved: SavedRun?
        do {
            for (i, p) in policies.enumerated() {
                let setup = SimulationSetup(model: model, gpu: gpu, tensorParallel: models.tp, engine: engine, policy: p,
                                            compression: settings, headProfile: headProfile, calibration: calibration)
                let simulation: Simulation
                do { simulation = try Simulation(setup: setup) } catch { throw CLIError("\(error)") }
                var source = try workload.makeSource()
                progress.startPolicy(p.name, index: i)
                let clock = ContinuousClock()
                let start = clock.now
                do {
                    var summary = try simulation.run(&source, sampleIntervalSeconds: sampleInterval, onStep: { step in
                        try InterruptHandler.checkInterrupted()
                        progress.observe(step: step)
                        try output?.record(policy: p.name, step: step)
                    }) { record in
                        try InterruptHandler.checkInterrupted()
                        progress.observe(record)
                        try output?.record(policy: p.name, record)
                    }
                    let elapsed = clock.now - start
                    summary.simWallSeconds = Double(elapsed.components.seconds)
                        + Double(elapsed.components.attoseconds) / 1e18
                    summaries.append(summary)
                } catch is InterruptedError {
                    status = .interrupted
                    break
                }
            }
            progress.finish()
            saved = try output?.finish(summaries: summaries, status: status)
            InterruptHandler.protect(temporaryPaths: [])
        } catch let error as ValidationError {
            output?.abandon()
            throw error
        } catch let error as CLIError {
            output?.abandon()
            try fail(error.description)
        } catch {
            output?.abandon()
            try fail("\(error)")
        }
        if status == .interrupted {
            StandardError.write("\(saved.map { "\($0)" } ?? "interrupted: nothing saved (no --out or --db)")\n")
            throw ExitCode(130)
        }

        let report = JSONReport(run: metadata, summaries: summaries)
        if let json {
            try report.write(to: json)
        }
        if !quiet, json != "-" {
            print("tangram-sim \(ToolVersion.string): \(model.name) on \(models.tp) x \(gpu.name), \(workload.label)")
            print(SummaryTable(summaries: summaries).render())
            if let saved { print(saved) }
        }
    }

    private func fail(_ message: String) throws -> Never {
        StandardError.write("error: \(message)\n")
        throw ExitCode(2)
    }

    private func configurationJSON(model: ModelSpec, gpu: GPUSpec, engine: EngineConfig) -> String {
        """
        {"model":"\(model.name)","gpu":"\(gpu.name)","tensor_parallel":\(models.tp),"policies":"\(policy)",\
        "block_size_tokens":\(engine.blockSizeTokens),"gpu_memory_utilization":\(engine.gpuMemoryUtilization),\
        "max_num_batched_tokens":\(engine.maxNumBatchedTokens),"max_num_seqs":\(engine.maxNumSeqs),\
        "max_model_len":\(engine.maxModelLenTokens),"reserve_full_isl":\(engine.reserveFullSequenceAtAdmission),\
        "enable_prefix_caching":\(engine.enablePrefixCaching),"workload":"\(workload.label)",\
        "kept_ratio":\(compression.ratio),"scorer":"\(compression.scorer)","heads_per_group":\(compression.hp),\
        "grouping":"\(compression.grouping)","scope":"\(compression.scope)","alpha":\(compression.alpha),"reservation":"\(compression.reservation)",\
        "recompress_each_turn":\(compression.recompress)}
        """
    }
}
