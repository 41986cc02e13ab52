import Foundation
import Workloads

/// Paths of the read-only reference data at `../shared` relative to the package root, and of
/// scratch folders for tests.
enum SharedTraces {
    /// The package root, from this file's path (Tests/WorkloadsTests/SharedTraces.swift).
    static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// `../shared/traces` relative to the package root.
    static let folder = packageRoot + "/../shared/traces"

    static func path(_ relative: String) -> String { folder + "/" + relative }

    static func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path(relative))
    }

    static let mooncakeConversation = "mooncake/conversation_trace.jsonl"
    static let mooncakeSynthetic = "mooncake/synthetic_trace.jsonl"
    static let mooncakeConversationSessions = "mooncake/conversation_trace_sessions.csv"
    static let azureConversation = "azure_llm_2023/AzureLLMInferenceTrace_conv.csv"
    static let azureCode = "azure_llm_2023/AzureLLMInferenceTrace_code.csv"
    static let sharegptTurns = "sharegpt/sharegpt_v3_turns.csv"
    static let servegenClient = "servegen/language_m-large/chunk-61-trace.csv"
    static let servegenAggregate = "servegen/servegen_aggregate_rate.csv"
    static let vllmSpec = "vllm_multi_turn/generate_multi_turn.json"
}

/// A fresh temporary folder, removed when the value is dropped.
final class ScratchFolder {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.path + "/workloads-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` in the folder and returns its path.
    func write(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    /// Names of the files in the folder.
    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted() ?? [] }
}

/// Drains a session source.
func drain<S: SessionSource>(_ source: inout S) throws -> [SessionSpec] {
    var out: [SessionSpec] = []
    while let s = try source.nextSession() { out.append(s) }
    return out
}
