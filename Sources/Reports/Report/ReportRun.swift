/// One row of the `runs` table, as read back for reports.
public struct ReportRun: Sendable, Hashable {
    /// The run's id in the database.
    public var runID: Int64
    /// Free label, may be empty.
    public var name: String
    public var model: String
    public var gpu: String
    public var workload: String
    /// Random seed, when the run had one.
    public var seed: Int64?
    public var toolVersion: String
    public var calibrationID: String?
    /// The full configuration as JSON text.
    public var configurationJSON: String
    /// `complete` or `interrupted` (`complete` for schema-1 files, which have no status).
    public var status: String

    /// Creates a run description.
    public init(
        runID: Int64, name: String, model: String, gpu: String, workload: String, seed: Int64?, toolVersion: String,
        calibrationID: String?, configurationJSON: String, status: String
    ) {
        self.runID = runID
        self.name = name
        self.model = model
        self.gpu = gpu
        self.workload = workload
        self.seed = seed
        self.toolVersion = toolVersion
        self.calibrationID = calibrationID
        self.configurationJSON = configurationJSON
        self.status = status
    }

    /// Reads a run from a `SELECT * FROM runs` row.
    init(row: SQLiteRow) {
        self.init(
            runID: row["run_id"]?.integerValue ?? 0, name: row["name"]?.textValue ?? "",
            model: row["model"]?.textValue ?? "", gpu: row["gpu"]?.textValue ?? "",
            workload: row["workload"]?.textValue ?? "", seed: row["seed"]?.integerValue,
            toolVersion: row["tool_version"]?.textValue ?? "", calibrationID: row["calibration_id"]?.textValue,
            configurationJSON: row["configuration_json"]?.textValue ?? "",
            status: row["status"]?.textValue ?? RunStatus.complete.rawValue)
    }
}
