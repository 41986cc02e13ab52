import GPUModel
import Testing
import Workloads

@testable import TangramSim

/// Small planning problems on Llama-3.1-8B and one H200 with the short-session fixture workload,
/// sized to run in seconds in a debug build.
private func planner(policies: [String] = ["vllm"], slo: String = "ttft_p99<=150ms,tpot_p99<=25ms", seeds: [UInt64] = [1, 2, 3],
                     steps: Int = 4, jobs: Int = 2, target: Double? = nil, price: Double? = nil, sessions: Int = 40)
    throws -> CapacityPlanner
{
    var settings = PlanSettings()
    settings.seeds = seeds
    settings.measuredSessions = sessions
    settings.warmupSessions = sessions / 4
    settings.historySeconds = 30
    settings.bisectionSteps = steps
    settings.startRatePerSecond = 4
    settings.maximumBracketSteps = 6
    settings.jobs = jobs
    let setup = SimulationSetup(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200)
    return CapacityPlanner(
        setup: setup, policies: try policies.map { try Policy.named($0) },
        workload: try .configurations([CapacityFixtures.config()], label: "fixture"),
        objectives: try .parse(slo), settings: settings, targetRatePerSecond: target, gpuHourUSD: price)
}

@Suite struct CapacityPlannerTests {
    /// Results are collected by index, so the number of parallel jobs changes nothing (but the
    /// recorded `jobs` setting).
    @Test func thePlanIsTheSameWhateverTheNumberOfJobs() async throws {
        let one = try await planner(policies: ["vllm", "tangram"], seeds: [1, 2], steps: 3, jobs: 1).plan()
        var many = try await planner(policies: ["vllm", "tangram"], seeds: [1, 2], steps: 3, jobs: 5).plan()
        #expect(many.settings.jobs == 5)
        many.settings.jobs = 1
        #expect(one == many)
    }

    /// Every seed's search ends with a passing rate and a failing rate no further apart than the
    /// first bracket (as wide as its passing end, from doubling or halving, so at most the final
    /// passing rate) halved once per bisection step.
    @Test func bisectionNarrowsTheBracketToItsResolution() async throws {
        let steps = 4
        let plan = try await planner(steps: steps).plan()
        for search in plan.policies[0].searches {
            #expect(search.outcome == .bracketed)
            let failed = try #require(search.failedRatePerSecond)
            let max = search.maxRatePerSecond
            #expect(max > 0 && max < failed)
            #expect((failed - max) <= max / Double(1 << steps) * (1 + 1e-12))
            #expect(search.probes.contains { $0.ratePerSecond == max && $0.passed })
            #expect(search.probes.contains { $0.ratePerSecond == failed && !$0.passed })
            // Bracketing plus bisection: at most 1 + maximumBracketSteps + steps probes.
            #expect(search.probes.count <= 1 + 6 + steps)
        }
    }

    /// An objective no rate meets sends the search down by halving; once the probe would outlast
    /// the simulator's clock (the 50 sessions of a probe at 4 / 2^30 sessions/s span 1.3e10 s,
    /// past ``SimTime/maximumSeconds``) the search ends below range instead of failing, with no
    /// probe beyond the clock's range.
    @Test func aSearchThatHalvesPastTheClockEndsBelowRange() async throws {
        var settings = PlanSettings()
        settings.seeds = [1]
        settings.measuredSessions = 40
        settings.warmupSessions = 10
        settings.historySeconds = 30
        settings.bisectionSteps = 2
        settings.startRatePerSecond = 4
        settings.maximumBracketSteps = 40
        settings.jobs = 1
        let p = CapacityPlanner(
            setup: SimulationSetup(model: ModelCatalog.llama3_1_8b, gpu: GPUCatalog.h200),
            policies: [.vllm], workload: try .configurations([CapacityFixtures.config()], label: "fixture"),
            objectives: try .parse("ttft_p99<=1ms"), settings: settings, targetRatePerSecond: nil, gpuHourUSD: nil)
        let search = try #require(try await p.plan().policies.first?.searches.first)
        #expect(search.outcome == .belowRange)
        #expect(search.maxRatePerSecond == 0)
        #expect(search.probes.allSatisfy { !$0.passed && 50 / $0.ratePerSecond <= SimTime.maximumSeconds })
        #expect(search.probes.count < 1 + 40)
    }

    /// The planned rate is the lowest per-seed maximum, and every seed meets every objective
    /// there.
    @Test func everySeedMeetsTheObjectivesAtThePlannedRate() async throws {
        let plan = try await planner().plan()
        let p = plan.policies[0]
        #expect(p.verified)
        if !p.jointSearch { #expect(p.maxSessionRatePerSecond == p.perSeedMaxRatesPerSecond.min()) }
        #expect(p.verification.map(\.seed).sorted() == [1, 2, 3])
        #expect(p.verification.allSatisfy { $0.passed && $0.ratePerSecond == p.maxSessionRatePerSecond })
        for (observed, objective) in zip(p.worstObservedSeconds, plan.objectives.objectives) {
            #expect(objective.isMet(bySeconds: observed))
        }
    }

    /// Stability: with 60 measured sessions per probe the seeds' maxima agree within a factor
    /// of 1.5 (docs/capacity.md reports the spread of the documented plans).
    @Test func seedsAgreeOnTheMaximumRate() async throws {
        let plan = try await planner(sessions: 60).plan()
        let rates = plan.policies[0].perSeedMaxRatesPerSecond
        #expect(rates.count == 3)
        #expect(rates.min()! > 0)
        #expect(rates.max()! / rates.min()! <= 1.5)
        #expect(plan.policies[0].seedSpreadFraction == (rates.max()! - rates.min()!) / rates.min()!)
    }

    /// Replicas are the ceiling of target over capacity, GPUs replicas x TP, and the cost is
    /// price x GPUs over the output tokens the target produces in an hour.
    @Test func replicasGPUsAndCostFollowFromThePlannedRate() async throws {
        let plan = try await planner(seeds: [1, 2], target: 50, price: 3).plan()
        let p = plan.policies[0]
        let rate = p.maxSessionRatePerSecond
        let replicas = Int((50 / rate).rounded(.up))
        #expect(p.replicasNeeded == replicas)
        #expect(p.gpusNeeded == replicas)
        // The fixture's sessions have 1 to 4 turns (mean 2.5) of 20 to 120 output tokens (mean
        // 70): 175 tokens; the mean over 2 x 10,000 drawn sessions is within 2% of it.
        let tokensPerSession = try #require(p.outputTokensPerSession)
        #expect(abs(tokensPerSession - 175) <= 0.02 * 175)
        // The measured windows at the planned rate agree with it within 35%, about 3 standard
        // deviations of a window's output (about 100 turns of 70 +- 29 tokens; a window holds 40
        // sessions' worth of turns).
        for probe in p.verification {
            let measured = Double(probe.window.outputTokens) / probe.window.window.measuredSeconds / rate
            #expect(abs(measured - tokensPerSession) <= 0.35 * tokensPerSession)
        }
        let cost = try #require(p.usdPerMillionOutputTokens)
        #expect(abs(cost - 3 * Double(replicas) * 1e6 / (50 * tokensPerSession * 3600)) <= 1e-9 * cost)
        let atCapacity = try #require(p.usdPerMillionOutputTokensAtCapacity)
        #expect(atCapacity <= cost * (1 + 1e-12))
    }

    /// A cluster of the planned size (replicas rounded up for a target 2.5 times one replica's
    /// rate), behind session affinity, meets the objectives at the target rate.
    @Test func aClusterOfThePlannedSizeMeetsTheObjectives() async throws {
        let single = try await planner(seeds: [1, 2]).plan()
        let target = 2.5 * single.policies[0].maxSessionRatePerSecond
        let plan = try await planner(seeds: [1, 2], target: target).plan(confirm: true)
        let p = plan.policies[0]
        #expect(p.replicasNeeded == 3)
        let check = try #require(p.confirmation)
        #expect(check.replicas == 3)
        #expect(check.routing == "session-affinity")
        #expect(check.probes.count == 2)
        #expect(check.probes.allSatisfy { $0.movedTurns == 0 && $0.requestsPerReplica.count == 3 })
        #expect(check.probes.allSatisfy { $0.requestsPerReplica.allSatisfy { $0 > 0 } })
        #expect(check.passed)
    }

    /// An objective no rate can meet gives no rate, no replicas and no cost.
    @Test func anUnattainableObjectiveGivesNoRate() async throws {
        var p = try planner(slo: "tpot_p99<=0.001ms", seeds: [1], target: 10, price: 2)
        p.settings.maximumBracketSteps = 2
        let plan = try await p.plan()
        let policy = plan.policies[0]
        #expect(policy.maxSessionRatePerSecond == 0)
        #expect(policy.searches[0].outcome == .belowRange)
        #expect(policy.searches[0].probes.count == 3)
        #expect(!policy.verified)
        #expect(policy.replicasNeeded == nil)
        #expect(policy.usdPerMillionOutputTokens == nil)
    }

    @Test func badSettingsAreRejectedBeforeAnySimulation() async throws {
        var p = try planner()
        p.settings.seeds = []
        await #expect(throws: CapacityInputError.self) { try await p.plan() }
        p = try planner()
        p.settings.seeds = [1, 1]
        await #expect(throws: CapacityInputError.self) { try await p.plan() }
        p = try planner(target: -1)
        await #expect(throws: CapacityInputError.self) { try await p.plan() }
    }

    /// The JSON carries the documented keys for every policy.
    @Test func jsonHasTheDocumentedKeys() async throws {
        let p = try planner(seeds: [1], steps: 2, target: 20, price: 2)
        let plan = try await p.plan()
        let text = plan.json(startRatePerSecond: p.startRatePerSecond).serialized
        for key in ["\"policies\":[{\"policy\":\"vllm\"", "\"max_session_rate_per_s\":", "\"replicas_needed\":",
                    "\"usd_per_million_output_tokens\":", "\"per_seed_max_session_rate_per_s\":",
                    "\"confidence\":", "\"slo\":\"ttft_p99<=0.15s,tpot_p99<=0.025s\""] {
            #expect(text.contains(key), "\(key)")
        }
    }
}
