/// Misuse of a ``RunOutput`` after it was finished or abandoned.
public enum RunOutputError: Error, Hashable, Sendable {
    /// ``RunOutput/finish(summaries:)`` already ran; nothing more can be written.
    case alreadyFinished(directory: String)
    /// The output was abandoned (explicitly or after an earlier error); nothing was written.
    case abandoned(directory: String)
}

extension RunOutputError: CustomStringConvertible {
    /// A sentence naming the output folder.
    public var description: String {
        switch self {
        case .alreadyFinished(let d): return "\(d): run output already finished"
        case .abandoned(let d): return "\(d): run output was abandoned after an error; no files were written"
        }
    }
}
