import GPUModel
import Workloads

/// Finds, for each policy, the highest session arrival rate one replica sustains within a set of
/// latency objectives, and turns it into replicas, GPUs and cost for a target rate.
///
/// For each policy and seed the search probes a replica at a rate (``RateProbe``: a steady-state
/// ``ProbeWorkload``, measured over its window), doubles or halves the rate until one rate
/// passes and another fails, then bisects ``PlanSettings/bisectionSteps`` times. The planned rate
/// is the lowest of the seeds' maxima, re-checked with every seed (a rate passes only if every
/// seed meets every objective); should a seed fail there (pass/fail not monotone in the rate),
/// a joint bisection below it, with every seed probed at every rate, decides instead.
///
/// Searches of different policies and seeds are independent and run in parallel
/// (``PlanSettings/jobs`` at once). Results are collected by index, never in completion order,
/// and each probe depends only on its inputs, so a plan is the same whatever the number of
/// cores.
///
/// ```swift
/// let planner = CapacityPlanner(setup: setup, policies: [.vllm], workload: .preset(.chat),
///                               objectives: try .parse("ttft_p99<=2s,tpot_p99<=0.1s"), settings: .init())
/// let plan = try await planner.plan()
/// print(plan.policies[0].maxSessionRatePerSecond)
/// ```
public struct CapacityPlanner: Sendable {
    /// Model, GPU, engine, compression and cost model of one replica (its policy is replaced by
    /// each of ``policies``).
    public var setup: SimulationSetup
    /// The policies to plan, in the order reported.
    public var policies: [Policy]
    /// The workload whose session rate is searched.
    public var workload: RateScalableWorkload
    /// The objectives every seed must meet.
    public var objectives: ServiceLevelObjectives
    /// Seeds, probe size, bisection and parallelism.
    public var settings: PlanSettings
    /// The session rate the cluster must serve (`nil`: the workload's own rate, if any).
    public var targetRatePerSecond: Double?
    /// Price of one GPU for one hour, dollars (`nil`: no costs).
    public var gpuHourUSD: Double?

    /// Creates a planner.
    public init(setup: SimulationSetup, policies: [Policy], workload: RateScalableWorkload,
                objectives: ServiceLevelObjectives, settings: PlanSettings, targetRatePerSecond: Double? = nil,
                gpuHourUSD: Double? = nil) {
        self.setup = setup
        self.policies = policies
        self.workload = workload
        self.objectives = objectives
        self.settings = settings
        self.targetRatePerSecond = targetRatePerSecond
        self.gpuHourUSD = gpuHourUSD
    }

    /// The rate the search starts from.
    public var startRatePerSecond: Double { settings.startRatePerSecond ?? workload.nativeRatePerSecond ?? 1 }

    /// Plans every policy.
    ///
    /// - Parameters:
    ///   - confirm: Also run a cluster of the planned size at the target rate (``ClusterCheck``).
    ///   - progress: Called with a line of progress from any task (keep it thread-safe).
    /// - Throws: ``CapacityInputError`` for bad settings, ``ClusterSetupError`` when a policy
    ///   cannot be simulated on this setup, and what the workload throws.
    public func plan(confirm: Bool = false, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws
        -> CapacityPlan
    {
        try settings.validate()
        if let t = targetRatePerSecond, !(t > 0 && t.isFinite) {
            throw CapacityInputError.setting(name: "target-rate", reason: "must be a positive number, got \(t)")
        }
        if let p = gpuHourUSD, !(p >= 0 && p.isFinite) {
            throw CapacityInputError.setting(name: "gpu-hour-usd", reason: "must be a non-negative number, got \(p)")
        }
        let simulations: [Simulation] = try policies.map { policy in
            var s = setup
            s.policy = policy
            do { return try Simulation(setup: s) } catch { throw ClusterSetupError.setup("\(policy.name): \(error)") }
        }
        let seeds = settings.seeds
        let jobs = settings.jobs

        // 1. One search per (policy, seed).
        let searches = try await ParallelMap.map(count: policies.count * seeds.count, jobs: jobs) { job in
            let p = job / seeds.count, k = job % seeds.count
            let search = try search(simulations[p], replicate: k)
            progress("\(policies[p].name) seed \(seeds[k]): \(Self.rateText(search.maxRatePerSecond)) sessions/s (\(search.probes.count) probes)")
            return search
        }

        // 2. Every seed at each policy's lowest maximum.
        var plans: [PolicyPlan] = []
        var checks: [(policy: Int, replicate: Int, rate: Double)] = []
        for p in policies.indices {
            let mine = Array(searches[p * seeds.count..<(p + 1) * seeds.count])
            let rate = mine.map(\.maxRatePerSecond).min()!
            plans.append(PolicyPlan(policy: policies[p].name, maxSessionRatePerSecond: rate, searches: mine,
                                    verification: [], verified: rate > 0, jointSearch: false))
            guard rate > 0 else { continue }
            for k in seeds.indices { checks.append((p, k, rate)) }
        }
        let checkList = checks
        let verification = try await ParallelMap.map(count: checkList.count, jobs: jobs) { i in
            let c = checkList[i]
            if let own = searches[c.policy * seeds.count + c.replicate].probes.last(where: { $0.ratePerSecond == c.rate }) {
                return own
            }
            return try probe(simulations[c.policy], rate: c.rate, replicate: c.replicate)
        }
        for (i, c) in checks.enumerated() { plans[c.policy].verification.append(verification[i]) }

        // 3. Joint bisection where a seed failed at the lowest maximum (rare: not monotone).
        for p in plans.indices where plans[p].maxSessionRatePerSecond > 0 && !plans[p].verification.allSatisfy(\.passed) {
            progress("\(policies[p].name): a seed failed at the lowest per-seed maximum; bisecting with all seeds")
            // Start from the highest lower rate every seed has already passed (the bracketing
            // rates start x 2^k are common to all seeds), else from 0.
            var hi = plans[p].maxSessionRatePerSecond
            let passedBySeed = plans[p].searches.map { Set($0.probes.filter(\.passed).map(\.ratePerSecond)) }
            let common = passedBySeed.dropFirst().reduce(passedBySeed[0]) { $0.intersection($1) }
            var lo = common.filter { $0 < hi }.max() ?? 0
            var atLo: [RateProbe] = lo > 0
                ? plans[p].searches.map { s in s.probes.last { $0.ratePerSecond == lo && $0.passed }! } : []
            for _ in 0..<max(1, settings.bisectionSteps) {
                let mid = (lo + hi) / 2
                let round = try await ParallelMap.map(count: seeds.count, jobs: jobs) { k in
                    try probe(simulations[p], rate: mid, replicate: k)
                }
                if round.allSatisfy(\.passed) { lo = mid; atLo = round } else { hi = mid }
            }
            plans[p].maxSessionRatePerSecond = lo
            plans[p].verification = atLo
            plans[p].verified = lo > 0
            plans[p].jointSearch = true
        }

        // 4. Replicas, GPUs, cost.
        let target = targetRatePerSecond ?? workload.nativeRatePerSecond
        let perSession = try workload.meanOutputTokensPerSession(seeds: seeds)
        for p in plans.indices {
            let rate = plans[p].maxSessionRatePerSecond
            guard rate > 0, !plans[p].verification.isEmpty else { continue }
            plans[p].outputTokensPerSession = perSession
            if let price = gpuHourUSD, perSession > 0 {
                plans[p].usdPerMillionOutputTokensAtCapacity =
                    price * Double(setup.tensorParallel) * 1e6 / (rate * perSession * 3600)
            }
            guard let target else { continue }
            let replicas = Self.replicasNeeded(target: target, perReplica: rate)
            plans[p].replicasNeeded = replicas
            plans[p].gpusNeeded = replicas * setup.tensorParallel
            if let price = gpuHourUSD, perSession > 0 {
                plans[p].usdPerMillionOutputTokens =
                    price * Double(replicas * setup.tensorParallel) * 1e6 / (target * perSession * 3600)
            }
        }

        // 5. Optionally, the cluster at the planned size.
        if confirm, let target {
            let jobsList = plans.indices.filter { plans[$0].replicasNeeded != nil }.flatMap { p in
                seeds.indices.map { (p, $0) }
            }
            let sizes = plans.map(\.replicasNeeded)
            let probes = try await ParallelMap.map(count: jobsList.count, jobs: jobs) { i in
                let (p, k) = jobsList[i]
                let r = try probe(simulations[p], rate: target, replicate: k, replicas: sizes[p]!)
                progress("\(policies[p].name) cluster of \(sizes[p]!) seed \(seeds[k]): \(r.passed ? "meets" : "misses") the objectives")
                return r
            }
            for (i, (p, _)) in jobsList.enumerated() {
                if plans[p].confirmation == nil {
                    plans[p].confirmation = ClusterCheck(replicas: plans[p].replicasNeeded!, routing: settings.routing.rawValue,
                                                         ratePerSecond: target, probes: [])
                }
                plans[p].confirmation!.probes.append(probes[i])
            }
        }

        return CapacityPlan(
            model: setup.model.name, gpu: setup.gpu.name, tensorParallel: setup.tensorParallel, workload: workload.label,
            objectives: objectives, settings: settings, targetRatePerSecond: target,
            targetSource: targetRatePerSecond != nil ? "option" : "workload", gpuHourUSD: gpuHourUSD, policies: plans)
    }

    /// Replicas for `target` sessions/s at `perReplica` each: the ceiling of the ratio, where a
    /// ratio within one part in 10^9 of an integer counts as that integer.
    public static func replicasNeeded(target: Double, perReplica: Double) -> Int {
        let ratio = target / perReplica
        let nearest = ratio.rounded()
        if abs(ratio - nearest) <= 1e-9 * max(1, nearest) { return max(1, Int(nearest)) }
        return max(1, Int(ratio.rounded(.up)))
    }

    /// One seed's search: bracket from the start rate, then bisect.
    func search(_ simulation: Simulation, replicate: Int) throws -> SeedSearch {
        var probes: [RateProbe] = []
        func test(_ rate: Double) throws -> Bool {
            let p = try probe(simulation, rate: rate, replicate: replicate)
            probes.append(p)
            return p.passed
        }
        let start = startRatePerSecond
        var lo = 0.0
        var hi: Double?
        if try test(start) {
            lo = start
            var r = start
            for _ in 0..<settings.maximumBracketSteps {
                r *= 2
                if try test(r) { lo = r } else { hi = r; break }
            }
        } else {
            hi = start
            var r = start
            for _ in 0..<settings.maximumBracketSteps {
                r /= 2
                // A rate so low that its probe outlasts the simulator's time range ends the
                // search below range, as a failed bracket does.
                let passed: Bool
                do { passed = try test(r) } catch let e as SimulationError {
                    if case .beyondTimeRange = e { break }
                    throw e
                }
                if passed { lo = r; break } else { hi = r }
            }
        }
        let outcome: SeedSearch.Outcome
        if let h = hi, lo > 0 {
            var upper = h
            for _ in 0..<settings.bisectionSteps {
                let mid = (lo + upper) / 2
                if try test(mid) { lo = mid } else { upper = mid }
            }
            hi = upper
            outcome = .bracketed
        } else {
            outcome = lo > 0 ? .aboveRange : .belowRange
        }
        return SeedSearch(seed: settings.seeds[replicate], replicate: replicate, maxRatePerSecond: lo,
                          failedRatePerSecond: hi, outcome: outcome, probes: probes)
    }

    /// One probe: `replicas` replicas (one by default) at `rate` sessions/s with the seed at
    /// position `replicate`; a cluster probe draws `replicas` times the sessions so that each
    /// replica sees about as many as a single-replica probe.
    func probe(_ simulation: Simulation, rate: Double, replicate: Int, replicas: Int = 1) throws -> RateProbe {
        let workloadProbe = try workload.probe(
            ratePerSecond: rate, seed: settings.seeds[replicate], replicate: replicate,
            warmupSessions: settings.warmupSessions * replicas, measuredSessions: settings.measuredSessions * replicas,
            historySeconds: settings.historySeconds)
        let cluster = try ClusterSimulation(simulation: simulation, replicas: replicas,
                                            routing: replicas == 1 ? .sessionAffinity : settings.routing)
        var source = ArraySessionSource(workloadProbe.sessions)
        var served = Array(repeating: 0, count: replicas)
        let summary = try cluster.run(&source, window: workloadProbe.window) { _, r in served[r] += 1 }
        let window = summary.window!
        var observed = objectives.observedSeconds(ttft: window.ttft, tpot: window.tpot, e2e: window.e2e)
        var passed = window.completedRequests > 0
            && zip(objectives.objectives, observed).allSatisfy { $0.isMet(bySeconds: $1) }
        if window.completedRequests == 0 {
            observed = observed.map { _ in .nan }
            passed = false
        }
        return RateProbe(ratePerSecond: rate, seed: settings.seeds[replicate], replicate: replicate, passed: passed,
                         observedSeconds: observed, window: window, sessions: workloadProbe.sessions.count,
                         historyCoverage: workloadProbe.historyCoverage, movedTurns: summary.movedTurns,
                         requestsPerReplica: served)
    }

    static func rateText(_ r: Double) -> String { DecimalText.fixed(r, digits: 3) }
}
