import Foundation

extension GPUCalibration {
    /// The file as pretty-printed JSON with sorted keys, ending in a newline.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding plain numbers, strings and dictionaries cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Parses a calibration file's text; `path` names it in errors.
    ///
    /// - Throws: ``CalibrationFileError`` naming the field for malformed JSON, a wrong schema or
    ///   an unsupported version.
    public static func parse(_ text: String, path: String) throws(CalibrationFileError) -> GPUCalibration {
        let calibration: GPUCalibration
        do {
            calibration = try JSONDecoder().decode(GPUCalibration.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw describe(error, path: path)
        } catch {
            throw CalibrationFileError(path: path, reason: "\(error)")
        }
        guard calibration.schema == schemaName else {
            throw CalibrationFileError(
                path: path, field: "schema",
                reason: "is \"\(calibration.schema)\", expected \"\(schemaName)\"")
        }
        guard calibration.version == currentVersion else {
            throw CalibrationFileError(
                path: path, field: "version",
                reason: "is \(calibration.version), this build reads \(currentVersion)")
        }
        return calibration
    }

    /// Reads a calibration file.
    ///
    /// - Throws: ``CalibrationFileError`` when the file cannot be read or parsed.
    public static func load(path: String) throws(CalibrationFileError) -> GPUCalibration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CalibrationFileError(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    /// The calibration for `gpu` from `directory/<gpu>.json` when that file exists, else the
    /// spec-derived coefficients.
    ///
    /// - Throws: ``CalibrationFileError`` when the file exists but is not a valid calibration for `gpu`.
    public static func resolve(for gpu: GPUSpec, directory: String) throws(CalibrationFileError) -> GPUCalibration {
        let path = (directory as NSString).appendingPathComponent("\(gpu.name).json")
        guard FileManager.default.fileExists(atPath: path) else { return .specDerived(for: gpu) }
        let calibration = try load(path: path)
        guard calibration.gpu == gpu.name else {
            throw CalibrationFileError(
                path: path, field: "gpu", reason: "is \"\(calibration.gpu)\", expected \"\(gpu.name)\"")
        }
        return calibration
    }

    private static func describe(_ error: DecodingError, path: String) -> CalibrationFileError {
        func field(_ p: [CodingKey]) -> String? {
            p.isEmpty ? nil : p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return CalibrationFileError(path: path, field: field(context.codingPath + [key]), reason: "missing")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return CalibrationFileError(path: path, field: field(context.codingPath), reason: context.debugDescription)
        case .dataCorrupted(let context):
            return CalibrationFileError(
                path: path, field: field(context.codingPath),
                reason: "not valid JSON: \(context.debugDescription)")
        @unknown default:
            return CalibrationFileError(path: path, reason: "\(error)")
        }
    }
}
