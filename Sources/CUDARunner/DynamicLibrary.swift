#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A shared library opened with `dlopen` and closed when the last reference goes away.
///
/// The handle is immutable and `dlsym` is thread-safe, so instances may be shared across tasks.
///
/// ```swift
/// let lib = try DynamicLibrary("libcuda.so.1")
/// let initialize = try lib.function("cuInit", as: (@convention(c) (UInt32) -> Int32).self)
/// ```
public final class DynamicLibrary: @unchecked Sendable {
    /// The name or path the library was opened with.
    public let name: String
    private let handle: UnsafeMutableRawPointer

    /// Opens `name` (a path, or a soname searched the way the dynamic loader does) with
    /// `RTLD_NOW | RTLD_LOCAL`.
    /// - Throws: ``DynamicLibraryError`` with the loader's message when it cannot be opened.
    public init(_ name: String) throws(DynamicLibraryError) {
        guard let h = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            throw DynamicLibraryError(library: name, symbol: nil, reason: DynamicLibrary.loaderMessage())
        }
        self.name = name
        self.handle = h
    }

    /// The address of `symbol`, reinterpreted as the C function type `T`.
    /// - Throws: ``DynamicLibraryError`` naming the symbol when the library does not export it.
    public func function<T>(_ symbol: String, as type: T.Type = T.self) throws(DynamicLibraryError) -> T {
        _ = dlerror()
        guard let raw = dlsym(handle, symbol) else {
            throw DynamicLibraryError(library: name, symbol: symbol, reason: "missing symbol \(symbol)")
        }
        return unsafeBitCast(raw, to: T.self)
    }

    /// Whether the library exports `symbol`.
    public func hasSymbol(_ symbol: String) -> Bool { dlsym(handle, symbol) != nil }

    deinit { dlclose(handle) }

    private static func loaderMessage() -> String {
        guard let message = dlerror() else { return "dlopen failed" }
        return String(cString: message)
    }
}
