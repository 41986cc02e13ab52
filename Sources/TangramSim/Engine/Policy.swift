/// A KV cache policy by name, and the composition it stands for.
///
/// | name | budget | layout | admission | reclaim | decode partition |
/// |---|---|---|---|---|---|
/// | `vllm` | none | monolithic, prefix cache | incremental | no | balanced |
/// | `uniform` | uniform | monolithic | incremental | no | balanced |
/// | `nonuniform` | dynamic | monolithic | uncompressed prompt | yes | FlashDecoding-like |
/// | `dynamic-fd` | dynamic | ragged sorted | uncompressed prompt | yes | FlashDecoding-like |
/// | `dynamic-fi` | dynamic | ragged sorted | uncompressed prompt | yes | FlashInfer-like |
/// | `tangram-sb` | reserved | monolithic | reserved | no | FlashDecoding-like |
/// | `tangram-sb-rp` | reserved | ragged sorted | reserved | no | FlashDecoding-like |
/// | `tangram` | reserved | ragged sorted | reserved | no | ahead-of-time |
/// | `tangram-release` | dynamic | ragged, regrown to longest | uncompressed prompt | yes | FlashDecoding-like |
///
/// Compressed policies keep each conversation resident between turns (the released Tangram
/// code's behaviour); `vllm` reuses history through its prefix cache.
public struct Policy: Sendable, Hashable {
    /// Name as given on the command line.
    public var name: String
    /// What the name stands for, with ragged groups of ``CompressionSettings/headsPerGroup``.
    public var spec: PolicySpec

    public init(name: String, spec: PolicySpec) {
        self.name = name
        self.spec = spec
    }

    /// Full, uncompressed KV on monolithic pages with prefix caching: vLLM 0.11 as released.
    public static let vllm = Policy(name: "vllm", spec: PolicySpec(
        budget: .none, layout: .monolithic, admission: .incremental, reclaim: false, reserveAtAdmission: false,
        partition: .balanced, history: .prefixCache))

    /// Every policy name, in the order reports list them.
    public static let names = ["vllm", "uniform", "nonuniform", "dynamic-fd", "dynamic-fi", "tangram-sb",
                               "tangram-sb-rp", "tangram", "tangram-release"]

    /// Every policy with the default compression settings.
    public static var all: [Policy] { names.map { try! named($0) } }

    /// Looks a policy up by name, with ragged layouts built from `settings`.
    ///
    /// - Throws: ``UnknownPolicyError`` listing the known names.
    public static func named(_ name: String, settings: CompressionSettings = .init()) throws(UnknownPolicyError)
        -> Policy
    {
        let key = name.lowercased()
        let ragged = PolicySpec.Layout.ragged(headsPerGroup: settings.headsPerGroup, grouping: settings.grouping,
                                              scope: settings.scope)
        let spec: PolicySpec
        switch key {
        case "vllm": spec = vllm.spec
        case "uniform":
            spec = PolicySpec(budget: .uniform, layout: .monolithic, admission: .incremental, reclaim: false,
                              reserveAtAdmission: true, partition: .balanced, history: .resident)
        case "nonuniform":
            spec = PolicySpec(budget: .dynamic, layout: .monolithic, admission: .uncompressedPrompt, reclaim: true,
                              reserveAtAdmission: false, partition: .flashDecoding, history: .resident)
        case "dynamic-fd", "dynamic-fi":
            spec = PolicySpec(budget: .dynamic, layout: ragged, admission: .uncompressedPrompt, reclaim: true,
                              reserveAtAdmission: false, partition: key == "dynamic-fd" ? .flashDecoding : .flashInfer,
                              history: .resident)
        case "tangram-sb":
            spec = PolicySpec(budget: .reserved, layout: .monolithic, admission: .incremental, reclaim: false,
                              reserveAtAdmission: true, partition: .flashDecoding, history: .resident)
        case "tangram-sb-rp", "tangram":
            spec = PolicySpec(budget: .reserved, layout: ragged, admission: .incremental, reclaim: false,
                              reserveAtAdmission: true, partition: key == "tangram" ? .aheadOfTime : .flashDecoding,
                              history: .resident)
        case "tangram-release":
            spec = PolicySpec(
                budget: .dynamic,
                layout: .raggedRegrownToLongest(headsPerGroup: settings.headsPerGroup, grouping: settings.grouping,
                                                scope: settings.scope),
                admission: .uncompressedPrompt, reclaim: true, reserveAtAdmission: false, partition: .flashDecoding,
                history: .resident)
        default:
            throw UnknownPolicyError(name: name, known: names)
        }
        return Policy(name: key, spec: spec)
    }
}

/// A policy name that is not known.
public struct UnknownPolicyError: Error, CustomStringConvertible {
    public var name: String
    public var known: [String]
    public var description: String { "unknown policy '\(name)'; known policies: \(known.joined(separator: ", "))" }
}
