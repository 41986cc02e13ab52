/// Facts about one simulation run that every output records: what was simulated, with which
/// seed, by which build of the tool.
///
/// None of these fields may come from the wall clock or the machine, so that the same inputs give
/// byte-identical outputs.
public struct RunMetadata: Sendable, Hashable {
    /// A free label for the run (e.g. a study name); may be empty.
    public var name: String
    /// Model name as given on the command line or in the catalog (e.g. `"Llama-3.1-8B"`).
    public var model: String
    /// GPU name (e.g. `"H200"`).
    public var gpu: String
    /// Workload description: a trace path, a preset name, or a generator summary.
    public var workload: String
    /// The random seed, when the run used one.
    public var seed: Int?
    /// Version of tangram-sim that produced the output.
    public var toolVersion: String
    /// Identifier of the cost-model calibration, when one was used.
    public var calibrationID: String?
    /// The full run configuration as JSON text, stored verbatim (the caller chooses the layout).
    public var configurationJSON: String

    /// Creates run metadata.
    ///
    /// - Parameters:
    ///   - name: A free label; empty by default.
    ///   - model: Model name.
    ///   - gpu: GPU name.
    ///   - workload: Workload description.
    ///   - seed: Random seed, if any.
    ///   - toolVersion: Version of tangram-sim.
    ///   - calibrationID: Cost-model calibration identifier, if any.
    ///   - configurationJSON: The configuration as JSON text; `{}` by default.
    public init(
        name: String = "", model: String, gpu: String, workload: String, seed: Int?, toolVersion: String,
        calibrationID: String? = nil, configurationJSON: String = "{}"
    ) {
        self.name = name
        self.model = model
        self.gpu = gpu
        self.workload = workload
        self.seed = seed
        self.toolVersion = toolVersion
        self.calibrationID = calibrationID
        self.configurationJSON = configurationJSON
    }
}
