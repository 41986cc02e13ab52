#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written under a temporary name in its destination folder and renamed into place only
/// by ``commit()``, so that readers see either the old file or the complete new one, never a
/// half-written one.
///
/// The temporary file is `.<name>.tmp-<pid>-<n>` next to the destination (same file system, so
/// `rename(2)` is atomic), created with `O_EXCL` and mode 0666 less the umask. ``abandon()``, or
/// dropping the object before ``commit()``, closes and removes it. ``commit()`` flushes the data
/// to stable storage (`fsync`), renames, and flushes the folder entry.
///
/// Other code may write the temporary file by path (SQLite does, through ``temporaryPath``) as
/// long as it has closed the file before ``sync()`` or ``commit()``.
///
/// ```swift
/// let file = try AtomicFile(destinationPath: "out/summary.csv")
/// try file.write(csv.takeBytes())
/// try file.commit()
/// ```
public final class AtomicFile {
    /// Where the file ends up after ``commit()``.
    public let destinationPath: String
    /// The temporary file being written; it no longer exists after ``commit()`` or ``abandon()``.
    public let temporaryPath: String
    /// The life-cycle stage of the file.
    public private(set) var state: State
    private var descriptor: Int32

    /// Life-cycle stages of an ``AtomicFile``.
    public enum State: Sendable, Hashable {
        /// Accepting writes.
        case open
        /// Data flushed and descriptor closed by ``AtomicFile/sync()``; waiting for the rename.
        case synced
        /// Renamed into place.
        case committed
        /// Temporary file removed; nothing was written to the destination.
        case abandoned
    }

    /// Creates the temporary file next to `destinationPath`.
    ///
    /// - Parameters:
    ///   - destinationPath: The final path of the file.
    ///   - createDirectories: Create the destination folder and its parents when missing.
    /// - Throws: ``FileError`` when the folder or the temporary file cannot be created.
    public init(destinationPath: String, createDirectories: Bool = false) throws(FileError) {
        let directory = FileIO.parentDirectory(of: destinationPath)
        if createDirectories { try FileIO.makeDirectories(directory) }
        let name = FileIO.fileName(of: destinationPath)
        let pid = getpid()
        var attempt = 0
        while true {
            let candidate = FileIO.join(
                directory == "." && !destinationPath.hasPrefix("./") ? "" : directory,
                ".\(name).tmp-\(pid)-\(attempt)")
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 {
                self.destinationPath = destinationPath
                self.temporaryPath = candidate
                self.descriptor = fd
                self.state = .open
                return
            }
            if errno == EEXIST && attempt < 10_000 {
                attempt += 1
                continue
            }
            throw FileError.current(path: candidate, operation: "create temporary file")
        }
    }

    deinit {
        if state == .open || state == .synced { abandon() }
    }

    /// Appends bytes to the temporary file.
    ///
    /// - Parameter bytes: Data to append.
    /// - Throws: ``FileError`` when the write fails (for example, the disk is full).
    public func write(_ bytes: [UInt8]) throws(FileError) {
        precondition(state == .open, "AtomicFile.write after sync, commit or abandon")
        try FileIO.writeAll(fd: descriptor, bytes, path: temporaryPath)
    }

    /// Appends text, encoded as UTF-8, to the temporary file.
    ///
    /// - Parameter text: Text to append.
    /// - Throws: ``FileError`` when the write fails.
    public func write(_ text: String) throws(FileError) {
        try write(Array(text.utf8))
    }

    /// Flushes the temporary file to stable storage and closes it, without renaming.
    ///
    /// Call it on several files before committing them to make the renames the only step left
    /// that can fail. Does nothing when already synced.
    ///
    /// - Throws: ``FileError`` when `fsync` or `close` fails.
    public func sync() throws(FileError) {
        if state == .synced { return }
        precondition(state == .open, "AtomicFile.sync after commit or abandon")
        if fsync(descriptor) != 0 {
            throw FileError.current(path: temporaryPath, operation: "flush (fsync)")
        }
        let closed = close(descriptor)
        descriptor = -1
        state = .synced
        if closed != 0 { throw FileError.current(path: temporaryPath, operation: "close") }
    }

    /// Syncs if needed, then renames the temporary file to ``destinationPath``, replacing any file
    /// there.
    ///
    /// - Throws: ``FileError`` when flushing or renaming fails; the temporary file is then removed.
    public func commit() throws(FileError) {
        do throws(FileError) {
            try sync()
            if rename(temporaryPath, destinationPath) != 0 {
                throw FileError.current(path: destinationPath, operation: "rename \(temporaryPath) to")
            }
        } catch {
            abandon()
            throw error
        }
        state = .committed
        FileIO.syncDirectory(FileIO.parentDirectory(of: destinationPath))
    }

    /// Closes and removes the temporary file. Does nothing after ``commit()`` or a previous
    /// ``abandon()``.
    public func abandon() {
        guard state == .open || state == .synced else { return }
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
        state = .abandoned
    }

    /// Writes a whole file atomically.
    ///
    /// - Parameters:
    ///   - bytes: The complete file content.
    ///   - path: Destination path; its folder is created when missing.
    /// - Throws: ``FileError``; no file is left at `path` or next to it on failure.
    public static func write(_ bytes: [UInt8], to path: String) throws(FileError) {
        let file = try AtomicFile(destinationPath: path, createDirectories: true)
        do throws(FileError) {
            try file.write(bytes)
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }

    /// Writes a whole text file (UTF-8) atomically.
    ///
    /// - Parameters:
    ///   - text: The complete file content.
    ///   - path: Destination path; its folder is created when missing.
    /// - Throws: ``FileError``; no file is left at `path` or next to it on failure.
    public static func write(_ text: String, to path: String) throws(FileError) {
        try write(Array(text.utf8), to: path)
    }
}
