/// Where a set of kernel coefficients comes from.
public struct CalibrationProvenance: Sendable, Hashable, Codable {
    /// Whether the coefficients were fitted to measurements or derived from datasheets.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Fitted by `tangram-sim calibrate` to a `--validate` measurement CSV.
        case measured
        /// Derived from the GPU's datasheet peaks and published figures (no measurement of this GPU).
        case specDerived = "spec-derived"
    }

    public var kind: Kind
    /// The calibration date (`YYYY-MM-DD`), for measured coefficients.
    public var date: String?
    /// The measurement CSV the fit read, as given on the command line.
    public var measurementFile: String?
    /// The command that produced the file.
    public var command: String?
    /// The GPU name the measurements report (`NVIDIA H200`).
    public var deviceName: String?
    /// The driver version the measurements report.
    public var driver: String?
    /// Measurement rows used by the fit.
    public var rowCount: Int?
    /// Free-form remarks (what was held out, what was not measured).
    public var note: String?

    public init(
        kind: Kind, date: String? = nil, measurementFile: String? = nil, command: String? = nil,
        deviceName: String? = nil, driver: String? = nil, rowCount: Int? = nil, note: String? = nil
    ) {
        self.kind = kind
        self.date = date
        self.measurementFile = measurementFile
        self.command = command
        self.deviceName = deviceName
        self.driver = driver
        self.rowCount = rowCount
        self.note = note
    }
}
