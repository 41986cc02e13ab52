#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small text file (a workload spec or a sweep grid) read whole, with the folder its relative
/// paths resolve against.
struct SpecFile {
    /// The file's text, decoded as UTF-8.
    var text: String
    /// The folder holding the file (`.` for a bare name, `/` for a file at the root).
    var folder: String

    /// Reads `path`, refusing a file larger than `limitBytes` (`what` names the expected kind in
    /// the error).
    ///
    /// - Throws: ``WorkloadSpecError`` naming the file when it cannot be opened or is too large.
    init(path: String, limitBytes: Int, what: String) throws(WorkloadSpecError) {
        guard let f = fopen(path, "r") else {
            throw WorkloadSpecError(file: path, field: "", reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            guard bytes.count <= limitBytes else {
                throw WorkloadSpecError(file: path, field: "", reason: "larger than \(limitBytes >> 20) MiB: not \(what)")
            }
        }
        text = String(decoding: bytes, as: UTF8.self)
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        self.folder = folder.isEmpty ? "/" : folder
    }
}
