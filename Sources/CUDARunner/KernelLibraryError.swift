import CTangramKernelABI

/// Why the kernel library could not be used.
public enum KernelLibraryError: Error, Hashable, Sendable {
    /// The file or one of its `tk_*` symbols could not be loaded.
    case load(DynamicLibraryError)
    /// The library was built from another version of `tangram_kernel_abi.h`.
    case abiMismatch(path: String, found: UInt32, expected: UInt32)
    /// An entry point returned a non-zero status; `message` is its `tk_last_error()`.
    case call(function: String, status: Int32, message: String)

    /// Whether the failure was a device allocation (the problem does not fit); later calls may work.
    public var isOutOfMemory: Bool {
        if case .call(_, let status, _) = self { return status == TK_ERR_OUT_OF_MEMORY }
        return false
    }

    /// Whether the failure leaves the CUDA context usable (invalid input, missing cuBLAS, no memory).
    public var isRecoverable: Bool {
        if case .call(_, let status, _) = self { return status != TK_ERR_CUDA }
        return false
    }
}

extension KernelLibraryError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .load(let error):
            return "cannot load kernel library: \(error)"
        case .abiMismatch(let path, let found, let expected):
            return "\(path): ABI version \(found), this build expects \(expected); rebuild it with Kernels/build.sh"
        case .call(let function, let status, let message):
            return "\(function) failed with status \(status): \(message)"
        }
    }
}
