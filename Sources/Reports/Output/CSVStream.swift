/// One CSV file of a ``RunOutput`` being written: a temporary ``AtomicFile`` fed from a
/// ``CSVWriter`` buffer in chunks, so memory stays bounded however many rows arrive.
final class CSVStream {
    /// CSV bytes buffered before a write to the temporary file.
    static let flushThresholdBytes = 1 << 16

    let file: AtomicFile
    private var writer = CSVWriter(capacityBytes: CSVStream.flushThresholdBytes + 4096)
    /// Rows written after the header.
    private(set) var rowCount = 0

    /// Creates the temporary file and buffers the header.
    ///
    /// - Parameters:
    ///   - path: Final path of the CSV file.
    ///   - header: Column names.
    /// - Throws: ``FileError``.
    init(path: String, header: [String]) throws(FileError) {
        file = try AtomicFile(destinationPath: path)
        writer.writeRecord(header)
    }

    /// Appends one row of typed values.
    func append(_ values: [SQLiteValue]) throws(FileError) {
        writer.writeRecord(values: values)
        rowCount += 1
        if writer.byteCount >= Self.flushThresholdBytes { try file.write(writer.takeBytes()) }
    }

    /// Writes what is buffered and flushes the file to disk (closing it), ready for the rename.
    func sync() throws(FileError) {
        try file.write(writer.takeBytes())
        try file.sync()
    }
}
