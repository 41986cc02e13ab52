import ArgumentParser
import Dispatch
import GPUModel
import Reports
import TangramSim
import Workloads

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tangram-sim plan`: per policy, the highest session arrival rate one replica sustains within
/// latency objectives, the replicas and GPUs a target rate needs, and the cost per million
/// output tokens. See docs/capacity.md.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Find the session rate one replica sustains within latency objectives, and the GPUs and cost of a target rate.",
        discussion: """
            For each policy and seed, probes a replica in steady state at a session rate, doubles or \
            halves the rate until one passes and one fails, then bisects. A rate passes only if every \
            seed meets every objective. Replicas = ceil(target / rate); cost per million output tokens \
            = GPU-hour price x GPUs / output tokens per hour at the target rate. See docs/capacity.md.
            """)

    @OptionGroup var models: ModelOptions
    @OptionGroup(title: "Compression") var compression: CompressionOptions

    @Option(help: "Comma-separated KV cache policies: \(Policy.names.joined(separator: ", ")), or 'all'.")
    var policy = "vllm,tangram"

    @Option(help: "Workload preset (default: chat): \(WorkloadPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: String?

    @Option(help: "A workload spec file (YAML or JSON; docs/workloads.md).")
    var workload: String?

    @Option(help: "A trace file; its session starts are rescaled to each probed rate, think times kept.")
    var trace: String?

    @Option(help: "Trace format: \(TraceFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format = "auto"

    @Flag(name: .customLong("skip-bad-rows"), help: "Skip and count malformed trace rows instead of stopping at the first.")
    var skipBadRows = false

    @Option(name: .customLong("timestamp-jitter"), help: "Mooncake traces: spread each arrival uniformly over [t, t + seconds) (the conversation trace is quantised to about 3 s, so many sessions share a timestamp).")
    var timestampJitter = 0.0

    @Option(help: "Latency objectives every seed must meet, e.g. \"ttft_p99<=2s,tpot_p99<=100ms\" (metrics ttft, tpot, e2e; statistics mean, p50, p90, p99; units s or ms).")
    var slo: String

    @Option(name: .customLong("target-rate"), help: "Session arrival rate the cluster must serve, sessions/s (default: the workload's own rate).")
    var targetRate: Double?

    @Option(name: .customLong("gpu-hour-usd"), help: "Price of one GPU for one hour in dollars (no default: without it no costs are shown).")
    var gpuHourUSD: Double?

    @Option(help: "Write the plan as JSON to this path ('-' for standard output).")
    var json: String?

    @Option(help: "New sessions measured per probe (the work per probe is about (sessions + warm-up sessions) x turns per session requests).")
    var sessions = 300

    @Option(name: .customLong("warmup-sessions"), help: "New sessions per probe before the measured window (default: half of --sessions).")
    var warmupSessions: Int?

    @Option(help: "Number of seeds; a rate passes only if every seed meets every objective.")
    var seeds = 3

    @Option(help: "First seed (seeds are seed, seed+1, ...). For a trace, seed k measures its k-th window.")
    var seed: UInt64 = 1

    @Option(help: "Bisection steps after the rate is bracketed.")
    var iterations = 8

    @Option(name: .customLong("start-rate"), help: "First session rate probed (default: the workload's own rate, else 1).")
    var startRate: Double?

    @Option(help: "Seconds of session history before each probe (synthetic workloads); 4 h covers 98% of chat turns.")
    var history = 14_400.0

    @Option(help: "Probes run at once (default: the number of processors).")
    var jobs: Int?

    @Flag(help: "Also simulate a cluster of the planned size at the target rate and report whether it meets the objectives.")
    var confirm = false

    @Option(help: "Router of the confirming cluster: \(RoutingPolicy.allCases.map(\.rawValue).joined(separator: ", ")).")
    var router = RoutingPolicy.sessionAffinity.rawValue

    @Flag(help: "Print nothing but errors (and the JSON when --json -).")
    var quiet = false

    func validate() throws {
        if [preset, workload, trace].compactMap({ $0 }).count > 1 {
            throw ValidationError("give only one of --preset, --workload and --trace")
        }
        if let preset, WorkloadPreset(rawValue: preset) == nil {
            throw ValidationError("unknown preset '\(preset)'; known presets: \(WorkloadPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if TraceFormat(rawValue: format) == nil {
            throw ValidationError("unknown --format '\(format)'; known: \(TraceFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        do { _ = try ServiceLevelObjectives.parse(slo) } catch { throw ValidationError(error.description) }
        do { _ = try RoutingPolicy.named(router) } catch { throw ValidationError(error.description) }
        guard timestampJitter >= 0, timestampJitter.isFinite else { throw ValidationError("--timestamp-jitter must be a non-negative number of seconds") }
        if let t = targetRate, !(t > 0 && t.isFinite) { throw ValidationError("--target-rate must be a positive number") }
        if let p = gpuHourUSD, !(p >= 0 && p.isFinite) { throw ValidationError("--gpu-hour-usd must be a non-negative number") }
        guard sessions >= 1 else { throw ValidationError("--sessions must be positive") }
        if let w = warmupSessions, w < 0 { throw ValidationError("--warmup-sessions must not be negative") }
        guard (1...1000).contains(seeds) else { throw ValidationError("--seeds must be in 1...1000") }
        guard (0...40).contains(iterations) else { throw ValidationError("--iterations must be in 0...40") }
        if let r = startRate, !(r > 0 && r.isFinite) { throw ValidationError("--start-rate must be a positive number") }
        guard history >= 0, history.isFinite else { throw ValidationError("--history must be a non-negative number of seconds") }
        if let j = jobs, j < 1 { throw ValidationError("--jobs must be positive") }
    }

    func run() throws {
        let (model, gpu, engine) = try models.resolve()
        let compressionSettings = compression.settings(seed: seed)
        let headProfile = try compression.loadProfile()
        let policies = try Self.policies(policy, settings: compressionSettings)
        let objectives = try ServiceLevelObjectives.parse(slo)
        let scalable = try loadWorkload()

        var settings = PlanSettings()
        settings.seeds = (0..<UInt64(seeds)).map { seed &+ $0 }
        settings.measuredSessions = sessions
        settings.warmupSessions = warmupSessions ?? sessions / 2
        settings.historySeconds = history
        settings.bisectionSteps = iterations
        settings.startRatePerSecond = startRate
        settings.jobs = jobs ?? Self.processorCount
        settings.routing = try RoutingPolicy.named(router)

        let calibration = try models.loadCalibration(for: gpu)
        let setup = SimulationSetup(model: model, gpu: gpu, tensorParallel: models.tp, engine: engine,
                                    compression: compressionSettings, headProfile: headProfile,
                                    calibration: calibration)
        let planner = CapacityPlanner(setup: setup, policies: policies, workload: scalable, objectives: objectives,
                                      settings: settings, targetRatePerSecond: targetRate, gpuHourUSD: gpuHourUSD)
        let verbose = !quiet
        if verbose {
            StandardError.write("planning \(policies.count) polic\(policies.count == 1 ? "y" : "ies") x \(settings.seeds.count) seeds "
                + "on \(settings.jobs) job\(settings.jobs == 1 ? "" : "s"), starting at \(planner.startRatePerSecond) sessions/s\n")
        }
        let doConfirm = confirm
        let plan: CapacityPlan
        do {
            plan = try BlockingTask.run {
                try await planner.plan(confirm: doConfirm) { line in if verbose { StandardError.write(line + "\n") } }
            }
        } catch let error as CapacityInputError {
            throw ValidationError(error.description)
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode(2)
        }
        if let json {
            let text = plan.json(startRatePerSecond: planner.startRatePerSecond).serialized + "\n"
            if json == "-" { print(text, terminator: "") } else { try AtomicFile.write(text, to: json) }
        }
        if !quiet, json != "-" {
            print(plan.renderTable(), terminator: "")
            if confirm, targetRate == nil, scalable.nativeRatePerSecond == nil {
                print("note: --confirm needs a target rate (--target-rate); this workload has no rate of its own")
            }
        }
    }

    /// The workload as given, with a settable session rate.
    func loadWorkload() throws -> RateScalableWorkload {
        do {
            if let trace {
                var options = TraceImportOptions()
                options.skipBadRows = skipBadRows
                options.seed = seed
                options.mooncakeTimestampJitterSeconds = timestampJitter
                var reader = try TraceImporter.open(path: trace, format: TraceFormat(rawValue: format) ?? .auto,
                                                    options: options)
                var list: [SessionSpec] = []
                while let s = try reader.nextSession() { list.append(s) }
                return try RateScalableWorkload.trace(list, label: "trace:\(trace)")
            }
            if let workload {
                return RateScalableWorkload.spec(try WorkloadSpec.load(path: workload), label: "workload:\(workload)")
            }
        } catch let error as CapacityInputError {
            throw ValidationError(error.description)
        } catch {
            throw ValidationError("\(error)")
        }
        return .preset(preset.flatMap(WorkloadPreset.init(rawValue:)) ?? .chat)
    }

    /// Parses a comma-separated policy list (`all` for every policy).
    static func policies(_ list: String, settings: CompressionSettings) throws -> [Policy] {
        let names = list.trimmedSpaces == "all" ? Policy.names : list.split(separator: ",").map {
            String($0).trimmedSpaces
        }
        var policies: [Policy] = []
        for name in names where !name.isEmpty {
            do { policies.append(try Policy.named(name, settings: settings)) } catch { throw ValidationError(error.description) }
        }
        guard !policies.isEmpty else { throw ValidationError("--policy names no policy") }
        guard Set(policies.map(\.name)).count == policies.count else { throw ValidationError("--policy names a policy twice") }
        return policies
    }

    /// Processors the system reports online.
    static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Runs async work to completion from synchronous command code (the root command is a
/// synchronous `ParsableCommand`), on a detached task, waiting on a semaphore.
enum BlockingTask {
    private final class Box<T: Sendable>: @unchecked Sendable {
        // Written once by the task before it signals; read after the wait.
        var result: Result<T, any Error>?
    }

    /// The value `body` returns, or the error it throws.
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

private extension String {
    /// The string without leading and trailing spaces.
    var trimmedSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
