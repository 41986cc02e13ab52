/// What the NVIDIA driver reports through its C API, probed with `dlopen("libcuda.so.1")`.
///
/// Only unversioned driver entry points are used (`cuInit`, `cuDriverGetVersion`,
/// `cuDeviceGetCount`): many other driver API names are macros for `_v2` symbols. Everything
/// else happens inside the nvcc-built kernel library.
///
/// ```swift
/// if let driver = try? CUDADriverInfo.probe() { print(driver.driverVersion) }  // 13000
/// ```
public struct CUDADriverInfo: Sendable, Hashable {
    /// The CUDA driver API version, e.g. 13000 for CUDA 13.0.
    public var driverVersion: Int
    /// Number of CUDA devices visible to this process.
    public var deviceCount: Int

    /// Creates a description (for tests and reports).
    public init(driverVersion: Int, deviceCount: Int) {
        self.driverVersion = driverVersion
        self.deviceCount = deviceCount
    }

    /// The soname of the driver library.
    public static let driverLibraryName = "libcuda.so.1"

    /// Loads the driver, initialises it and counts devices.
    /// - Throws: ``CUDAUnavailableError`` when the driver is missing, `cuInit` fails, or no device exists.
    public static func probe(libraryName: String = driverLibraryName) throws(CUDAUnavailableError) -> CUDADriverInfo {
        typealias Initialize = @convention(c) (UInt32) -> Int32
        typealias DriverVersion = @convention(c) (UnsafeMutablePointer<Int32>) -> Int32
        typealias DeviceCount = @convention(c) (UnsafeMutablePointer<Int32>) -> Int32
        let library: DynamicLibrary
        let initialize: Initialize
        let version: DriverVersion
        let count: DeviceCount
        do {
            library = try DynamicLibrary(libraryName)
            initialize = try library.function("cuInit")
            version = try library.function("cuDriverGetVersion")
            count = try library.function("cuDeviceGetCount")
        } catch {
            throw CUDAUnavailableError(reason: error.description)
        }
        let initStatus = initialize(0)
        guard initStatus == 0 else {
            throw CUDAUnavailableError(reason: "\(libraryName): cuInit(0) returned CUresult \(initStatus)")
        }
        var driverVersion: Int32 = 0
        let versionStatus = version(&driverVersion)
        guard versionStatus == 0 else {
            throw CUDAUnavailableError(reason: "\(libraryName): cuDriverGetVersion returned CUresult \(versionStatus)")
        }
        var devices: Int32 = 0
        let countStatus = count(&devices)
        guard countStatus == 0 else {
            throw CUDAUnavailableError(reason: "\(libraryName): cuDeviceGetCount returned CUresult \(countStatus)")
        }
        guard devices > 0 else {
            throw CUDAUnavailableError(reason: "\(libraryName): the driver reports no CUDA device")
        }
        return CUDADriverInfo(driverVersion: Int(driverVersion), deviceCount: Int(devices))
    }
}
