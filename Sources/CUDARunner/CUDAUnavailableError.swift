/// No usable NVIDIA driver or device: the reason is one line, suitable for a command's exit message.
public struct CUDAUnavailableError: Error, Hashable, Sendable {
    /// What failed, e.g. `libcuda.so.1: libcuda.so.1: cannot open shared object file: ...`.
    public var reason: String

    /// Creates an error with a one-line reason.
    public init(reason: String) { self.reason = reason }
}

extension CUDAUnavailableError: CustomStringConvertible {
    public var description: String { "CUDA unavailable: \(reason)" }
}
