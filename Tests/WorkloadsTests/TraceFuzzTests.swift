import Foundation
import Testing

@testable import Workloads

/// Feeds every importer truncated, garbled, negative, huge and unsorted variants of a valid
/// sample. Nothing may crash (a trap would kill the test process); every failure must be a
/// typed error naming a line inside the file; with skip-bad-rows, reading never fails once the
/// header is good and skipped rows are counted.
@Suite struct TraceFuzzTests {
    static let samples: [(name: String, format: TraceFormat, text: String)] = [
        ("native.jsonl", .native, NativeTraceTests.example),
        ("mooncake.jsonl", .mooncake, MooncakeTraceReaderTests.trace),
        (
            "azure.csv", .azure,
            "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n2023-11-16 18:16:00.1,10,3\n"
        ),
        ("sharegpt.csv", .sharegpt, CSVImporterTests.sharegpt),
        ("burstgpt.csv", .burstgpt, CSVImporterTests.burst),
        ("servegen.csv", .servegen, "0,1,1.0,Gamma,1.0,0.1\n600,0,0,,0,0\n1200,0.5,2.0,Weibull,0.5,0.3\n"),
    ]

    /// A deterministic mutation of `text` (GSL-driven, so failures reproduce).
    static func mutate(_ text: String, rng: GSLRandom) -> [UInt8] {
        var bytes = Array(text.utf8)
        let garbage: [[UInt8]] = [
            Array("-".utf8), Array("99999999999999999999999".utf8), Array("1e400".utf8), Array("-1e400".utf8),
            [0xFF, 0xFE], [0], Array("\"".utf8), Array(",".utf8), Array("{".utf8), Array("]".utf8),
            Array("NaN".utf8), Array("\\u".utf8), Array(String(repeating: "[", count: 200).utf8), Array("\n".utf8),
            Array("9223372036854775807".utf8), Array("0.5".utf8),
        ]
        for _ in 0..<(1 + rng.uniformInteger(below: 3)) {
            guard !bytes.isEmpty else { break }
            switch rng.uniformInteger(below: 6) {
            case 0:  // truncate
                bytes = Array(bytes.prefix(rng.uniformInteger(below: bytes.count)))
            case 1:  // overwrite a byte range with garbage
                let at = rng.uniformInteger(below: bytes.count)
                let g = garbage[rng.uniformInteger(below: garbage.count)]
                bytes.replaceSubrange(at..<min(bytes.count, at + rng.uniformInteger(below: 4)), with: g)
            case 2:  // negate a number: insert '-' before a digit
                if let i = bytes.indices.filter({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }).randomElement(using: rng) {
                    bytes.insert(UInt8(ascii: "-"), at: i)
                }
            case 3:  // make a number huge
                if let i = bytes.indices.filter({ bytes[$0] >= 0x31 && bytes[$0] <= 0x39 }).randomElement(using: rng) {
                    bytes.insert(contentsOf: Array("000000000000".utf8), at: i + 1)
                }
            case 4:  // swap two lines (unsorted)
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                if lines.count > 2 {
                    let a = 1 + rng.uniformInteger(below: lines.count - 1)
                    let b = 1 + rng.uniformInteger(below: lines.count - 1)
                    lines.swapAt(a, b)
                }
                bytes = Array(lines.joined(separator: [0x0A]))
            default:  // duplicate or drop a line
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                let i = rng.uniformInteger(below: lines.count)
                if rng.uniform() < 0.5 { lines.insert(lines[i], at: i) } else { lines.remove(at: i) }
                bytes = Array(lines.joined(separator: [0x0A]))
            }
        }
        return bytes
    }

    @Test(arguments: samples.indices)
    func mutatedInputsNeverCrash(_ sampleIndex: Int) throws {
        let sample = Self.samples[sampleIndex]
        let dir = ScratchFolder()
        let rng = GSLRandom(seed: 2_026, stream: UInt64(sampleIndex))
        var strictFailures = 0
        for iteration in 0..<200 {
            let bytes = Self.mutate(sample.text, rng: rng)
            let path = dir.path + "/\(iteration)-" + sample.name
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let lineCount = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
            for format in [sample.format, .auto] {
                for skip in [false, true] {
                    let options = TraceImportOptions(
                        skipBadRows: skip, sessionLimit: 5_000, arrival: .batch(atSeconds: 0))
                    do {
                        var reader = try TraceImporter.open(path: path, format: format, options: options)
                        let sessions = try drain(&reader)
                        for s in sessions {
                            #expect(!s.turns.isEmpty)
                            #expect(s.turns.allSatisfy { $0.outputTokens >= 1 && $0.newInputTokens >= 0 })
                            #expect(s.arrivalSeconds.isFinite && s.arrivalSeconds >= 0)
                        }
                        #expect(
                            zip(sessions, sessions.dropFirst()).allSatisfy { $0.arrivalSeconds <= $1.arrivalSeconds })
                        #expect(reader.report.rowsSkipped <= reader.report.rowsRead)
                        if !skip { #expect(reader.report.rowsSkipped == 0) }
                    } catch let error as TraceParseError {
                        if !skip { strictFailures += 1 }
                        #expect(error.file == path)
                        #expect(error.line >= 0 && error.line <= lineCount)
                        #expect(!error.reason.isEmpty)
                        // With skipping, only problems of the file as a whole (opening, header,
                        // detection, no data) may still fail: they sit on the first lines.
                        if skip { #expect(error.line <= 2 || error.field == nil) }
                    } catch let error as WorkloadSpecError {
                        #expect(!error.reason.isEmpty)
                    }
                }
            }
        }
        // The mutations do break files: most strict reads must fail.
        #expect(strictFailures > 60)
    }

    @Test func hugeAndDeepInputs() throws {
        let dir = ScratchFolder()
        // 100,000 turns in one session line.
        let turns = (0..<100_000).map { _ in #"{"think_s":1,"input_tokens":1,"output_tokens":1}"# }.joined(
            separator: ",")
        let big = dir.write(
            "big.jsonl",
            #"{"session_id":0,"arrival_s":0,"turns":[{"input_tokens":5,"output_tokens":5},"# + turns + "]}\n")
        var reader = try NativeTraceReader(path: big)
        #expect(try reader.nextSession()?.turns.count == 100_001)
        // Nesting beyond the parser's limit is an error, not a stack overflow.
        let deep = dir.write("deep.jsonl", String(repeating: "[", count: 100_000) + "\n")
        var deepReader = try NativeTraceReader(path: deep)
        #expect { _ = try deepReader.nextSession() } throws: { ($0 as? TraceParseError)?.line == 1 }
        // Lines longer than the reader's limit are consumed and reported, and reading goes on.
        let long = dir.write("long.txt", String(repeating: "x", count: 300_000) + "\nok\n")
        let lines = try LineReader(path: long, maximumLineBytes: 1_000)
        #expect(throws: TraceParseError.self) { _ = try lines.nextLine() }
        #expect(try lines.nextLine() == Array("ok".utf8))
        #expect(try lines.nextLine() == nil)
    }
}

extension Array {
    /// A random element drawn with a GSL generator.
    func randomElement(using rng: GSLRandom) -> Element? {
        isEmpty ? nil : self[rng.uniformInteger(below: count)]
    }
}
