import Foundation
import Testing

@testable import CUDARunner

@Suite struct MeasurementCSVTests {
    static let device = DeviceInfo(
        name: "NVIDIA H200, \"SXM\"", smCount: 132, computeCapability: "9.0", cudaDriverVersion: 13000,
        cudaRuntimeVersion: 13000, driverString: "580.159.04", smClockMHz: 1980, memClockMHz: 3201,
        maxSMClockMHz: 1980, maxMemClockMHz: 3201, totalMemoryBytes: 150_000_000_000, l2Bytes: 62_914_560)

    static func sampleRecords() -> [MeasurementRecord] {
        var decode = MeasurementPoint(kernelClass: .decodeAttention, label: "layer 3")
        decode.profile = "snapkv-llama-3.1-8b"
        decode.keptRatio = 0.25
        decode.layer = 3
        decode.batch = 8
        decode.contextTokens = 32768
        decode.qHeads = 32
        decode.kvHeads = 8
        decode.headDim = 128
        decode.headsPerPage = 4
        decode.pageTokens = 16
        decode.splitMode = .aheadOfTime
        var r = tk_result_for_test()
        r.median_s = 1.25e-4
        r.p90_s = 1.5e-4
        r.plan_s = 0
        r.bytes = 123_456_789
        r.flops = 987_654_321
        r.ctas = 528
        r.max_splits = 9
        r.repeats = 25
        r.check_rel_error = -1
        let first = MeasurementRecord(device: device, point: decode, phase: "measure", result: KernelResult(r), status: "ok")
        var gemm = MeasurementPoint(kernelClass: .gemm, label: "check")
        gemm.m = 64
        gemm.n = 256
        gemm.k = 512
        r.check_rel_error = 0.0031
        let second = MeasurementRecord(device: device, point: gemm, phase: "check", result: KernelResult(r),
                                       status: "error: tk_gemm failed, status 3:\nno cuBLAS")
        let third = MeasurementRecord(device: device, point: gemm, phase: "measure", result: nil, status: "skipped: check failed")
        return [first, second, third]
    }

    @Test func roundTripPreservesEveryField() throws {
        let records = Self.sampleRecords()
        let text = MeasurementCSV.encode(records)
        let back = try MeasurementCSV.decode(text)
        #expect(back == records)
        #expect(back[0].checkRelativeError == nil)
        #expect(back[1].checkRelativeError == 0.0031)
    }

    @Test func headerListsTheCostModelColumns() {
        let header = MeasurementCSV.encode([]).split(separator: "\n")[0].split(separator: ",").map(String.init)
        for column in ["gpu_name", "driver_version", "sm_clock_mhz", "kernel_class", "batch", "context_tokens",
                       "kv_tokens_read", "q_heads", "kv_heads", "head_dim", "h_p", "split_mode", "splits", "ctas",
                       "chunk_tokens", "m", "n", "k", "bytes", "flops", "median_s", "p90_s", "repeats"] {
            #expect(header.contains(column), "missing column \(column)")
        }
        #expect(header.count == MeasurementCSV.columns.count)
    }

    @Test func quotedFieldsEscapeCommasQuotesAndNewlines() {
        #expect(MeasurementCSV.escape("plain") == "plain")
        #expect(MeasurementCSV.escape("a,b") == "\"a,b\"")
        #expect(MeasurementCSV.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }

    @Test func badIntegerNamesLineAndField() {
        var lines = MeasurementCSV.encode(Self.sampleRecords()).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        // Replace the batch field of the first data row (line 2) with text.
        var fields = MeasurementCSV.fields(of: Self.sampleRecords()[0])
        let batchIndex = MeasurementCSV.columns.firstIndex(of: "batch")!
        fields[batchIndex] = "eight"
        lines[1] = fields.map(MeasurementCSV.escape).joined(separator: ",")
        do {
            _ = try MeasurementCSV.decode(lines.joined(separator: "\n"), file: "m.csv")
            Issue.record("decoding a non-integer batch should fail")
        } catch {
            #expect(error.file == "m.csv")
            #expect(error.line == 2)
            #expect(error.field == "batch")
            #expect(error.description.hasPrefix("m.csv:2: field batch"))
        }
    }

    @Test func recordLinesCountFromTheirStartAcrossQuotedNewlines() {
        // Header on line 1, record 1 on line 2; record 2 starts on line 3 and its quoted status holds
        // a line break, so record 3 starts on line 5.
        let records = Self.sampleRecords()
        var fields = MeasurementCSV.fields(of: records[2])
        fields[MeasurementCSV.columns.firstIndex(of: "layer")!] = "minus one"
        let text = MeasurementCSV.encode(Array(records.prefix(2))) + fields.map(MeasurementCSV.escape).joined(separator: ",") + "\n"
        do {
            _ = try MeasurementCSV.decode(text)
            Issue.record("decoding a non-integer layer should fail")
        } catch {
            #expect(error.line == 5)
            #expect(error.field == "layer")
        }
    }

    @Test func wrongHeaderIsLineOne() {
        do {
            _ = try MeasurementCSV.decode("a,b,c\n1,2,3\n", file: "x.csv")
            Issue.record("a foreign header should fail")
        } catch {
            #expect(error.line == 1)
        }
    }

    @Test func atomicWriteLeavesOnlyTheFinalFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cudarunner-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("measurements.csv").path
        try MeasurementCSV.write(Self.sampleRecords(), to: path)
        let back = try MeasurementCSV.decode(String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(back == Self.sampleRecords())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["measurements.csv"])
    }

    @Test func writeIntoAMissingFolderFailsWithThePath() {
        let path = "/nonexistent/folder/measurements.csv"
        do {
            try MeasurementCSV.write([], to: path)
            Issue.record("writing into a missing folder should fail")
        } catch {
            #expect(error.file == path)
            #expect(error.line == 0)
        }
    }
}
