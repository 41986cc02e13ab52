#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The axes of a parameter sweep as written in a grid file (`tangram-sim sweep GRID.yaml`),
/// checked for types and ranges; names (models, GPUs, policies, routers, workloads) are checked
/// by the sweep that uses them, with errors that point back here through ``line(of:)``.
///
/// ```yaml
/// name: chat-h200              # label of the runs (optional)
/// mode: steady                 # steady (warm-started probe, measured window) or full
/// models: [llama-3.1-8b]
/// gpus: [h200]
/// tensor_parallel: [1]
/// workloads: ["preset:chat"]   # preset:NAME, spec:PATH or trace:PATH (paths relative to this file)
/// session_rates: [0.5, 1, 2]   # sessions/s; leave out for each workload's own rate
/// sessions: [300]              # sessions per point (steady: measured sessions)
/// warmup_sessions: 150         # steady mode only (default: half of sessions)
/// history_s: 14400             # steady mode only
/// policies: [vllm, tangram]
/// kept_ratios: [0.25]
/// seeds: [1, 2, 3]
/// replicas: [1]
/// routers: [session-affinity]
/// ```
///
/// Every key is optional; a list may be written as a single value.
public struct SweepGridSpec: Sendable, Hashable {
    /// Label of the runs.
    public var name: String
    /// `steady` or `full`.
    public var mode: String
    /// Model names.
    public var models: [String]
    /// GPU names.
    public var gpus: [String]
    /// Tensor-parallel degrees.
    public var tensorParallel: [Int]
    /// `preset:NAME`, `spec:PATH` or `trace:PATH`, paths resolved against the grid's folder.
    public var workloads: [String]
    /// Session rates, or `nil` for each workload's own.
    public var sessionRates: [Double]?
    /// Sessions per point.
    public var sessions: [Int]
    /// Steady mode: warm-up sessions (`nil`: half of the sessions).
    public var warmupSessions: Int?
    /// Steady mode: session history before each probe, seconds.
    public var historySeconds: Double
    /// Policy names.
    public var policies: [String]
    /// Kept ratios of compressed policies, in (0, 1].
    public var keptRatios: [Double]
    /// Seeds, all different.
    public var seeds: [UInt64]
    /// Replicas per cluster.
    public var replicas: [Int]
    /// Router names.
    public var routers: [String]
    /// The grid file, for errors.
    public var file: String
    private var lines: [String: Int]

    /// Keys a grid may have.
    public static let keys: [String] = [
        "name", "mode", "models", "gpus", "tensor_parallel", "workloads", "session_rates", "sessions",
        "warmup_sessions", "history_s", "policies", "kept_ratios", "seeds", "replicas", "routers",
    ]

    /// The 1-based line of a key's value (`policies`) or of a list item (`policies[1]`) in the
    /// grid file, when known.
    public func line(of field: String) -> Int? {
        if let l = lines[field] { return l }
        return field.firstIndex(of: "[").flatMap { lines[String(field[..<$0])] }
    }

    /// An error about a field (a key, or a list item such as `policies[1]`).
    public func error(_ field: String, _ reason: String) -> WorkloadSpecError {
        WorkloadSpecError(file: file, line: line(of: field), field: field, reason: reason)
    }

    /// Reads a grid file.
    ///
    /// - Throws: ``WorkloadSpecError`` naming the file, line and field.
    public static func load(path: String) throws(WorkloadSpecError) -> SweepGridSpec {
        let file = try SpecFile(path: path, limitBytes: 4 << 20, what: "a sweep grid")
        return try parse(text: file.text, file: path, folder: file.folder)
    }

    /// Parses grid text (YAML or JSON).
    ///
    /// - Parameters:
    ///   - file: Name used in errors.
    ///   - folder: Folder that `spec:` and `trace:` paths are resolved against.
    /// - Throws: ``WorkloadSpecError``.
    public static func parse(text: String, file: String = "grid", folder: String = ".") throws(WorkloadSpecError)
        -> SweepGridSpec
    {
        let root = try SpecNode.parse(text: text, file: file)
        let reader = SpecReader(file: file, folder: folder)
        _ = try reader.object(root, "", allowed: Set(keys))
        var lines: [String: Int] = [:]
        for key in root.keys {
            guard let node = root[key] else { continue }
            lines[key] = node.line
            if case .array(let items) = node.value {
                for (i, item) in items.enumerated() { lines["\(key)[\(i)]"] = item.line ?? node.line }
            } else {
                lines["\(key)[0]"] = node.line
            }
        }

        func list(_ key: String) throws(WorkloadSpecError) -> [SpecNode]? {
            guard let node = root[key] else { return nil }
            if case .array(let items) = node.value {
                guard !items.isEmpty else { throw reader.error(node, key, "must list at least one value") }
                return items
            }
            return [node]
        }
        func strings(_ key: String, default value: [String]) throws(WorkloadSpecError) -> [String] {
            guard let items = try list(key) else { return value }
            var out: [String] = []
            for (i, n) in items.enumerated() {
                let s: String
                switch n.value {
                case .string(let x): s = x
                case .integer(let x): s = String(x)
                case .number(let x): s = String(x)
                default: throw reader.error(n, "\(key)[\(i)]", "must be a string, got \(n.brief)")
                }
                guard !s.isEmpty else { throw reader.error(n, "\(key)[\(i)]", "must not be empty") }
                out.append(s)
            }
            return out
        }
        func integers(_ key: String, default value: [Int], in range: ClosedRange<Int>) throws(WorkloadSpecError) -> [Int] {
            guard let items = try list(key) else { return value }
            var out: [Int] = []
            for (i, n) in items.enumerated() { out.append(try reader.integer(n, "\(key)[\(i)]", in: range)) }
            return out
        }
        func positives(_ key: String) throws(WorkloadSpecError) -> [Double]? {
            guard let items = try list(key) else { return nil }
            var out: [Double] = []
            for (i, n) in items.enumerated() { out.append(try reader.positive(n, "\(key)[\(i)]")) }
            return out
        }

        var name = ""
        if let n = root["name"] { name = try reader.string(n, "name") }
        var mode = "steady"
        if let n = root["mode"] {
            mode = try reader.string(n, "mode")
            guard mode == "steady" || mode == "full" else { throw reader.error(n, "mode", "must be steady or full, got \"\(mode)\"") }
        }
        var workloads = try strings("workloads", default: ["preset:chat"])
        if let items = try list("workloads") {
            for (i, w) in workloads.enumerated() {
                let parts = w.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, ["preset", "spec", "trace"].contains(parts[0]), !parts[1].isEmpty else {
                    throw reader.error(items[i], "workloads[\(i)]", "must be preset:NAME, spec:PATH or trace:PATH, got \"\(w)\"")
                }
                if parts[0] != "preset" { workloads[i] = parts[0] + ":" + reader.resolve(parts[1]) }
            }
        }
        let keptRatios = try positives("kept_ratios") ?? [0.25]
        if let items = try list("kept_ratios") {
            for (i, k) in keptRatios.enumerated() where k > 1 {
                throw reader.error(items[i], "kept_ratios[\(i)]", "must be in (0, 1], got \(k)")
            }
        }
        var warmup: Int?
        if let n = root["warmup_sessions"] { warmup = try reader.integer(n, "warmup_sessions", in: 0...100_000_000) }
        var history = 14_400.0
        if let n = root["history_s"] { history = try reader.nonNegative(n, "history_s") }
        let seeds = try integers("seeds", default: [1], in: 0...Int.max).map { UInt64($0) }
        if Set(seeds).count != seeds.count { throw reader.error(root["seeds"], "seeds", "lists a seed twice") }

        return SweepGridSpec(
            name: name, mode: mode,
            models: try strings("models", default: ["llama-3.1-8b"]),
            gpus: try strings("gpus", default: ["h200"]),
            tensorParallel: try integers("tensor_parallel", default: [1], in: 1...1024),
            workloads: workloads,
            sessionRates: try positives("session_rates"),
            sessions: try integers("sessions", default: [200], in: 1...100_000_000),
            warmupSessions: warmup, historySeconds: history,
            policies: try strings("policies", default: ["vllm"]),
            keptRatios: keptRatios, seeds: seeds,
            replicas: try integers("replicas", default: [1], in: 1...100_000),
            routers: try strings("routers", default: ["session-affinity"]),
            file: file, lines: lines)
    }
}
