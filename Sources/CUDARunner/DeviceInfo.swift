import CTangramKernelABI

/// Device 0 as the kernel library sees it (the Swift view of `tk_device_info`).
public struct DeviceInfo: Sendable, Hashable {
    /// Marketing name, e.g. "NVIDIA H200".
    public var name: String
    /// Streaming multiprocessors.
    public var smCount: Int
    /// Compute capability, e.g. "9.0".
    public var computeCapability: String
    /// CUDA driver API version, e.g. 13000.
    public var cudaDriverVersion: Int
    /// CUDA runtime version the kernel library was built with, e.g. 13000.
    public var cudaRuntimeVersion: Int
    /// NVIDIA driver version string from NVML, e.g. "580.159.04" (empty without NVML).
    public var driverString: String
    /// SM clock when read, in MHz (0 without NVML).
    public var smClockMHz: Int
    /// Memory clock when read, in MHz (0 without NVML).
    public var memClockMHz: Int
    /// Maximum SM clock, in MHz (0 without NVML).
    public var maxSMClockMHz: Int
    /// Maximum memory clock, in MHz (0 without NVML).
    public var maxMemClockMHz: Int
    /// Device memory, in bytes.
    public var totalMemoryBytes: Int
    /// L2 cache, in bytes.
    public var l2Bytes: Int

    /// Creates a description (for tests and reports).
    public init(
        name: String, smCount: Int, computeCapability: String, cudaDriverVersion: Int, cudaRuntimeVersion: Int,
        driverString: String, smClockMHz: Int, memClockMHz: Int, maxSMClockMHz: Int, maxMemClockMHz: Int,
        totalMemoryBytes: Int, l2Bytes: Int
    ) {
        self.name = name
        self.smCount = smCount
        self.computeCapability = computeCapability
        self.cudaDriverVersion = cudaDriverVersion
        self.cudaRuntimeVersion = cudaRuntimeVersion
        self.driverString = driverString
        self.smClockMHz = smClockMHz
        self.memClockMHz = memClockMHz
        self.maxSMClockMHz = maxSMClockMHz
        self.maxMemClockMHz = maxMemClockMHz
        self.totalMemoryBytes = totalMemoryBytes
        self.l2Bytes = l2Bytes
    }

    /// Converts the C description.
    public init(_ info: tk_device_info) {
        self.init(
            name: DeviceInfo.string(info.name), smCount: Int(info.sm_count),
            computeCapability: "\(info.compute_major).\(info.compute_minor)",
            cudaDriverVersion: Int(info.driver_version), cudaRuntimeVersion: Int(info.runtime_version),
            driverString: DeviceInfo.string(info.driver_string), smClockMHz: Int(info.sm_clock_mhz),
            memClockMHz: Int(info.mem_clock_mhz), maxSMClockMHz: Int(info.max_sm_clock_mhz),
            maxMemClockMHz: Int(info.max_mem_clock_mhz), totalMemoryBytes: Int(info.total_memory_bytes),
            l2Bytes: Int(info.l2_bytes))
    }

    /// A NUL-terminated fixed C array (imported as a tuple) as a String.
    static func string<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
