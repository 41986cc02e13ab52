import CTangramKernelABI

/// The nvcc-built `libtangram_kernels.so`, opened with `dlopen` and bound symbol by symbol.
///
/// Every entry point allocates its inputs on the device, fills them with seeded random values,
/// optionally checks the output against a reference, and times the launches with CUDA events
/// (see `Sources/CTangramKernelABI/include/tangram_kernel_abi.h`).
///
/// ```swift
/// let kernels = try KernelLibrary(path: "Kernels/libtangram_kernels.so")
/// let device = try kernels.deviceInfo()
/// ```
public final class KernelLibrary: @unchecked Sendable {
    /// The path the library was opened from.
    public let path: String
    /// The ABI version the library reports (equal to `TK_ABI_VERSION`, or the initializer throws).
    public let abiVersion: UInt32

    private let library: DynamicLibrary
    private let lastError: tk_last_error_fn
    private let deviceInfoFunction: tk_device_info_fn
    private let copyFunction: tk_copy_bandwidth_fn
    private let decodeFunction: tk_decode_attention_fn
    private let plannerFunction: tk_decode_planner_fn
    private let prefillFunction: tk_prefill_attention_fn
    private let compactionFunction: tk_compaction_fn
    private let gemmFunction: tk_gemm_fn

    /// The symbols this loader binds, in the order it binds them.
    public static let requiredSymbols = [
        "tk_abi_version", "tk_last_error", "tk_device_info_get", "tk_copy_bandwidth", "tk_decode_attention",
        "tk_decode_planner", "tk_prefill_attention", "tk_compaction", "tk_gemm",
    ]

    /// Opens the library at `path`, binds every `tk_*` symbol and checks the ABI version.
    /// - Throws: ``KernelLibraryError/load(_:)`` when the file or a symbol is missing,
    ///   ``KernelLibraryError/abiMismatch(path:found:expected:)`` when it was built from another header.
    public init(path: String) throws(KernelLibraryError) {
        do {
            library = try DynamicLibrary(path)
            let version: tk_abi_version_fn = try library.function("tk_abi_version")
            abiVersion = version()
            guard abiVersion == TK_ABI_VERSION else {
                throw KernelLibraryError.abiMismatch(path: path, found: abiVersion, expected: TK_ABI_VERSION)
            }
            lastError = try library.function("tk_last_error")
            deviceInfoFunction = try library.function("tk_device_info_get")
            copyFunction = try library.function("tk_copy_bandwidth")
            decodeFunction = try library.function("tk_decode_attention")
            plannerFunction = try library.function("tk_decode_planner")
            prefillFunction = try library.function("tk_prefill_attention")
            compactionFunction = try library.function("tk_compaction")
            gemmFunction = try library.function("tk_gemm")
        } catch let error as DynamicLibraryError {
            throw .load(error)
        } catch let error as KernelLibraryError {
            throw error
        } catch {
            throw .load(DynamicLibraryError(library: path, symbol: nil, reason: "\(error)"))
        }
        self.path = path
    }

    /// Name, multiprocessors, memory, driver and clocks of device 0.
    public func deviceInfo() throws(KernelLibraryError) -> DeviceInfo {
        var info = tk_device_info()
        try check(deviceInfoFunction(&info), "tk_device_info_get")
        return DeviceInfo(info)
    }

    /// One device-to-device copy (moved bytes = 2 x copied bytes).
    public func copyBandwidth(_ problem: tk_copy_problem, options: tk_timing_options) throws(KernelLibraryError) -> KernelResult {
        var p = problem, o = options, r = tk_result()
        try check(copyFunction(&p, &o, &r), "tk_copy_bandwidth")
        return KernelResult(r)
    }

    /// Paged decode attention; `lengths` has one entry per (request, page group).
    public func decodeAttention(
        _ problem: tk_decode_problem, lengths: [UInt32], options: tk_timing_options
    ) throws(KernelLibraryError) -> KernelResult {
        try decodeCall(decodeFunction, "tk_decode_attention", problem, lengths: lengths, options: options)
    }

    /// The decode planner alone on the host: `options.repeats` samples of
    /// `TK_PLANNER_CALLS_PER_SAMPLE` back-to-back calls; times are host seconds per call.
    public func decodePlanner(
        _ problem: tk_decode_problem, lengths: [UInt32], options: tk_timing_options
    ) throws(KernelLibraryError) -> KernelResult {
        try decodeCall(plannerFunction, "tk_decode_planner", problem, lengths: lengths, options: options)
    }

    /// Calls a decode entry point (the kernel or the planner alone; both take the same arguments).
    private func decodeCall(
        _ function: tk_decode_attention_fn, _ name: String, _ problem: tk_decode_problem, lengths: [UInt32],
        options: tk_timing_options
    ) throws(KernelLibraryError) -> KernelResult {
        try Self.checkPerGroup(lengths.count, "lengths", batch: problem.batch, kvHeads: problem.kv_heads,
                               headsPerPage: problem.heads_per_page, function: name)
        var p = problem, o = options, r = tk_result()
        let status = lengths.withUnsafeBufferPointer { function(&p, $0.baseAddress!, &o, &r) }
        try check(status, name)
        return KernelResult(r)
    }

    /// Checks that an array with one entry per (request, page group) has batch x groups entries.
    private static func checkPerGroup(
        _ count: Int, _ what: String, batch: UInt32, kvHeads: UInt32, headsPerPage: UInt32, function: String
    ) throws(KernelLibraryError) {
        let expected = Int(batch) * Int(kvHeads / max(headsPerPage, 1))
        guard count == expected, count > 0 else {
            throw .call(function: function, status: TK_ERR_INVALID,
                        message: "\(what) has \(count) entries, expected batch x groups = \(expected)")
        }
    }

    /// Causal chunked-prefill attention over a paged history.
    public func prefillAttention(_ problem: tk_prefill_problem, options: tk_timing_options) throws(KernelLibraryError) -> KernelResult {
        var p = problem, o = options, r = tk_result()
        try check(prefillFunction(&p, &o, &r), "tk_prefill_attention")
        return KernelResult(r)
    }

    /// Page compaction; `kept` has one entry per (request, page group).
    public func compaction(
        _ problem: tk_compaction_problem, kept: [UInt32], options: tk_timing_options
    ) throws(KernelLibraryError) -> KernelResult {
        try Self.checkPerGroup(kept.count, "kept", batch: problem.batch, kvHeads: problem.kv_heads,
                               headsPerPage: problem.heads_per_page, function: "tk_compaction")
        var p = problem, o = options, r = tk_result()
        let status = kept.withUnsafeBufferPointer { compactionFunction(&p, $0.baseAddress!, &o, &r) }
        try check(status, "tk_compaction")
        return KernelResult(r)
    }

    /// A bf16 GEMM through cuBLAS.
    public func gemm(_ problem: tk_gemm_problem, options: tk_timing_options) throws(KernelLibraryError) -> KernelResult {
        var p = problem, o = options, r = tk_result()
        try check(gemmFunction(&p, &o, &r), "tk_gemm")
        return KernelResult(r)
    }

    private func check(_ status: Int32, _ function: String) throws(KernelLibraryError) {
        guard status != TK_OK else { return }
        throw .call(function: function, status: status, message: String(cString: lastError()))
    }
}
