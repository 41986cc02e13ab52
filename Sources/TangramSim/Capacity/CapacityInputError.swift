/// Inputs the capacity planner or a sweep cannot use.
public enum CapacityInputError: Error, Sendable, Hashable {
    /// A trace with no sessions.
    case emptyTrace(label: String)
    /// A trace whose sessions all start at one instant: it has no session rate to scale.
    case traceWithoutRate(label: String)
    /// A workload whose arrival rate cannot be set (no component).
    case noComponents(label: String)
    /// A settings value out of range.
    case setting(name: String, reason: String)
}

extension CapacityInputError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .emptyTrace(let l): return "\(l): the trace has no sessions"
        case .traceWithoutRate(let l):
            return "\(l): every session starts at the same instant, so the trace has no session rate to scale"
        case .noComponents(let l): return "\(l): the workload has no component"
        case .setting(let n, let r): return "\(n): \(r)"
        }
    }
}
