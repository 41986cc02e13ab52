// swift-tools-version:6.1
// tangram-sim: a discrete-event simulator and capacity planner for multi-turn LLM serving.
// Library choices and build recipes follow docs/architecture.md; every dependency below is pinned
// to a version available from the build machine's package mirror.
import PackageDescription

let package = Package(
    name: "tangram-sim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tangram-sim", targets: ["tangram-sim"]),
        .library(name: "TangramSim", targets: ["TangramSim"]),
        .library(name: "GPUModel", targets: ["GPUModel"]),
        .library(name: "Workloads", targets: ["Workloads"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "CUDARunner", targets: ["CUDARunner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // Debian C libraries. No `pkgConfig:` on purpose: the headers live in /usr/include, and
        // pkg-config's -L would defeat the static-archive link used for the GPU machine (docs/gpu.md).
        .systemLibrary(name: "CGSL", providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // Header-only C target: the C ABI shared with Kernels/*.cu. No CUDA headers anywhere.
        .target(name: "CTangramKernelABI"),

        .target(name: "GPUModel", dependencies: ["CGSL"]),
        .target(name: "Workloads", dependencies: ["CGSL", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "TangramSim",
            dependencies: [
                "GPUModel", "Workloads",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(name: "Reports", dependencies: ["TangramSim", "CSQLite"]),
        .target(name: "CUDARunner", dependencies: ["CTangramKernelABI", "GPUModel"]),
        .executableTarget(
            name: "tangram-sim",
            dependencies: [
                "TangramSim", "GPUModel", "Workloads", "Reports", "CUDARunner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "GPUModelTests", dependencies: ["GPUModel"]),
        .testTarget(
            name: "WorkloadsTests",
            dependencies: ["Workloads", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "TangramSimTests",
            dependencies: ["TangramSim", "Reports", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TangramSim"]),
        .testTarget(name: "CUDARunnerTests", dependencies: ["CUDARunner"]),
    ]
)
