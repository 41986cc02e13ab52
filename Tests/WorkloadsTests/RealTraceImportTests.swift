import Foundation
import Testing

@testable import Workloads

/// Importers on the real traces in `../shared/traces`, checked against the counts documented in
/// `../shared/traces/README.md` (skipped when `../shared` is absent).
@Suite struct RealTraceImportTests {
    @Test(
        "Mooncake conversation trace: 12,031 requests, sessions within 1% of 8,057",
        .enabled(if: SharedTraces.exists(SharedTraces.mooncakeConversation)))
    func mooncakeConversation() throws {
        var reader = try TraceImporter.open(path: SharedTraces.path(SharedTraces.mooncakeConversation))
        let sessions = try drain(&reader)
        let requests = sessions.reduce(0) { $0 + $1.turns.count }
        #expect(requests == 12_031)
        #expect(reader.report.rowsRead == 12_031)
        #expect(abs(Double(sessions.count) - 8_057) / 8_057 < 0.01)
        // Branches start their own sessions; without them the count is the README's exactly.
        let branches = reader.report.adjustments[MooncakeTraceReader.branchAdjustment] ?? 0
        #expect(sessions.count - branches == 8_057)
        // README: 3,974 requests have an inferred parent.
        #expect((reader as? MooncakeTraceReader)?.linkedRequests == 3_974)
        #expect(zip(sessions, sessions.dropFirst()).allSatisfy { $0.arrivalSeconds <= $1.arrivalSeconds })
        #expect(sessions.map(\.id) == Array(0..<sessions.count))
        // README: every request starts with block 0 (a global system prefix); trace spans 3,537 s.
        #expect(sessions.allSatisfy { $0.sharedPrefix?.blockIDs.first == 0 })
        #expect(abs(sessions.last!.arrivalSeconds - 3_537) < 5)
    }

    @Test(
        "Mooncake synthetic trace: 3,993 requests, 2,537 sessions before branches",
        .enabled(if: SharedTraces.exists(SharedTraces.mooncakeSynthetic)))
    func mooncakeSynthetic() throws {
        var reader = try MooncakeTraceReader(path: SharedTraces.path(SharedTraces.mooncakeSynthetic))
        let sessions = try drain(&reader)
        #expect(sessions.reduce(0) { $0 + $1.turns.count } == 3_993)
        #expect(reader.linkedRequests == 1_456)
        #expect(sessions.count - (reader.report.adjustments[MooncakeTraceReader.branchAdjustment] ?? 0) == 2_537)
    }

    @Test(
        "Azure 2023: conv 19,366 and code 8,819 requests over the documented span",
        .enabled(if: SharedTraces.exists(SharedTraces.azureConversation) && SharedTraces.exists(SharedTraces.azureCode))
    )
    func azure() throws {
        var conv = try TraceImporter.open(path: SharedTraces.path(SharedTraces.azureConversation))
        let sessions = try drain(&conv)
        #expect(sessions.count == 19_366)
        #expect(sessions.allSatisfy { $0.turns.count == 1 })
        // README: 18:15:46 to 19:14:08, 3,502 s.
        #expect(abs(sessions.last!.arrivalSeconds - 3_502) < 1.5)
        var code = try TraceImporter.open(path: SharedTraces.path(SharedTraces.azureCode))
        #expect(try drain(&code).count == 8_819)
        #expect(conv.report.rowsSkipped == 0)
    }

    @Test(
        "ShareGPT: 9,436 conversations and 61,239 turns; 98.5% of prompt tokens are history",
        .enabled(if: SharedTraces.exists(SharedTraces.sharegptTurns)))
    func sharegpt() throws {
        var reader = try TraceImporter.open(path: SharedTraces.path(SharedTraces.sharegptTurns))
        let stats = try TraceStatistics.collect(from: &reader)
        #expect(stats.sessions == 9_436)
        #expect(stats.requests == 61_239)
        // README: 6,536 conversations have >= 2 turns; history is 98.5% of prompt tokens;
        // prompt_tokens mean 5,864 (history rebuilt from the turns reproduces it closely).
        #expect(stats.multiTurnSessions == 6_536)
        #expect(abs(stats.historyShare - 0.985) < 0.005)
        #expect(abs(stats.promptTokens.mean - 5_864) / 5_864 < 0.01)
        #expect(stats.turnsPerSession.max == 300)
    }

    @Test(
        "ServeGen m-large client 61: 2,016 windows, mean 31.4 req/s",
        .enabled(if: SharedTraces.exists(SharedTraces.servegenClient)))
    func servegenClient() throws {
        let (curve, report) = try ServeGenRateCurveLoader.load(path: SharedTraces.path(SharedTraces.servegenClient))
        #expect(curve.windows.count == 2_016)
        #expect(report.rowsSkipped == 0)
        #expect(abs(curve.meanRatePerSecond - 31.4) < 0.05)
        var workload = try TraceImporter.open(
            path: SharedTraces.path(SharedTraces.servegenClient), format: .auto,
            options: TraceImportOptions(sessionLimit: 5_000))
        let sessions = try drain(&workload)
        #expect(sessions.count == 5_000)
        // The first window runs at 87.2 req/s (README example row), so 5,000 sessions fit in it.
        #expect(sessions.last!.arrivalSeconds < 600)
        #expect(abs(Double(sessions.count) / sessions.last!.arrivalSeconds - 87.2) < 10)
    }

    @Test(
        "ServeGen aggregate: m-large mean 196 req/s",
        .enabled(if: SharedTraces.exists(SharedTraces.servegenAggregate)))
    func servegenAggregate() throws {
        let (curve, _) = try ServeGenRateCurveLoader.load(
            path: SharedTraces.path(SharedTraces.servegenAggregate),
            options: TraceImportOptions(servegenModel: "language/m-large"))
        #expect(curve.windows.count == 2_016)
        #expect(abs(curve.meanRatePerSecond - 196) < 1)
    }

    @Test(
        "vLLM's generate_multi_turn.json is accepted as it is",
        .enabled(if: SharedTraces.exists(SharedTraces.vllmSpec)))
    func vllmSpec() throws {
        let spec = try WorkloadSpec.load(path: SharedTraces.path(SharedTraces.vllmSpec))
        #expect(spec.dialect == .vllm)
        #expect(spec.sessionCount == 24)
        var source = spec.source()
        let sessions = try drain(&source)
        #expect(sessions.count == 24)
        for s in sessions {
            // num_turns uniform 12..18 messages -> 6..9 user turns.
            #expect((6...9).contains(s.turns.count))
            // Common prefix 500 (shared), per-conversation prefix <= 5,000, first message
            // max(num_tokens - 500, 20) = 20 since num_tokens <= 160.
            #expect(s.sharedPrefix == SharedPrefix(blockTokens: 500, blockIDs: [0]))
            #expect(s.turns[0].newInputTokens >= 520 && s.turns[0].newInputTokens <= 5_520)
            #expect(s.turns.dropFirst().allSatisfy { (120...160).contains($0.newInputTokens) })
            #expect(s.turns.allSatisfy { (80...120).contains($0.outputTokens) })
            #expect(s.arrivalSeconds == 0)
        }
        // README (Monte Carlo of vLLM's rules): prompt tokens per request mean ~2.3 k.
        var many = spec.source(sessions: 3_000, seed: 2)
        let stats = try TraceStatistics.collect(from: &many)
        #expect(abs(stats.promptTokens.mean - 2_300) / 2_300 < 0.1)
    }
}
