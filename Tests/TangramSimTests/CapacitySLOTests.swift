import Testing

@testable import TangramSim

@Suite struct CapacitySLOTests {
    @Test func parsesTheDocumentedForm() throws {
        let slo = try ServiceLevelObjectives.parse("ttft_p99<=2s,tpot_p99<=0.1s")
        #expect(slo.objectives == [
            ServiceLevelObjective(metric: .ttft, statistic: .p99, limitSeconds: 2),
            ServiceLevelObjective(metric: .tpot, statistic: .p99, limitSeconds: 0.1),
        ])
    }

    @Test func acceptsSpacesMillisecondsStrictBoundsAndEveryStatistic() throws {
        let slo = try ServiceLevelObjectives.parse(" TTFT_p50 < 500 ms , e2e_mean<=30s,tpot_p90 <= 1.5e1ms ")
        #expect(slo.objectives.map(\.name) == ["ttft_p50", "e2e_mean", "tpot_p90"])
        #expect(slo.objectives.map(\.limitSeconds) == [0.5, 30, 0.015])
        #expect(slo.objectives.map(\.inclusive) == [false, true, true])
    }

    @Test func inclusiveAndStrictBoundsDifferAtTheLimit() throws {
        let le = try ServiceLevelObjectives.parse("ttft_p99<=2s").objectives[0]
        let lt = try ServiceLevelObjectives.parse("ttft_p99<2s").objectives[0]
        #expect(le.isMet(bySeconds: 2))
        #expect(!lt.isMet(bySeconds: 2))
        #expect(lt.isMet(bySeconds: 1.999))
        #expect(!le.isMet(bySeconds: .nan))
    }

    @Test func evaluatesTheNamedStatistic() throws {
        let slo = try ServiceLevelObjectives.parse("ttft_p99<=2s,tpot_p50<=50ms")
        let ttft = LatencySummary(mean: 1, p50: 1, p90: 1.5, p99: 2)
        let fastTPOT = LatencySummary(mean: 0.04, p50: 0.05, p90: 0.2, p99: 0.9)
        let slowTPOT = LatencySummary(mean: 0.04, p50: 0.051, p90: 0.06, p99: 0.07)
        #expect(slo.observedSeconds(ttft: ttft, tpot: fastTPOT, e2e: .init()) == [2, 0.05])
        #expect(slo.isMet(ttft: ttft, tpot: fastTPOT, e2e: .init()))
        #expect(!slo.isMet(ttft: ttft, tpot: slowTPOT, e2e: .init()))
    }

    /// Each bad text fails with the term it names and a reason that says what to write.
    @Test(arguments: [
        ("", 0, "no objective"),
        (" , ", 0, "no objective"),
        ("ttft_p99<=2s,", 2, "empty term"),
        ("ttft_p99<=2s,,tpot_p99<=1s", 2, "empty term"),
        ("latency_p99<=2s", 1, "expected a metric"),
        ("ttft_p95<=2s", 1, "expected a metric"),
        ("ttft<=2s", 1, "expected a metric"),
        ("<=2s", 1, "expected a metric"),
        ("ttft_p99>=2s", 1, "expected '<=' or '<'"),
        ("ttft_p99", 1, "expected '<=' or '<'"),
        ("ttft_p99<=", 1, "expected a positive number"),
        ("ttft_p99<=fast", 1, "expected a positive number"),
        ("ttft_p99<=2", 1, "missing unit"),
        ("tpot_p99<=0.1", 1, "missing unit"),
        ("ttft_p99<=2min", 1, "unknown unit"),
        ("ttft_p99<=0s", 1, "positive"),
        ("ttft_p99<=-1s", 1, "expected a positive number"),
        ("ttft_p99<=2s,tpot_p99<=1s,ttft_p99<3s", 3, "already bounded by term 1"),
    ])
    func rejectsBadText(text: String, term: Int, reason: String) {
        do {
            _ = try ServiceLevelObjectives.parse(text)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.term == term)
            #expect(error.reason.contains(reason), "\(error.reason)")
            #expect(error.description.contains("--slo \"\(text)\""))
        }
    }

    @Test func descriptionReadsBackAsTheSameObjectives() throws {
        let slo = try ServiceLevelObjectives.parse("ttft_p99<=2s,tpot_p99<100ms,e2e_p90<=30s")
        #expect(try ServiceLevelObjectives.parse(slo.description) == slo)
    }
}
