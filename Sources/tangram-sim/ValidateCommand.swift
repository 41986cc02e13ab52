import ArgumentParser
import CUDARunner
import Foundation
import GPUModel
import Reports

/// `tangram-sim validate`: checks the CUDA kernels against references and times the measurement
/// grid on the local NVIDIA GPU, writing CSV and SQLite (docs/gpu.md, docs/validation.md).
///
/// Exit codes: 0 all checks passed and the grid ran; 3 no usable GPU, driver or kernel library
/// (one line on standard error says why); 4 a correctness check failed or a kernel call broke
/// (the outputs are still written); 1 bad arguments or unwritable output.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the CUDA kernels and time the measurement grid on this machine's GPU.",
        discussion: """
            Needs an NVIDIA driver (libcuda.so.1) and the kernel library built by Kernels/build.sh. \
            Writes OUT/checks.csv, OUT/measurements.csv, OUT/measurements.sqlite and OUT/summary.txt. \
            Exit codes: 0 success; 3 no GPU, driver or kernel library; 4 a check failed or a kernel \
            call broke (outputs still written); 1 usage or output errors.
            """)

    /// Exit code when no GPU, driver or kernel library is usable.
    static let exitUnavailable: Int32 = 3
    /// Exit code when a correctness check failed or a kernel call broke.
    static let exitCheckFailed: Int32 = 4

    @Option(help: "Path of libtangram_kernels.so (built by Kernels/build.sh).")
    var kernels: String = "Kernels/libtangram_kernels.so"

    @Option(help: "Output folder (created if missing).")
    var out: String = "out/validate"

    @Flag(help: "A small grid with one point per series (about a minute) instead of the full grid.")
    var quick = false

    @Flag(name: .customLong("cta-sweep"), help: "Time the per-CTA work sweep (full-KV decode, 2 to 256 splits per head at a fixed KV size) instead of the grid.")
    var ctaSweep = false

    @Flag(name: .customLong("checks-only"), help: "Run the correctness checks only.")
    var checksOnly = false

    @Option(name: .customLong("only"), help: "Measure only these kernel classes (comma-separated: copy,decode_attention,decode_planner,prefill_attention,compaction,gemm).")
    var only: String?

    @Option(help: "Model whose layer shapes are measured.")
    var model: String = ModelCatalog.llama3_1_8b.name

    @Option(help: "Timed calls per point (default 25; 10 with --quick).")
    var repeats: Int?

    @Option(help: "Seed of the on-device random inputs.")
    var seed: UInt64 = 20_251_129

    func validate() throws {
        if let only {
            for name in only.split(separator: ",") where KernelClass(rawValue: String(name)) == nil {
                throw ValidationError("--only: unknown kernel class '\(name)'; use \(KernelClass.allCases.map(\.rawValue).joined(separator: ","))")
            }
        }
        if let repeats, repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        if !ModelCatalog.all.contains(where: { $0.name == model }) {
            throw ValidationError("--model: unknown model '\(model)'; known: \(ModelCatalog.all.map(\.name).joined(separator: ", "))")
        }
    }

    @Option(name: .customLong("from-csv"), help: "Print predicted vs measured for an earlier run's measurements.csv instead of measuring (no GPU needed; repeatable, e.g. to add the production prefill rows of Kernels/sdpa_compare.py).")
    var fromCSV: [String] = []

    func run() throws {
        if !fromCSV.isEmpty {
            var files: [(file: String, records: [MeasurementRecord])] = []
            for file in fromCSV {
                do {
                    files.append((file, try MeasurementCSV.decode(String(contentsOfFile: file, encoding: .utf8), file: file)))
                } catch {
                    Self.fail("tangram-sim validate: \(error)")
                    throw ExitCode(1)
                }
            }
            Self.printPredictions(files: files, out: nil)
            return
        }
        let driver: CUDADriverInfo
        do {
            driver = try CUDADriverInfo.probe()
        } catch {
            Self.fail("tangram-sim validate: \(error)")
            throw ExitCode(Self.exitUnavailable)
        }
        let library: KernelLibrary
        let device: DeviceInfo
        do {
            library = try KernelLibrary(path: kernels)
            device = try library.deviceInfo()
        } catch {
            Self.fail("tangram-sim validate: \(error)")
            throw ExitCode(Self.exitUnavailable)
        }
        let spec = ModelCatalog.all.first { $0.name == model }!
        print("device: \(device.name), \(device.smCount) SMs, compute \(device.computeCapability), "
            + "\(device.totalMemoryBytes >> 20) MiB, L2 \(device.l2Bytes >> 20) MiB, driver \(device.driverString) "
            + "(CUDA \(driver.driverVersion)), clocks SM \(device.smClockMHz)/\(device.maxSMClockMHz) MHz, "
            + "memory \(device.memClockMHz)/\(device.maxMemClockMHz) MHz")

        var runner = MeasurementRunner(library: library, device: device)
        runner.seed = seed
        runner.repeats = repeats ?? (quick ? 10 : 25)
        runner.warmupCalls = quick ? 2 : 5
        let classes = only.map { Set($0.split(separator: ",").compactMap { KernelClass(rawValue: String($0)) }) }
            ?? Set(KernelClass.allCases)

        // Correctness first; a class whose check fails is not timed.
        var checkRows: [MeasurementRecord] = []
        var failedClasses = Set<KernelClass>()
        var broken = false
        for (index, point) in MeasurementGrid.checkPoints().enumerated() where classes.contains(point.kernelClass) {
            let (row, error) = runner.check(point, index: index)
            checkRows.append(row)
            if row.status != "ok" {
                failedClasses.insert(point.kernelClass)
                print("check FAILED: \(Self.describe(point)): \(row.status), rel error \(row.checkRelativeError.map { "\($0)" } ?? "-")")
            }
            if let error, !error.isRecoverable {
                broken = true
                break
            }
        }
        let passed = checkRows.filter { $0.status == "ok" }.count
        print("checks: \(passed) passed, \(checkRows.count - passed) failed")
        for kernelClass in KernelClass.allCases where classes.contains(kernelClass) {
            let rows = checkRows.filter { $0.kernelClass == kernelClass }
            if rows.isEmpty { continue }  // decode_planner: host only, checked through the decode planner rows
            let worst = rows.compactMap(\.checkRelativeError).max()
            print("  \(kernelClass.rawValue): \(rows.filter { $0.status == "ok" }.count)/\(rows.count) ok, "
                + "worst rel error \(worst.map { "\($0)" } ?? "-") (bound \(CheckBound.relativeError(for: kernelClass)))")
        }

        var rows: [MeasurementRecord] = []
        if !checksOnly && !broken {
            let grid = ctaSweep ? MeasurementGrid.ctaSweep(model: spec)
                : quick ? MeasurementGrid.quick(model: spec) : MeasurementGrid.standard(model: spec)
            let points = grid.points().filter { classes.contains($0.kernelClass) }
            let started = Date()
            for (index, point) in points.enumerated() {
                if failedClasses.contains(point.kernelClass) {
                    rows.append(MeasurementRecord(device: device, point: point, phase: "measure", result: nil,
                                                  status: "skipped: check failed"))
                    continue
                }
                let (row, error) = runner.measure(point, index: index)
                rows.append(row)
                if row.status != "ok" { print("measure FAILED: \(Self.describe(point)): \(row.status)") }
                if let error, !error.isRecoverable {
                    broken = true
                    break
                }
                if index % 100 == 99 {
                    print("measured \(index + 1)/\(points.count) points in \(Int(Date().timeIntervalSince(started))) s")
                }
            }
            print("measured \(rows.filter { $0.status == "ok" }.count)/\(points.count) points in "
                + "\(Int(Date().timeIntervalSince(started))) s")
            // The host planner alone, interleaved round by round over its points (its failed
            // decode checks skip it too: it plans for the same kernel).
            let plannerPoints = grid.plannerPoints()
            if !broken && classes.contains(.decodePlanner) && !plannerPoints.isEmpty {
                let plannerStarted = Date()
                // A round costs about a quarter of a millisecond per point, so take twice the samples.
                let rounds = 2 * runner.repeats + 1
                if failedClasses.contains(.decodeAttention) {
                    rows += plannerPoints.map {
                        MeasurementRecord(device: device, point: $0, phase: "measure", result: nil, status: "skipped: check failed")
                    }
                } else {
                    for (row, error) in runner.measurePlanner(plannerPoints, rounds: rounds) {
                        rows.append(row)
                        if row.status != "ok" { print("measure FAILED: \(row.label) decode_planner: \(row.status)") }
                        if let error, !error.isRecoverable { broken = true }
                    }
                }
                print("timed the host planner on \(plannerPoints.count) points x \(rounds) rounds in "
                    + "\(Int(Date().timeIntervalSince(plannerStarted))) s")
            }
        }

        let summary = MeasurementSummary(records: rows).lines()
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try MeasurementCSV.write(checkRows, to: out + "/checks.csv")
            try MeasurementCSV.write(rows, to: out + "/measurements.csv")
            try Self.writeSQLite(checks: checkRows, measurements: rows, to: out + "/measurements.sqlite")
            try MeasurementCSV.writeAtomically(summary.joined(separator: "\n") + "\n", to: out + "/summary.txt")
        } catch {
            Self.fail("tangram-sim validate: cannot write results: \(error)")
            throw ExitCode(1)
        }
        for line in summary { print(line) }
        Self.printPredictions(files: [(out + "/measurements.csv", rows)], out: out)
        print("wrote \(out)/checks.csv, \(out)/measurements.csv, \(out)/measurements.sqlite, \(out)/summary.txt")
        if !failedClasses.isEmpty || broken {
            Self.fail("tangram-sim validate: \(failedClasses.isEmpty ? "a kernel call broke the CUDA context" : "correctness checks failed for \(failedClasses.map(\.rawValue).sorted().joined(separator: ", "))")")
            throw ExitCode(Self.exitCheckFailed)
        }
    }

    /// Prints predicted vs measured per kernel class under spec-derived coefficients and, when
    /// `calibrations/<gpu>.json` exists, the calibrated ones; writes OUT/predictions.csv.
    static func printPredictions(files: [(file: String, records: [MeasurementRecord])], out: String?) {
        guard let first = files.first?.records.first, let gpu = PredictionReport.gpu(forDevice: first.gpuName) else {
            print("predicted vs measured: no catalogued GPU for these measurements; skipped")
            return
        }
        var sets: [(String, CalibrationPredictor)] = [
            ("spec", CalibrationPredictor(gpu: gpu, coefficients: KernelCoefficients.specDerived(for: gpu)))
        ]
        if let c = try? GPUCalibration.resolve(for: gpu, directory: "calibrations"), c.provenance.kind != .specDerived {
            sets.append(("calibrated", CalibrationPredictor(gpu: gpu, calibration: c)))
        }
        let report = PredictionReport.lines(files: files, predictors: sets)
        for line in report.lines { print(line) }
        if let out, !report.csv.isEmpty { try? MeasurementCSV.writeAtomically(report.csv, to: out + "/predictions.csv") }
    }

    /// Writes both tables (`checks`, `measurements`; columns as in the CSV) into a fresh database
    /// file built under a temporary name and renamed into place.
    static func writeSQLite(checks: [MeasurementRecord], measurements: [MeasurementRecord], to path: String) throws {
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let db = try SQLiteDatabase(path: temporary)
            let columns = MeasurementCSV.columns
            for table in ["checks", "measurements"] {
                try db.execute("CREATE TABLE \(table) (\(columns.joined(separator: ", ")))")
            }
            let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            try db.transaction {
                for (table, records) in [("checks", checks), ("measurements", measurements)] {
                    for record in records {
                        let values = zip(columns, MeasurementCSV.fields(of: record)).map { column, text -> SQLiteValue in
                            if column == "check_rel_error" && text.isEmpty { return .null }
                            if let i = Int64(text) { return .integer(i) }
                            if let d = Double(text), column != "driver_version" { return .real(d) }
                            return .text(text)
                        }
                        try db.run("INSERT INTO \(table) VALUES (\(marks))", values)
                    }
                }
            }
            try db.close()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    static func describe(_ p: MeasurementPoint) -> String {
        var parts = [p.kernelClass.rawValue, p.label]
        if p.batch > 0 { parts.append("batch \(p.batch)") }
        if p.contextTokens > 0 { parts.append("context \(p.contextTokens)") }
        if p.headsPerPage > 0 { parts.append("H_p \(p.headsPerPage)") }
        if let mode = p.splitMode { parts.append(mode.rawValue) }
        if p.chunkTokens > 0 { parts.append("chunk \(p.chunkTokens)") }
        if p.m > 0 { parts.append("m \(p.m) n \(p.n) k \(p.k)") }
        return parts.joined(separator: " ")
    }

    static func fail(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
