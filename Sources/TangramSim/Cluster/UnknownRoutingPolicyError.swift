/// A router name that is not known.
public struct UnknownRoutingPolicyError: Error, Sendable, Hashable {
    /// The name as given.
    public var name: String

    /// Creates the error for `name`.
    public init(name: String) {
        self.name = name
    }
}

extension UnknownRoutingPolicyError: CustomStringConvertible {
    public var description: String {
        "unknown router '\(name)'; known routers: \(RoutingPolicy.allCases.map(\.rawValue).joined(separator: ", "))"
    }
}
