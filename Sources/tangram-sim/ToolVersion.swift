/// The version of tangram-sim, recorded in every output.
enum ToolVersion {
    static let string = "0.1.0"
}
