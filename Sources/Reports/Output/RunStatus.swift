/// How a run ended, stored in `runs.status`.
public enum RunStatus: String, Sendable, Hashable, CaseIterable {
    /// Every policy ran to the end of the workload.
    case complete
    /// The run was stopped early (SIGINT): summaries exist only for the policies that finished;
    /// requests and steps recorded before the stop are kept.
    case interrupted
}
