import ArgumentParser
import GPUModel
import Reports
import TangramSim
import Workloads

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tangram-sim sweep GRID.yaml --shard I/N --db F`: runs one shard of a parameter grid and
/// writes each point as a run of a results database. See docs/capacity.md.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run one shard of a parameter grid (models x GPUs x policies x kept ratios x rates x seeds ...) into a database.",
        discussion: """
            Point i of the grid belongs to shard i mod N. --shard auto/N takes the shard index from \
            SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN) or JOB_COMPLETION_INDEX. Each point is one \
            run of the database; the database appears only when the whole shard has finished. Combine \
            shard databases with 'tangram-sim merge'. See docs/capacity.md.
            """)

    @Argument(help: "The grid file (YAML or JSON).")
    var grid: String

    @Option(help: "The shard to run: I/N (0-based I) or auto/N.")
    var shard = "0/1"

    @Option(help: "The database to create for this shard's runs (must not exist).")
    var db: String?

    @Option(help: "Points simulated at once (default: the number of processors).")
    var jobs: Int?

    @Flag(help: "Also store every request of every point (large).")
    var requests = false

    @Flag(help: "List this shard's points and exit.")
    var list = false

    @Option(help: "Cost-model calibration: 'auto' (calibrations/<gpu>.json for each GPU of the grid, when present), 'spec' (datasheet-derived) or a JSON file from 'tangram-sim calibrate' (for its GPU).")
    var calibration = "auto"

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let j = jobs, j < 1 { throw ValidationError("--jobs must be positive") }
        if !list, db == nil { throw ValidationError("--db is required (or --list)") }
    }

    func run() throws {
        var grid: SweepGrid
        do { grid = try SweepGrid(spec: try SweepGridSpec.load(path: self.grid)) } catch {
            throw ValidationError("\(error)")
        }
        do {
            switch calibration {
            case "spec": break
            case "auto":
                for g in grid.gpus {
                    grid.calibrations[g.name] = try GPUCalibration.resolve(for: g, directory: "calibrations")
                }
            default:
                let c = try GPUCalibration.load(path: calibration)
                guard grid.gpus.contains(where: { $0.name == c.gpu }) else {
                    throw ValidationError("\(calibration): calibration is for \(c.gpu), which the grid does not use")
                }
                grid.calibrations[c.gpu] = c
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw ValidationError("\(error)")
        }
        let sweep = grid
        let shardSpec: ShardSpec
        do { shardSpec = try ShardSpec.parse(shard, environment: Self.environment) } catch {
            throw ValidationError(error.description)
        }
        let points = shardSpec.points(outOf: sweep.pointCount)
        let name = sweep.runLabel
        if list {
            print("\(name): \(sweep.pointCount) points, shard \(shardSpec) runs \(points.count)")
            for i in points {
                let p = sweep.point(at: i)
                print("#\(i) \(p.model.name) \(p.tensorParallel)x\(p.gpu.name) \(p.workload) rate=\(p.sessionRatePerSecond.map { "\($0)" } ?? "own") "
                    + "sessions=\(p.sessions) replicas=\(p.replicas) \(p.routing.rawValue) ratio=\(p.keptRatio) \(p.policy) seed=\(p.seed)")
            }
            return
        }
        guard let db else { return }
        guard access(db, F_OK) != 0 else {
            throw ValidationError("\(db) exists; give each shard a new database file (merge them with 'tangram-sim merge')")
        }
        let jobCount = jobs ?? PlanCommand.processorCount
        let file: AtomicFile
        do { file = try AtomicFile(destinationPath: db, createDirectories: true) } catch { try fail("\(error)") }
        InterruptHandler.install()
        InterruptHandler.protect(temporaryPaths: [file.temporaryPath, file.temporaryPath + "-journal"])
        let verbose = !quiet
        if verbose {
            StandardError.write("\(name): shard \(shardSpec) runs \(points.count) of \(sweep.pointCount) points on \(jobCount) job\(jobCount == 1 ? "" : "s")\n")
        }
        do {
            // Batches bound memory; within a batch points run in parallel and are written in order.
            let batch = max(1, jobCount * 4)
            var start = 0
            while start < points.count {
                try InterruptHandler.checkInterrupted()
                let slice = Array(points[start..<min(points.count, start + batch)])
                let recordRequests = requests
                let results = try BlockingTask.run {
                    try await sweep.run(points: slice, jobs: jobCount, recordRequests: recordRequests) { r in
                        if verbose { StandardError.write("#\(r.point.index) \(r.point.policy) seed \(r.point.seed): done\n") }
                    }
                }
                for r in results {
                    try Self.write(r, sweep: sweep, to: file.temporaryPath)
                    InterruptHandler.protect(temporaryPaths: [file.temporaryPath, file.temporaryPath + "-journal"])
                }
                start += batch
            }
            try file.commit()
        } catch is InterruptedError {
            file.abandon()
            unlink(file.temporaryPath + "-journal")
            StandardError.write("interrupted: nothing written to \(db) (a shard is all or nothing; run it again)\n")
            throw ExitCode(130)
        } catch let error as ValidationError {
            file.abandon()
            throw error
        } catch {
            file.abandon()
            unlink(file.temporaryPath + "-journal")
            try fail("\(error)")
        }
        InterruptHandler.uninstall()
        if verbose { print("wrote \(points.count) run\(points.count == 1 ? "" : "s") (shard \(shardSpec) of \(name)) to \(db)") }
    }

    /// Appends one point as one run, through ``RunOutput``.
    static func write(_ r: SweepResult, sweep: SweepGrid, to path: String) throws {
        let p = r.point
        let metadata = RunMetadata(
            name: p.runName(sweep: sweep.runLabel), model: p.model.name, gpu: p.gpu.name,
            workload: p.workloadDescription, seed: Int(truncatingIfNeeded: p.seed), toolVersion: ToolVersion.string,
            configurationJSON: sweep.configurationJSON(for: p))
        let output = try RunOutput(directory: nil, run: metadata, database: path)
        InterruptHandler.protect(temporaryPaths: output.temporaryPaths + [path, path + "-journal"])
        do {
            for request in r.requests { try output.record(policy: p.policy, request) }
            try output.finish(summaries: [r.summary])
        } catch {
            output.abandon()
            throw error
        }
    }

    /// The variables ``ShardSpec/parse(_:environment:)`` reads.
    static var environment: [String: String] {
        var env: [String: String] = [:]
        for name in ShardSpec.indexVariables + ["SLURM_ARRAY_TASK_MIN"] {
            if let v = getenv(name) { env[name] = String(cString: v) }
        }
        return env
    }

    private func fail(_ message: String) throws -> Never {
        StandardError.write("error: \(message)\n")
        throw ExitCode(2)
    }
}
