/// Why a shared library or one of its symbols could not be loaded.
public struct DynamicLibraryError: Error, Hashable, Sendable {
    /// The name or path passed to `dlopen`.
    public var library: String
    /// The symbol that was looked up, or `nil` when opening the library failed.
    public var symbol: String?
    /// The dynamic loader's message (or "missing symbol NAME").
    public var reason: String

    /// Creates an error for `library` (and `symbol`, if a lookup failed).
    public init(library: String, symbol: String?, reason: String) {
        self.library = library
        self.symbol = symbol
        self.reason = reason
    }
}

extension DynamicLibraryError: CustomStringConvertible {
    public var description: String {
        if let symbol { return "\(library): cannot bind \(symbol): \(reason)" }
        return "\(library): \(reason)"
    }
}
