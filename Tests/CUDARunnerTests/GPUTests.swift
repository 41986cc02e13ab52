import Foundation
import Testing

@testable import CUDARunner

/// Runs only where an NVIDIA driver answers; the kernel checks also need Kernels/libtangram_kernels.so
/// (built by Kernels/build.sh). Elsewhere these tests are skipped.
@Suite(.enabled(if: (try? CUDADriverInfo.probe()) != nil, "needs an NVIDIA driver"))
struct GPUTests {
    static let kernelPath: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Kernels/libtangram_kernels.so").path
    }()

    @Test func driverReportsADevice() throws {
        let driver = try CUDADriverInfo.probe()
        #expect(driver.deviceCount >= 1)
        #expect(driver.driverVersion >= 12000)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: kernelPath), "needs Kernels/libtangram_kernels.so"))
    func everyCheckPointPasses() throws {
        let library = try KernelLibrary(path: Self.kernelPath)
        let runner = MeasurementRunner(library: library, device: try library.deviceInfo())
        for (index, point) in MeasurementGrid.checkPoints().enumerated() {
            let (row, error) = runner.check(point, index: index)
            #expect(error == nil, "\(point.kernelClass) \(point.label): \(row.status)")
            #expect(row.status == "ok", "\(point.kernelClass): rel error \(row.checkRelativeError ?? -1)")
        }
    }
}
