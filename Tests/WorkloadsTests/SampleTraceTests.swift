import Foundation
import Testing

@testable import Workloads

/// The committed sample traces are exactly what traces/README.md's commands produce.
@Suite struct SampleTraceTests {
    static let samples: [(file: String, preset: WorkloadPreset, sessions: Int, seed: UInt64)] = [
        ("chat-small.jsonl", .chat, 50, 1),
        ("chat-100.jsonl", .chat, 100, 2),
        ("scbench-short-10.jsonl", .scbenchShort, 10, 1),
    ]

    @Test(arguments: samples.indices)
    func sampleMatchesItsCommand(_ i: Int) throws {
        let sample = Self.samples[i]
        let path = SharedTraces.packageRoot + "/traces/" + sample.file
        var reader = try NativeTraceReader(path: path)
        let fromFile = try drain(&reader)
        var source = sample.preset.source(sessions: sample.sessions, seed: sample.seed)
        #expect(fromFile == (try drain(&source)))
        #expect(fromFile.count == sample.sessions)
        // Rewriting gives the same bytes.
        let dir = ScratchFolder()
        let writer = try NativeTraceWriter(path: dir.path + "/again.jsonl")
        var again = sample.preset.source(sessions: sample.sessions, seed: sample.seed)
        try writer.write(contentsOf: &again)
        try writer.finish()
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: path))
                == Data(contentsOf: URL(fileURLWithPath: dir.path + "/again.jsonl")))
        let readme = try String(contentsOfFile: SharedTraces.packageRoot + "/traces/README.md", encoding: .utf8)
        #expect(
            readme.contains(
                "--preset \(sample.preset.rawValue) --sessions \(sample.sessions) --seed \(sample.seed) --out traces/\(sample.file)"
            ))
    }
}
