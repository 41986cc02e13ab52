/// A name that is not in a catalog.
public enum CatalogError: Error, Hashable, CustomStringConvertible {
    case unknownModel(String, known: [String])
    case unknownGPU(String, known: [String])

    public var description: String {
        switch self {
        case .unknownModel(let n, let known): return "unknown model '\(n)'; known models: \(known.joined(separator: ", "))"
        case .unknownGPU(let n, let known): return "unknown GPU '\(n)'; known GPUs: \(known.joined(separator: ", "))"
        }
    }

    static func normalise(_ s: String) -> String {
        String(s.lowercased().map { $0 == "_" || $0 == " " ? "-" : $0 })
    }
}
