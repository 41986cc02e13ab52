/// Misuse of a ``RunOutput``: no destination, or a call after it was finished or abandoned.
public enum RunOutputError: Error, Hashable, Sendable {
    /// ``RunOutput/finish(summaries:status:)`` already ran; nothing more can be written.
    case alreadyFinished(directory: String)
    /// The output was abandoned (explicitly or after an earlier error); nothing was written.
    case abandoned(directory: String)
    /// Neither an output folder nor a database was given.
    case noDestination
}

extension RunOutputError: CustomStringConvertible {
    /// A sentence naming the output folder.
    public var description: String {
        switch self {
        case .alreadyFinished(let d): return "\(d): run output already finished"
        case .abandoned(let d): return "\(d): run output was abandoned after an error; no files were written"
        case .noDestination: return "run output needs an output folder or a database"
        }
    }
}
