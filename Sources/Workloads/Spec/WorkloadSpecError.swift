/// A problem in a workload spec file or a workload configuration: where, which field, why.
///
/// Its description reads like `spec.yaml:12: field 'arrival.rate_per_s': must be a positive
/// number, got -1`; the file and line are left out when unknown.
public struct WorkloadSpecError: Error, Sendable, Hashable {
    /// The spec file, or `nil` for a configuration built in code.
    public var file: String?
    /// 1-based line of the offending value, when known.
    public var line: Int?
    /// Dotted path of the field, for example `turns.sigma` or `mixture[1].weight`.
    public var field: String
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(file: String? = nil, line: Int? = nil, field: String, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }
}

extension WorkloadSpecError: CustomStringConvertible {
    public var description: String {
        var location = ""
        if let file { location = file }
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        let prefix = location.isEmpty ? "" : location + ": "
        return field.isEmpty ? "\(prefix)\(reason)" : "\(prefix)field '\(field)': \(reason)"
    }
}
