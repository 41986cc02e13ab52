/// A KV cache policy by name: how the cache is laid out, budgeted and partitioned.
public struct Policy: Sendable, Hashable {
    /// Name as given on the command line.
    public var name: String

    /// Full, uncompressed KV on monolithic pages with prefix caching: vLLM 0.11 as released.
    public static let vllm = Policy(name: "vllm")

    /// Every policy this build simulates.
    public static let all: [Policy] = [.vllm]

    /// Looks a policy up by name.
    ///
    /// - Throws: ``UnknownPolicyError`` listing the known names.
    public static func named(_ name: String) throws(UnknownPolicyError) -> Policy {
        let key = name.lowercased()
        guard let p = all.first(where: { $0.name == key }) else {
            throw UnknownPolicyError(name: name, known: all.map(\.name))
        }
        return p
    }
}

/// A policy name that is not known.
public struct UnknownPolicyError: Error, CustomStringConvertible {
    public var name: String
    public var known: [String]
    public var description: String { "unknown policy '\(name)'; known policies: \(known.joined(separator: ", "))" }
}
