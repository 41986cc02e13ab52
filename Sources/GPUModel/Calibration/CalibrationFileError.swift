/// A calibration file that could not be read or written.
public struct CalibrationFileError: Error, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The JSON field path (`coefficients.gemm.computeFraction`), when the problem is in one field.
    public var field: String?
    /// What went wrong.
    public var reason: String

    public init(path: String, field: String? = nil, reason: String) {
        self.path = path
        self.field = field
        self.reason = reason
    }

    public var description: String {
        "\(path)\(field.map { ": field \($0)" } ?? ""): \(reason)"
    }
}
