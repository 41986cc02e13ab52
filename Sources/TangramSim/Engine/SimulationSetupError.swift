import Workloads

/// A setup that cannot be simulated.
public enum SimulationSetupError: Error, CustomStringConvertible {
    /// The model leaves no room for a KV cache.
    case memory(KVMemoryPlanError)
    /// No built-in head profile for the model and scorer.
    case profile(SyntheticHeadProfileError)
    /// A head profile whose cells do not match the model's full-attention layers x KV heads.
    case profileShape(profile: String, heads: Int, model: String, expected: Int)
    /// Compression settings out of range.
    case settings(String)
    /// The model's heads cannot be split over the tensor-parallel GPUs.
    case tensorParallel(model: String, queryHeads: Int, kvHeads: Int, tensorParallel: Int)

    public var description: String {
        switch self {
        case .memory(let e): return e.description
        case .profile(let e): return e.description
        case .profileShape(let p, let h, let m, let e):
            return "head profile \(p) has \(h) heads, but \(m) has \(e) (full-attention layers x KV heads)"
        case .settings(let s): return s
        case .tensorParallel(let m, let q, let kv, let tp):
            return "\(m) cannot run on \(tp) tensor-parallel GPUs: its \(q) query heads must divide evenly by \(tp), "
                + "and its \(kv) KV heads must divide by \(tp) or \(tp) by them (replicated KV heads)"
        }
    }
}
