import Foundation
import Testing

@testable import Workloads

@Suite struct HeadProfilesReaderTests {
    static let header = "sample,prompt_tokens,sink_tokens,window_tokens,layer,kv_head,kept_tokens,ratio"

    /// Two samples, layers 3 and 7, two KV heads; kept = 32 + 4096 + ratio * 10000.
    static let valid = """
        sample,prompt_tokens,sink_tokens,window_tokens,layer,kv_head,kept_tokens,ratio
        0,10000,32,4096,3,0,4128,0.000000
        0,10000,32,4096,3,1,5128,0.100000
        0,10000,32,4096,7,0,6128,0.200000
        0,10000,32,4096,7,1,9128,0.500000
        1,12000,32,4096,3,0,4728,0.050000
        1,12000,32,4096,3,1,5328,0.100000
        1,12000,32,4096,7,0,4128,0.000000
        1,12000,32,4096,7,1,10128,0.500000

        """

    @Test func parsesShapeAndValues() throws {
        let p = try HeadProfileReader.parse(Self.valid, fileName: "t.csv")
        #expect(p.name == "t.csv")
        #expect(p.layerIndices == [3, 7])
        #expect(p.kvHeadsPerLayer == 2)
        #expect(p.headCount == 4)
        #expect(p.sampleCount == 2)
        #expect(p.samples.map(\.sampleID) == [0, 1])
        #expect(p.samples[0].ratios == [0, 0.1, 0.2, 0.5])
        #expect(p.samples[1].ratios == [0.05, 0.1, 0, 0.5])
        #expect(p.samples[1].promptTokens == 12000)
        #expect(p.samples[0].keptTokens == [4128, 5128, 6128, 9128])
        #expect(p.head(at: 2) == HeadID(layer: 7, kvHead: 0))
        #expect(p.flatIndex(layerPosition: 1, kvHead: 1) == 3)
    }

    @Test func acceptsShuffledRowsCRLFAndTrailingBlankLines() throws {
        var lines = Self.valid.split(separator: "\n").map(String.init)
        let body = Array(lines.dropFirst().reversed())
        lines = [lines[0]] + body
        let text = lines.joined(separator: "\r\n") + "\r\n\r\n\n"
        let shuffled = try HeadProfileReader.parse(text, fileName: "s.csv")
        let straight = try HeadProfileReader.parse(Self.valid, fileName: "s.csv")
        #expect(shuffled == straight)
    }

    @Test func acceptsTheSinkExcludedDenominator() throws {
        // ratio = (kept - sink - window) / (prompt - sink), as SOURCE.md states the formula:
        // (14000 - 32 - 4096) / (20000 - 32) = 0.494391...
        let text = Self.header + "\n0,20000,32,4096,0,0,14000,0.494391\n"
        let p = try HeadProfileReader.parse(text, fileName: "d.csv")
        #expect(p.samples[0].ratios == [0.494391])
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var label: String
        var text: String
        var line: Int
        var field: String
        var testDescription: String { label }
    }

    static let row = "0,10000,32,4096,0,0,5128,0.100000"

    static let badCases: [BadCase] = [
        BadCase(label: "empty file", text: "", line: 1, field: "file"),
        BadCase(label: "header only", text: header + "\n", line: 1, field: "file"),
        BadCase(
            label: "renamed column", text: header.replacingOccurrences(of: "kept_tokens", with: "kept") + "\n" + row,
            line: 1, field: "kept_tokens"),
        BadCase(label: "missing column", text: "sample,prompt_tokens\n" + row, line: 1, field: "sink_tokens"),
        BadCase(label: "extra column", text: header + ",extra\n" + row, line: 1, field: "row"),
        BadCase(label: "short row", text: header + "\n" + row + "\n0,10000,32,4096,0,1,5128", line: 3, field: "row"),
        BadCase(label: "blank row inside", text: header + "\n\n" + row, line: 2, field: "row"),
        BadCase(
            label: "sample not an integer", text: header + "\nx,10000,32,4096,0,0,5128,0.1", line: 2, field: "sample"),
        BadCase(label: "negative sample", text: header + "\n-1,10000,32,4096,0,0,5128,0.1", line: 2, field: "sample"),
        BadCase(label: "zero prompt", text: header + "\n0,0,32,4096,0,0,5128,0.1", line: 2, field: "prompt_tokens"),
        BadCase(label: "negative sink", text: header + "\n0,10000,-1,4096,0,0,5128,0.1", line: 2, field: "sink_tokens"),
        BadCase(
            label: "window not below prompt", text: header + "\n0,4096,32,4096,0,0,4128,0", line: 2,
            field: "window_tokens"),
        BadCase(label: "layer fractional", text: header + "\n0,10000,32,4096,1.5,0,5128,0.1", line: 2, field: "layer"),
        BadCase(label: "negative kv_head", text: header + "\n0,10000,32,4096,0,-2,5128,0.1", line: 2, field: "kv_head"),
        BadCase(
            label: "kept above prompt + sink", text: header + "\n0,10000,32,4096,0,0,10033,0.1", line: 2,
            field: "kept_tokens"),
        BadCase(label: "ratio not a number", text: header + "\n0,10000,32,4096,0,0,5128,abc", line: 2, field: "ratio"),
        BadCase(label: "ratio nan", text: header + "\n0,10000,32,4096,0,0,5128,nan", line: 2, field: "ratio"),
        BadCase(label: "ratio above 1", text: header + "\n0,10000,32,4096,0,0,5128,1.5", line: 2, field: "ratio"),
        BadCase(label: "ratio negative", text: header + "\n0,10000,32,4096,0,0,5128,-0.1", line: 2, field: "ratio"),
        BadCase(
            label: "kept disagrees with ratio", text: header + "\n" + row + "\n0,10000,32,4096,0,1,5128,0.2",
            line: 3, field: "kept_tokens"),
        BadCase(
            label: "kept above sink+window at ratio 0", text: header + "\n0,10000,32,4096,0,0,4200,0",
            line: 2, field: "kept_tokens"),
        BadCase(
            label: "prompt differs within a sample", text: header + "\n" + row + "\n0,10001,32,4096,0,1,5128,0.1",
            line: 3, field: "prompt_tokens"),
        BadCase(
            label: "window differs within a sample", text: header + "\n" + row + "\n0,10000,32,4000,0,1,5032,0.1",
            line: 3, field: "window_tokens"),
        BadCase(label: "duplicate cell", text: header + "\n" + row + "\n" + row, line: 3, field: "kv_head"),
        BadCase(
            label: "sample missing a cell",
            text: header + "\n" + row + "\n0,10000,32,4096,0,1,5128,0.1\n1,10000,32,4096,0,0,5128,0.1",
            line: 4, field: "layer"),
        BadCase(
            label: "kv_head numbering has a gap",
            text: header + "\n" + row + "\n0,10000,32,4096,0,2,5128,0.1", line: 3, field: "kv_head"),
    ]

    @Test(arguments: badCases)
    func rejectsBadInputNamingFileLineAndField(_ c: BadCase) {
        #expect {
            _ = try HeadProfileReader.parse(c.text, fileName: "bad.csv")
        } throws: { error in
            guard let e = error as? HeadProfileReadError else { return false }
            return e.file == "bad.csv" && e.line == c.line && e.field == c.field
                && e.description.hasPrefix("bad.csv:\(c.line): \(c.field): ")
        }
    }

    @Test func missingFileIsAnError() {
        #expect {
            _ = try HeadProfileReader.read(path: "/nonexistent/profile.csv")
        } throws: { error in
            (error as? HeadProfileReadError)?.file == "/nonexistent/profile.csv"
                && (error as? HeadProfileReadError)?.field == "file"
        }
    }

    @Test(.enabled(if: HeadProfilesTestSupport.measuredAvailable, "needs ../shared/head_profiles"))
    func measuredSnapKVLlamaHas32x8HeadsAnd28Samples() throws {
        // SOURCE.md: llama-3.1-8b-instruct has 32 layers x 8 KV heads, 28 calibration samples,
        // sink 32 and window 4096.
        let p = try HeadProfileReader.read(
            path: HeadProfilesTestSupport.measuredRoot + "/snapkv/llama-3.1-8b-instruct_crosslayer.csv")
        #expect(p.layerIndices == Array(0..<32))
        #expect(p.kvHeadsPerLayer == 8)
        #expect(p.sampleCount == 28)
        #expect(p.samples.map(\.sampleID) == Array(0..<28))
        #expect(p.samples.allSatisfy { $0.sinkTokens == 32 && $0.windowTokens == 4096 })
        // SOURCE.md: prompts of 14.6K-26.5K tokens.
        #expect(p.samples.allSatisfy { (14_000...26_500).contains($0.promptTokens) })
    }

    @Test(.enabled(if: HeadProfilesTestSupport.measuredAvailable, "needs ../shared/head_profiles"))
    func everyMeasuredFileParsesWithTheDocumentedShape() throws {
        // Shapes from SOURCE.md (full-attention layers x KV heads); qwen3-30b-a3b is stored per
        // tensor-parallel rank, 2 of its 4 KV heads.
        let shapes: [String: (layers: [Int], heads: Int)] = [
            "qwen3-4b-instruct-2507": (Array(0..<36), 8),
            "llama-3.1-8b-instruct": (Array(0..<32), 8),
            "gemma-3-12b-it": (Array(stride(from: 5, through: 47, by: 6)), 8),
            "gpt-oss-20b": (Array(stride(from: 1, through: 23, by: 2)), 8),
            "qwen3-30b-a3b-instruct-2507": (Array(0..<48), 2),
        ]
        #expect(HeadProfilesTestSupport.measured.count == 34)
        for (file, result) in HeadProfilesTestSupport.measured {
            let p = try result.get()
            let model = String(file.split(separator: "/")[1].split(separator: "_")[0])
            let shape = try #require(shapes[model], "unexpected model in \(file)")
            #expect(p.layerIndices == shape.layers, "\(file)")
            #expect(p.kvHeadsPerLayer == shape.heads, "\(file)")
            #expect(p.sampleCount == 28, "\(file)")
        }
    }
}
