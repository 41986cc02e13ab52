/// A cluster that cannot be simulated as configured.
public enum ClusterSetupError: Error, Sendable, Hashable {
    /// The replica count is below 1.
    case replicaCount(Int)
    /// The replica's own setup is invalid.
    case setup(String)
}

extension ClusterSetupError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .replicaCount(let n): return "a cluster needs at least one replica, got \(n)"
        case .setup(let reason): return reason
        }
    }
}
