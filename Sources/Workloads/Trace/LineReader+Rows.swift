extension LineReader {
    /// The next line that is not blank, as a row: its bytes and where it stands, counted in
    /// `report` as a row read. With `skipBadRows`, a line that cannot be read (too long) is
    /// counted as skipped and the next one is tried; otherwise the error is thrown.
    ///
    /// - Returns: `nil` at the end of the file.
    func nextRow(skipBadRows: Bool, report: inout TraceReadReport) throws(TraceParseError)
        -> (bytes: [UInt8], context: RowContext)?
    {
        while true {
            let bytes: [UInt8]
            do throws(TraceParseError) {
                guard let b = try nextLine() else { return nil }
                bytes = b
            } catch {
                guard skipBadRows, error.line > 0 else { throw error }
                report.rowsRead += 1
                report.skip(error)
                continue
            }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            report.rowsRead += 1
            return (bytes, RowContext(file: path, line: lineNumber))
        }
    }
}
