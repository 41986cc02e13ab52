#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed file-system call, with the path, the operation and the `errno` it set.
public struct FileError: Error, Hashable, Sendable {
    /// The file or folder the operation was on.
    public var path: String
    /// What was being done, e.g. `"create temporary file"`, `"rename"`.
    public var operation: String
    /// The `errno` value; 0 when the failure did not come from a system call.
    public var errorNumber: Int32

    /// Creates an error.
    public init(path: String, operation: String, errorNumber: Int32) {
        self.path = path
        self.operation = operation
        self.errorNumber = errorNumber
    }

    /// An error for the current `errno`.
    static func current(path: String, operation: String) -> FileError {
        FileError(path: path, operation: operation, errorNumber: errno)
    }
}

extension FileError: CustomStringConvertible {
    /// `PATH: cannot OPERATION: strerror(errno)`.
    public var description: String {
        let reason = errorNumber == 0 ? "failed" : String(cString: strerror(errorNumber))
        return "\(path): cannot \(operation): \(reason)"
    }
}
