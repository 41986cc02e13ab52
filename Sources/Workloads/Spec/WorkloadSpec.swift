#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A workload described in a spec file (`--workload FILE`): YAML or JSON in tangram-sim's
/// schema (docs/workloads.md), or vLLM's multi-turn generator config
/// (`"filetype": "generate_conversations"`) as it is.
///
/// A spec is one or more weighted ``SyntheticChatConfig`` components; sessions and the arrival
/// rate are split among components by weight and the components are interleaved in arrival
/// order.
///
/// ```swift
/// let spec = try WorkloadSpec.load(path: "my-workload.yaml")
/// var source = spec.source(sessions: 500, seed: 3)
/// ```
public struct WorkloadSpec: Sendable, Hashable {
    /// Where a spec came from.
    public enum Dialect: String, Sendable, Hashable {
        /// tangram-sim's own schema.
        case tangram
        /// vLLM's `benchmarks/multi_turn` generator config.
        case vllm
    }

    /// One weighted component.
    public struct Component: Sendable, Hashable {
        /// Relative share of sessions and arrival rate.
        public var weight: Double
        /// The component's shape and arrival process (its session count and seed are replaced
        /// when the spec is instantiated).
        public var config: SyntheticChatConfig
    }

    /// The components; at least one.
    public var components: [Component]
    /// Sessions the spec asks for (`sessions` / `num_conversations`), if it says.
    public var sessionCount: Int?
    /// Seed the spec asks for, if it says.
    public var seed: UInt64?
    /// The schema it was written in.
    public var dialect: Dialect

    /// Sessions used when neither the spec nor the caller gives a count.
    public static let defaultSessionCount = 1_000

    /// Reads and validates a spec file.
    ///
    /// - Throws: ``WorkloadSpecError`` naming the file, line (when known) and field.
    public static func load(path: String) throws(WorkloadSpecError) -> WorkloadSpec {
        let file = try SpecFile(path: path, limitBytes: 16 << 20, what: "a workload spec")
        return try parse(text: file.text, file: path, folder: file.folder)
    }

    /// Parses spec text.
    ///
    /// - Parameters:
    ///   - text: YAML or JSON.
    ///   - file: Name used in errors.
    ///   - folder: Folder that relative paths in the spec (empirical files, rate curves) are
    ///     resolved against.
    /// - Throws: ``WorkloadSpecError``.
    public static func parse(text: String, file: String = "spec", folder: String = ".") throws(WorkloadSpecError)
        -> WorkloadSpec
    {
        let root = try SpecNode.parse(text: text, file: file)
        let reader = SpecReader(file: file, folder: folder)
        if root["filetype"] != nil {
            return try VLLMMultiTurnConfig.parse(root, reader: reader)
        }
        return try parseTangram(root, reader: reader)
    }

    /// The components' configurations for `sessions` sessions (default: the spec's count, else
    /// ``defaultSessionCount``) and `seed` (default: the spec's seed, else 1). Sessions are split
    /// by weight (largest remainder); the arrival rate too.
    public func configs(sessions: Int? = nil, seed: UInt64? = nil) -> [SyntheticChatConfig] {
        let total = max(0, sessions ?? sessionCount ?? Self.defaultSessionCount)
        let master = seed ?? self.seed ?? 1
        let weightSum = components.reduce(0) { $0 + $1.weight }
        if components.count == 1 {
            var c = components[0].config
            c.sessionCount = total
            c.seed = master
            return [c]
        }
        let exact = components.map { Double(total) * $0.weight / weightSum }
        var shares = exact.map { Int($0.rounded(.down)) }
        var left = total - shares.reduce(0, +)
        let order = exact.indices.sorted {
            (exact[$0] - Double(shares[$0]), -$0) > (exact[$1] - Double(shares[$1]), -$1)
        }
        for i in order where left > 0 {
            shares[i] += 1
            left -= 1
        }
        return components.enumerated().map { i, component in
            var c = component.config
            c.sessionCount = shares[i]
            c.seed = GSLRandom.derivedSeed(master: master, stream: RandomStream.mixtureBase + UInt64(i))
            c.arrival = c.arrival.scaled(by: component.weight / weightSum)
            return c
        }
    }

    /// A streaming source of the spec's sessions.
    public func source(sessions: Int? = nil, seed: UInt64? = nil) -> any SessionSource {
        let c = configs(sessions: sessions, seed: seed)
        if c.count == 1 { return SyntheticChatGenerator(config: c[0]) }
        return MergedSessionSource(c.map { SyntheticChatGenerator(config: $0) })
    }
}
