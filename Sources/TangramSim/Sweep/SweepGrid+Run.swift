import GPUModel
import Workloads

extension SweepGrid {
    /// Simulates one point.
    ///
    /// - Parameter recordRequests: Keep every finished request in the result.
    /// - Throws: ``ClusterSetupError`` when the point's setup cannot be simulated,
    ///   ``CapacityInputError`` for a steady point without a rate, and what the workload throws.
    public func run(point: SweepPoint, recordRequests: Bool = false) throws -> SweepResult {
        var settings = CompressionSettings()
        settings.keptRatio = point.keptRatio
        settings.seed = point.seed
        let policy: Policy
        do { policy = try Policy.named(point.policy, settings: settings) } catch {
            throw CapacityInputError.setting(name: "policies", reason: error.description)
        }
        let setup = SimulationSetup(model: point.model, gpu: point.gpu, tensorParallel: point.tensorParallel,
                                    policy: policy, compression: settings,
                                    calibration: calibrations[point.gpu.name])
        let cluster = try ClusterSimulation(setup: setup, replicas: point.replicas, routing: point.routing)
        let workload = workloads[point.workloadIndex]
        var requests: [RequestRecord] = []
        let summary: ClusterSummary
        switch mode {
        case .steady:
            guard let rate = point.sessionRatePerSecond ?? workload.nativeRatePerSecond else {
                throw CapacityInputError.setting(name: "session_rates", reason: "\(point.workload) has no rate of its own")
            }
            let probe = try workload.probe(
                ratePerSecond: rate, seed: point.seed, replicate: point.seedIndex,
                warmupSessions: warmupSessions(for: point) * point.replicas, measuredSessions: point.sessions * point.replicas,
                historySeconds: historySeconds)
            var source = ArraySessionSource(probe.sessions)
            summary = try cluster.run(&source, window: probe.window) { r, _ in if recordRequests { requests.append(r) } }
        case .full:
            var source = workload.firstSessions(point.sessions, ratePerSecond: point.sessionRatePerSecond,
                                                seed: point.seed, replicate: point.seedIndex)
            summary = try cluster.run(&source) { r, _ in if recordRequests { requests.append(r) } }
        }
        return SweepResult(point: point, summary: Self.rowSummary(summary), cluster: summary, requests: requests)
    }

    /// Simulates points in parallel (at most `jobs` at once); results in the order of `points`.
    ///
    /// - Parameter progress: Called with each finished point, from any task.
    public func run(points: [Int], jobs: Int, recordRequests: Bool = false,
                    progress: @escaping @Sendable (SweepResult) -> Void = { _ in }) async throws -> [SweepResult] {
        let grid = self
        return try await ParallelMap.map(count: points.count, jobs: jobs) { i in
            let result = try grid.run(point: grid.point(at: points[i]), recordRequests: recordRequests)
            progress(result)
            return result
        }
    }

    /// The summary row of a point: the cluster's total, with the measured window's request
    /// counts, tokens, throughput, latency and duration when there is a window.
    static func rowSummary(_ s: ClusterSummary) -> PolicySummary {
        var row = s.total
        guard let w = s.window else { return row }
        let seconds = w.window.measuredSeconds
        row.completedRequests = w.completedRequests
        row.rejectedRequests = w.rejectedRequests
        row.outputTokens = w.outputTokens
        row.ttft = w.ttft
        row.tpot = w.tpot
        row.e2e = w.e2e
        row.simulatedDurationSeconds = seconds
        row.throughputRequestsPerSecond = Double(w.completedRequests) / seconds
        row.throughputOutputTokensPerSecond = w.outputTokensPerSecond
        return row
    }
}
