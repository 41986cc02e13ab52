import Foundation
import GPUModel
import Testing

@testable import CUDARunner

/// The committed calibration files are what their recorded command makes of the committed
/// measurements: refitting reproduces every coefficient, so a coefficient cannot drift from its
/// data, nor a measurement file change without the calibration following.
@Suite struct CommittedCalibrationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The values after each `flag` in a recorded command line.
    static func arguments(_ flag: String, in command: String) -> [String] {
        let words = command.split(separator: " ").map(String.init)
        return words.indices.dropLast().filter { words[$0] == flag }.map { words[$0 + 1] }
    }

    /// Every number of two JSON trees, pairwise, with its path; `nil` when the shapes differ.
    static func numbers(_ a: Any, _ b: Any, path: String = "") -> [(String, Double, Double)]? {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            guard Set(x.keys) == Set(y.keys) else { return nil }
            var out: [(String, Double, Double)] = []
            for key in x.keys.sorted() {
                guard let inner = numbers(x[key]!, y[key]!, path: path + "." + key) else { return nil }
                out += inner
            }
            return out
        case let (x as NSNumber, y as NSNumber):
            return [(path, x.doubleValue, y.doubleValue)]
        default:
            return nil
        }
    }

    @Test func h200CalibrationIsItsMeasurementsRefitted() throws {
        let file = Self.root.appendingPathComponent("calibrations/h200.json")
        let committed = try GPUCalibration.load(path: file.path)
        let command = try #require(committed.provenance.command)
        let measurementFiles = Self.arguments("--measurements", in: command)
        #expect(measurementFiles.count >= 2, "\(command)")
        var samples: [CalibrationSample] = []
        for name in measurementFiles {
            let path = Self.root.appendingPathComponent(name).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            samples += MeasurementSamples.calibrationSamples(from: try MeasurementCSV.decode(text, file: name), file: name)
                .samples
        }
        let gpu = try GPUCatalog.gpu(named: committed.gpu)
        let fitter = CoefficientFitter(
            gpu: gpu, holdOutHalf: command.contains("--holdout-half"),
            skippedClasses: Set(Self.arguments("--skip", in: command)))
        let refit = try fitter.fit(samples, provenance: committed.provenance).calibration
        #expect(refit.prefillFittedLabel == committed.prefillFittedLabel)
        let encoder = JSONEncoder()
        func tree(_ c: GPUCalibration) throws -> Any {
            try JSONSerialization.jsonObject(with: encoder.encode([
                "coefficients": AnyEncodable(c.coefficients), "reportOnlyFits": AnyEncodable(c.reportOnlyFits ?? [:]),
            ]))
        }
        let pairs = try #require(Self.numbers(try tree(refit), try tree(committed)), "coefficient sets differ")
        #expect(pairs.count > 30)
        for (path, a, b) in pairs {
            #expect(abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-12), "\(path): refit \(a), committed \(b)")
        }
    }
}

/// Type erasure for encoding a dictionary of different `Encodable` values.
private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
