#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a text file one line at a time through a 64 KiB buffer (`fopen` + `fread`), so that
/// a trace of any size streams in memory bounded by ``maximumLineBytes``.
///
/// Line terminators (`\n`, and a `\r` before it) are removed. The last line need not end with
/// a newline. Owns its `FILE *`, closed in `deinit`.
public final class LineReader {
    /// The path as given.
    public let path: String
    /// Longest line accepted, in bytes; a longer line is an error (protects against a binary or
    /// garbage file with no newlines).
    public let maximumLineBytes: Int
    /// 1-based number of the line most recently returned (0 before the first).
    public private(set) var lineNumber = 0

    private let file: UnsafeMutablePointer<FILE>
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var chunkStart = 0
    private var chunkEnd = 0
    private var atEnd = false
    private var pushedBack: [UInt8]?

    /// Opens `path` for reading.
    ///
    /// - Throws: ``TraceParseError`` (line 0) when the file cannot be opened.
    public init(path: String, maximumLineBytes: Int = 64 << 20) throws(TraceParseError) {
        self.path = path
        self.maximumLineBytes = maximumLineBytes
        guard let f = fopen(path, "r") else {
            let reason = String(cString: strerror(errno))
            throw TraceParseError(file: path, line: 0, field: nil, reason: "cannot open: \(reason)")
        }
        file = f
    }

    deinit {
        fclose(file)
    }

    /// Returns the next line's bytes without its terminator, or `nil` at end of file.
    ///
    /// A line longer than ``maximumLineBytes`` is consumed (so reading can go on with the next
    /// line) and reported as an error; it is never held in memory whole.
    ///
    /// - Throws: ``TraceParseError`` when the line is too long or on a read error.
    public func nextLine() throws(TraceParseError) -> [UInt8]? {
        if let line = pushedBack {
            pushedBack = nil
            lineNumber += 1
            return line
        }
        var line: [UInt8] = []
        var tooLong = false
        var sawAnything = false
        while true {
            if chunkStart == chunkEnd {
                if atEnd { break }
                let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                if n == 0 {
                    if ferror(file) != 0 {
                        throw TraceParseError(
                            file: path, line: 0, field: nil, reason: "read error near line \(lineNumber + 1)")
                    }
                    atEnd = true
                    break
                }
                chunkStart = 0
                chunkEnd = n
            }
            sawAnything = true
            let start = chunkStart
            let end = chunkEnd
            let newline = chunk.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress, let hit = memchr(base + start, 0x0A, end - start) else {
                    return -1
                }
                return base.distance(to: UnsafeRawPointer(hit))
            }
            let stop = newline >= 0 ? newline : chunkEnd
            if !tooLong {
                if line.count + (stop - chunkStart) > maximumLineBytes {
                    tooLong = true
                    line = []
                } else {
                    let from = chunkStart
                    chunk.withUnsafeBufferPointer {
                        line.append(contentsOf: UnsafeBufferPointer(rebasing: $0[from..<stop]))
                    }
                }
            }
            if newline >= 0 {
                chunkStart = newline + 1
                break
            }
            chunkStart = chunkEnd
        }
        guard sawAnything else { return nil }
        lineNumber += 1
        if tooLong {
            throw TraceParseError(
                file: path, line: lineNumber, field: nil, reason: "line longer than \(maximumLineBytes) bytes")
        }
        if line.last == 0x0D { line.removeLast() }
        return line
    }

    /// Makes the next ``nextLine()`` return `line` again (one line of look-back).
    public func pushBack(_ line: [UInt8]) {
        precondition(pushedBack == nil, "only one line of push-back")
        pushedBack = line
        lineNumber -= 1
    }
}
