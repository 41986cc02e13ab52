import Testing

@testable import Workloads

@Suite struct WorkloadPresetTests {
    @Test(arguments: WorkloadPreset.allCases)
    func everyPresetStreamsTheRequestedSessions(_ preset: WorkloadPreset) throws {
        var source = preset.source(sessions: 23, seed: 4)
        let sessions = try drain(&source)
        #expect(sessions.count == 23)
        #expect(sessions.map(\.id) == Array(0..<23))
        #expect(zip(sessions, sessions.dropFirst()).allSatisfy { $0.arrivalSeconds <= $1.arrivalSeconds })
        for c in preset.configs(sessions: 23, seed: 4) { #expect(throws: Never.self) { try c.validate() } }
        #expect(WorkloadPreset(rawValue: preset.rawValue) == preset)
    }

    @Test func scbenchTasksFollowTheDomainBrief() throws {
        // DOMAIN.md section 6: context lengths and per-query outputs of the paper's tasks.
        let expected: [SCBenchTask: (context: Int, output: Int, bucket: SCBenchTask.Bucket)] = [
            .squad: (3_000, 256, .short), .gsm: (2_000, 512, .short),
            .manyShot: (80_000, 96, .mid), .mf: (90_000, 48, .mid), .choiceEng: (35_000, 96, .mid),
            .qaEng: (50_000, 96, .mid), .repoqa: (65_000, 512, .mid),
            .kv: (169_000, 96, .long), .prefixSuffix: (112_000, 128, .long), .summary: (113_000, 256, .long),
            .vt: (124_000, 96, .long),
            // The shorter variants: lengths from the Tangram helpers' `_DATASET_COST`
            // (scbench_local.py), output lengths from `set_gen_length`, bucket of the full task.
            .kvShort: (18_000, 96, .long), .prefixSuffixShort: (19_000, 128, .long), .mfMid: (45_000, 48, .mid),
        ]
        #expect(Set(expected.keys) == Set(SCBenchTask.allCases))
        for task in SCBenchTask.allCases {
            var source = WorkloadPreset(task: task).source(sessions: 3, seed: 1)
            for s in try drain(&source) {
                #expect(s.arrivalSeconds == 0)
                #expect(s.turns.count == 5)
                #expect(s.turns[0].newInputTokens == expected[task]!.context + SCBenchTask.queryTokens)
                #expect(s.turns.allSatisfy { $0.outputTokens == expected[task]!.output && $0.thinkTimeSeconds == 0 })
            }
            #expect(task.bucket == expected[task]!.bucket)
        }
    }

    /// The performance protocol of the Tangram code's throughput benchmark
    /// (`benchmark_performance.sh`: `--single-turn --force-exact-tokens`, `MAX_TOKENS=512`): one
    /// query per context, 512 output tokens whatever the task, still all at t = 0.
    @Test func performanceProtocolIsOneQueryWithExactly512Tokens() throws {
        for task in SCBenchTask.allCases {
            var source = WorkloadPreset(task: task).source(sessions: 3, seed: 1, protocol: .performance)
            let sessions = try drain(&source)
            #expect(sessions.count == 3)
            for s in sessions {
                #expect(s.arrivalSeconds == 0)
                #expect(s.turns.count == 1)
                #expect(s.turns[0].newInputTokens == task.contextTokens + SCBenchTask.queryTokens)
                #expect(s.turns[0].outputTokens == 512)
            }
        }
        // The bucket presets mix their tasks the same way under either protocol.
        var a = WorkloadPreset.scbenchMid.source(sessions: 10, seed: 2, protocol: .performance)
        var b = WorkloadPreset.scbenchMid.source(sessions: 10, seed: 2)
        let contextsA = try drain(&a).map { $0.turns[0].newInputTokens }
        let contextsB = try drain(&b).map { $0.turns[0].newInputTokens }
        #expect(contextsA == contextsB)
    }

    @Test func bucketsListOnlyFullTasks() {
        #expect(SCBenchTask.tasks(in: .long) == [.kv, .prefixSuffix, .summary, .vt])
        #expect(SCBenchTask.tasks(in: .mid) == [.manyShot, .mf, .choiceEng, .qaEng, .repoqa])
        #expect(SCBenchTask.tasks(in: .short) == [.squad, .gsm])
        #expect([SCBenchTask.kvShort, .prefixSuffixShort, .mfMid].map(\.fullTask) == [.kv, .prefixSuffix, .mf])
        #expect(SCBenchTask.allCases.filter(\.isVariant).count == 3)
    }

    @Test func bucketPresetsInterleaveTheirTasks() throws {
        var source = WorkloadPreset.scbenchLong.source(sessions: 8, seed: 1)
        let sessions = try drain(&source)
        let contexts = sessions.map { $0.turns[0].newInputTokens - SCBenchTask.queryTokens }
        // Four long tasks, two sessions each, taking turns.
        #expect(Set(contexts.prefix(4)) == [169_000, 112_000, 113_000, 124_000])
        #expect(Set(contexts.suffix(4)) == [169_000, 112_000, 113_000, 124_000])
    }

    @Test func chatPresetIsTheChatConfig() throws {
        var a = WorkloadPreset.chat.source(sessions: 40, seed: 9)
        var b = SyntheticChatGenerator(config: .chat(sessionCount: 40, seed: 9))
        #expect(try drain(&a) == (try drain(&b)))
    }
}
