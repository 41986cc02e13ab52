#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a native trace (``NativeTraceFormat``) atomically: into a temporary file in the
/// destination's folder, renamed over the destination by ``finish()``.
///
/// If the writer is dropped without ``finish()`` (for example because an error was thrown
/// while producing sessions), the temporary file is removed and the destination is untouched.
/// The path `-` writes to standard output, and an existing destination that is not a regular
/// file (a device such as `/dev/null`, a pipe) is written directly; neither is atomic.
public final class NativeTraceWriter {
    /// A failure to create, write or rename the output.
    public struct WriteError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The destination path.
        public var path: String
        /// What failed.
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The destination path.
    public let path: String
    /// Sessions written so far.
    public private(set) var sessionsWritten = 0

    private var file: UnsafeMutablePointer<FILE>?
    private let temporaryPath: String?
    private var buffer: [UInt8] = []
    private var finished = false

    /// Creates the temporary file and writes the header line.
    ///
    /// - Throws: ``WriteError`` when the temporary file cannot be created.
    public init(path: String) throws(WriteError) {
        self.path = path
        var status = stat()
        let exists = stat(path, &status) == 0
        let kind = status.st_mode & S_IFMT
        if exists, kind == S_IFDIR {
            throw WriteError(path: path, reason: "is a directory")
        }
        if path == "-" {
            file = fdopen(dup(STDOUT_FILENO), "w")
            temporaryPath = nil
        } else if exists, kind != S_IFREG {
            // A device or pipe (/dev/null, /dev/stdout, a FIFO): write to it directly; renaming a
            // file over it would replace the device.
            file = fopen(path, "w")
            temporaryPath = nil
        } else {
            let slash = path.lastIndex(of: "/")
            let folder = slash.map { String(path[..<$0]) } ?? "."
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            var template = Array("\(folder.isEmpty ? "/" : folder)/.\(name).tmp-XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                throw WriteError(
                    path: path,
                    reason: "cannot create a temporary file in \(folder): \(String(cString: strerror(errno)))")
            }
            _ = fchmod(fd, 0o644)
            temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            file = fdopen(fd, "w")
        }
        guard file != nil else {
            throw WriteError(path: path, reason: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        buffer.append(contentsOf: Array(NativeTraceFormat.headerLine.utf8))
        buffer.append(0x0A)
    }

    deinit {
        if let file { fclose(file) }
        if !finished, let temporaryPath { unlink(temporaryPath) }
    }

    /// Appends one session line.
    ///
    /// - Throws: ``WriteError`` on a write failure.
    public func write(_ session: SessionSpec) throws(WriteError) {
        precondition(!finished, "write after finish")
        NativeTraceFormat.appendLine(session, to: &buffer)
        buffer.append(0x0A)
        sessionsWritten += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes every session of `source`, in order.
    ///
    /// - Returns: The number of sessions written.
    /// - Throws: the source's error, or ``WriteError``.
    @discardableResult
    public func write<S: SessionSource>(contentsOf source: inout S) throws -> Int {
        var n = 0
        while let s = try source.nextSession() {
            try write(s)
            n += 1
        }
        return n
    }

    /// Flushes, closes and renames the temporary file over the destination.
    ///
    /// - Throws: ``WriteError`` when flushing, closing or renaming fails (the temporary file
    ///   is then removed).
    public func finish() throws(WriteError) {
        guard !finished else { return }
        try flush()
        guard let f = file else { return }
        file = nil
        let flushed = fflush(f) == 0 && (temporaryPath == nil || fsync(fileno(f)) == 0)
        let closed = fclose(f) == 0
        guard flushed, closed else {
            throw WriteError(path: path, reason: "write failed: \(String(cString: strerror(errno)))")
        }
        if let temporaryPath {
            guard rename(temporaryPath, path) == 0 else {
                throw WriteError(path: path, reason: "cannot rename into place: \(String(cString: strerror(errno)))")
            }
        }
        finished = true
    }

    private func flush() throws(WriteError) {
        guard let f = file, !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        guard written == buffer.count else {
            throw WriteError(path: path, reason: "write failed: \(String(cString: strerror(errno)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
