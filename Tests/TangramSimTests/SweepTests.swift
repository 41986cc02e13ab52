import Foundation
import GPUModel
import Testing
import Workloads

@testable import TangramSim

@Suite struct SweepGridTests {
    static let grid = """
        name: t
        mode: full
        models: [llama-3.1-8b]
        gpus: [h200, h100]
        session_rates: [2, 4]
        sessions: 6
        policies: [vllm, tangram]
        kept_ratios: [0.25, 0.5]
        seeds: [1, 2, 3]
        """

    @Test func axesAndDefaults() throws {
        let spec = try SweepGridSpec.parse(text: Self.grid, file: "grid.yaml")
        #expect(spec.name == "t")
        #expect(spec.gpus == ["h200", "h100"])
        #expect(spec.sessions == [6])
        #expect(spec.tensorParallel == [1])
        #expect(spec.workloads == ["preset:chat"])
        #expect(spec.routers == ["session-affinity"])
        #expect(spec.line(of: "policies") == 7)
        let grid = try SweepGrid(spec: spec)
        #expect(grid.mode == .full)
        // 1 model x 2 GPUs x 1 TP x 1 workload x 2 rates x 1 x 1 x 1 x 2 ratios x 2 policies x 3 seeds.
        #expect(grid.pointCount == 48)
    }

    /// Point i is the mixed-radix number i over the axes, the seed fastest: point 37 =
    /// gpu 1 (24), rate 1 (12), ratio 0 (0), policy 0 (0), seed 1 (1).
    @Test func pointsAreMixedRadixWithTheSeedFastest() throws {
        let grid = try SweepGrid(spec: try SweepGridSpec.parse(text: Self.grid))
        let p = grid.point(at: 37)
        #expect(p.gpu.name == (try GPUCatalog.gpu(named: "h100")).name)
        #expect(p.sessionRatePerSecond == 4)
        #expect(p.keptRatio == 0.25)
        #expect(p.policy == "vllm")
        #expect(p.seed == 2 && p.seedIndex == 1)
        let q = grid.point(at: 5)
        #expect(q.gpu.name == "h200" && q.sessionRatePerSecond == 2 && q.keptRatio == 0.25 && q.policy == "tangram" && q.seed == 3)
    }

    /// Errors name the file, the line and the field.
    @Test(arguments: [
        ("models: [llama-9]\n", "grid.yaml:1: field 'models[0]'"),
        ("gpus: h200\npolicies: [vllm, turbo]\n", "grid.yaml:2: field 'policies[1]'"),
        ("routers: [random]\n", "field 'routers[0]'"),
        ("workloads: [chat]\n", "field 'workloads[0]': must be preset:NAME"),
        ("workloads: [\"preset:nope\"]\n", "field 'workloads[0]'"),
        ("kept_ratios: [0.5, 2]\n", "field 'kept_ratios[1]': must be in (0, 1]"),
        ("seeds: [1, 1]\n", "field 'seeds': lists a seed twice"),
        ("mode: fast\n", "field 'mode'"),
        ("sessions: []\n", "field 'sessions': must list at least one value"),
        ("session_rate: [1]\n", "field 'session_rate': unknown field"),
        ("workloads: [\"preset:scbench-mid\"]\n", "field 'session_rates'"),
    ])
    func badGridsNameTheField(text: String, message: String) {
        do {
            _ = try SweepGrid(spec: try SweepGridSpec.parse(text: text, file: "grid.yaml"))
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}

@Suite struct SweepShardTests {
    @Test func shardsDealThePointsRoundRobinAndCoverEachOnce() throws {
        let total = 23
        var seen: [Int] = []
        for i in 0..<4 {
            let shard = try ShardSpec(index: i, count: 4)
            let mine = shard.points(outOf: total)
            #expect(mine.allSatisfy { $0 % 4 == i && shard.owns($0) })
            seen += mine
        }
        #expect(seen.sorted() == Array(0..<total))
        #expect(try ShardSpec(index: 2, count: 4).points(outOf: total) == [2, 6, 10, 14, 18, 22])
    }

    @Test func parsesExplicitAndAutomaticShards() throws {
        #expect(try ShardSpec.parse("3/8", environment: [:]) == ShardSpec(index: 3, count: 8))
        #expect(try ShardSpec.parse("auto/8", environment: ["SLURM_ARRAY_TASK_ID": "5"]) == ShardSpec(index: 5, count: 8))
        // A 1-based array (--array=1-8) with its minimum.
        #expect(try ShardSpec.parse("auto/8", environment: ["SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_MIN": "1"])
            == ShardSpec(index: 7, count: 8))
        #expect(try ShardSpec.parse("auto/4", environment: ["JOB_COMPLETION_INDEX": "0"]) == ShardSpec(index: 0, count: 4))
        // Slurm wins when both are set.
        #expect(try ShardSpec.parse("auto/4", environment: ["JOB_COMPLETION_INDEX": "1", "SLURM_ARRAY_TASK_ID": "2"])
            == ShardSpec(index: 2, count: 4))
    }

    @Test(arguments: [
        ("4/4", [String: String](), "outside 0...3"),
        ("-1/4", [:], "outside 0...3"),
        ("1/0", [:], "not a positive integer"),
        ("1", [:], "expected I/N"),
        ("x/4", [:], "not an integer (or auto)"),
        ("auto/4", [:], "neither is set"),
        ("auto/4", ["SLURM_ARRAY_TASK_ID": "7"], "outside 0...3"),
        ("auto/4", ["JOB_COMPLETION_INDEX": "one"], "JOB_COMPLETION_INDEX='one'"),
    ])
    func badShardsAreRejected(text: String, environment: [String: String], reason: String) {
        do {
            _ = try ShardSpec.parse(text, environment: environment)
            Issue.record("parsed \(text)")
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }

    /// Running the shards separately and putting their results together by point index gives
    /// exactly the unsharded sweep's results, whatever the number of parallel jobs.
    @Test(arguments: [SweepMode.full, .steady])
    func shardsTogetherEqualTheUnshardedSweep(mode: SweepMode) async throws {
        let text = """
            mode: \(mode.rawValue)
            session_rates: [6]
            sessions: [12]
            history_s: 60
            policies: [vllm, tangram]
            seeds: [1, 2]
            replicas: [1, 2]
            """
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let specPath = folder + "/fixture.yaml"
        try Self.fixtureSpec.write(toFile: specPath, atomically: true, encoding: .utf8)
        let spec = try SweepGridSpec.parse(text: text + "\nworkloads: [\"spec:fixture.yaml\"]\n", file: "grid.yaml", folder: folder)
        let grid = try SweepGrid(spec: spec)
        #expect(grid.pointCount == 8)
        let whole = try await grid.run(points: Array(0..<grid.pointCount), jobs: 3)
        var merged: [SweepResult] = []
        for i in 0..<3 {
            merged += try await grid.run(points: try ShardSpec(index: i, count: 3).points(outOf: grid.pointCount), jobs: 1 + i)
        }
        merged.sort { $0.point.index < $1.point.index }
        #expect(merged == whole)
        #expect(whole.map(\.point.index) == Array(0..<8))
        #expect(whole.allSatisfy { $0.summary.completedRequests > 0 })
    }

    /// A point is costed with its GPU's calibration when the grid has one, and with spec-derived
    /// coefficients otherwise: the run's cost-model label says which, and a calibration that
    /// halves the GEMM compute fraction changes the point's simulated duration.
    @Test func pointsUseTheirGPUsCalibration() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.fixtureSpec.write(toFile: folder + "/fixture.yaml", atomically: true, encoding: .utf8)
        let text = "mode: full\nsessions: [8]\npolicies: [vllm]\nworkloads: [\"spec:fixture.yaml\"]\n"
        var grid = try SweepGrid(spec: try SweepGridSpec.parse(text: text, file: "grid.yaml", folder: folder))
        let spec = try await grid.run(points: [0], jobs: 1)
        let gpu = grid.gpus[0]
        var slow = GPUCalibration.specDerived(for: gpu)
        slow.coefficients.gemm.computeFraction /= 2
        slow.provenance = CalibrationProvenance(kind: .measured, date: "2026-11-29", measurementFile: "test")
        grid.calibrations[gpu.name] = slow
        let calibrated = try await grid.run(points: [0], jobs: 1)
        #expect(spec[0].summary.costModel.hasSuffix("spec-derived"))
        #expect(calibrated[0].summary.costModel == KernelCostModel(model: grid.models[0], gpu: gpu, calibration: slow).label)
        #expect(calibrated[0].summary.simulatedDurationSeconds > spec[0].summary.simulatedDurationSeconds)
    }

    /// The fixture workload as a spec file (short sessions; see `CapacityFixtures`).
    static let fixtureSpec = """
        arrival: {process: poisson, rate_per_s: 1}
        turns: {distribution: uniform, min: 1, max: 3}
        think_time_s: {distribution: uniform, min: 1.0, max: 4.0}
        first_input_tokens: {distribution: uniform, min: 100, max: 600}
        follow_up_input_tokens: {distribution: uniform, min: 10, max: 60}
        output_tokens: {distribution: uniform, min: 10, max: 60}
        """

    /// A steady point's summary row reports its window: the requests that arrived in it.
    @Test func steadyRowsReportTheMeasuredWindow() throws {
        let spec = try SweepGridSpec.parse(text: "session_rates: [4]\nsessions: [20]\nhistory_s: 0\n")
        var grid = try SweepGrid(spec: spec)
        grid.workloads = [try .configurations([CapacityFixtures.config()], label: "fixture")]
        let result = try grid.run(point: grid.point(at: 0), recordRequests: true)
        let window = try #require(result.cluster.window)
        #expect(window.window.measureFromSeconds == 10.0 / 4)
        #expect(window.window.stopArrivalsAtSeconds == 30.0 / 4)
        let inWindow = result.requests.filter {
            $0.arrivalSeconds >= window.window.measureFromSeconds && $0.arrivalSeconds < window.window.stopArrivalsAtSeconds
        }
        #expect(result.summary.completedRequests == inWindow.count)
        #expect(result.summary.outputTokens == inWindow.map(\.outputTokens).reduce(0, +))
        #expect(result.summary.simulatedDurationSeconds == 5)
        #expect(result.cluster.total.completedRequests == result.requests.count)
    }
}
