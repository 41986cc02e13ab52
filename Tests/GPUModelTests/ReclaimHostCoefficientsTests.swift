import Foundation
import Testing

@testable import GPUModel

/// The reclaim host model: its composition, its decoding from older calibration files, and its
/// agreement with the measurements it was fitted to.
@Suite struct ReclaimHostCoefficientsTests {
    static let csvPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("calibrations/h200-reclaim-host.csv").path

    @Test func secondsComposeBoundaryAndStepTerms() {
        let c = ReclaimHostCoefficients(
            boundaryFixedSeconds: 1, boundaryPerLayerSeconds: 10, boundaryPerGroupSeconds: 100,
            boundaryPerRowEntrySeconds: 1000, stepFixedSeconds: 1e4, perPageSeconds: 1e5, perPoolBlockSeconds: 1e6)
        // 2 boundaries x (1 + 3 x 10 + 4 x (100 + 5 x 1000)) + (1e4 + 7 x 1e5 + 8 x 1e6)
        let s = c.seconds(boundaries: 2, layers: 3, groupsPerGPU: 4, rowBlocks: 5, pagesPerGPU: 7, poolBlocksPerGPU: 8)
        let boundaries: Double = 2 * (1 + 30 + 4 * 5100)
        let step: Double = 1e4 + 7e5 + 8e6
        #expect(s == boundaries + step)
        #expect(c.seconds(boundaries: 0, layers: 3, groupsPerGPU: 4, rowBlocks: 5, pagesPerGPU: 0, poolBlocksPerGPU: 8) == 0)
    }

    @Test func olderCalibrationFilesReadAsTheMeasuredModel() throws {
        let json = """
            {"schedulingFixedSeconds": 3e-4, "schedulingPerRequestSeconds": 4e-6,
             "blockTableNaivePerEntrySeconds": 2.5e-7, "blockTableVectorizedFixedSeconds": 5e-6,
             "blockTableVectorizedPerEntrySeconds": 2e-9, "planFixedSeconds": 2.95e-6,
             "planPerItemSeconds": 1.57e-8, "reclaimPerPageSeconds": 5e-8}
            """
        let host = try JSONDecoder().decode(HostCoefficients.self, from: Data(json.utf8))
        #expect(host.reclaim == .measuredH200Host)
        let again = try JSONDecoder().decode(HostCoefficients.self, from: JSONEncoder().encode(host))
        #expect(again == host)
    }

    /// Predictions against the measured medians: the per-boundary total (kept counts, plan and
    /// Triton write-back host time, expansion, compaction and seven syncs) and the per-step free
    /// (unique ids, manager and pool), at every measured size.
    @Test func measuredModelReproducesTheMeasurements() throws {
        guard let text = try? String(contentsOfFile: Self.csvPath, encoding: .utf8) else {
            Issue.record("missing \(Self.csvPath)")
            return
        }
        var medians: [String: [[String]]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("component") {
            let f = line.split(separator: ",").map(String.init)
            medians[f[0], default: []].append(f)
        }
        func us(_ row: [String]) -> Double { Double(row[6])! }
        func only(_ name: String) -> Double { us(medians[name]![0]) }
        let syncs = 3 * only("cuda_cpu_16_int64_gpu_idle") + 4 * only("cuda_h2d_copy_300_int64_pageable")
        let layersOf = [32: 32, 64: 32, 72: 36, 128: 32, 192: 48, 288: 36]  // the bench's clusters = L x G
        let c = ReclaimHostCoefficients.measuredH200Host
        var boundaryErrors: [Double] = []
        for row in medians["compact_after_compress_all_layers"]! {
            let clusters = Int(row[1])!, rowBlocks = Int(row[2])!
            func at(_ name: String) -> Double { us(medians[name]!.first { Int($0[1]) == clusters }!) }
            let measured = at("kept_lengths_from_demand") + at("executor_run_request_triton_host")
                + at("expand_static_to_physical_lengths") + us(row) + syncs
            let predicted = 1e6 * c.seconds(boundaries: 1, layers: layersOf[clusters]!, groupsPerGPU: Double(clusters),
                                            rowBlocks: rowBlocks, pagesPerGPU: 0, poolBlocksPerGPU: 0)
            boundaryErrors.append(abs(predicted - measured) / measured)
        }
        #expect(boundaryErrors.count == 18)
        #expect(boundaryErrors.max()! < 0.35, "boundary errors \(boundaryErrors)")
        #expect(boundaryErrors.sorted()[boundaryErrors.count / 2] < 0.05)
        var stepErrors: [Double] = []
        for row in medians["manager_free_blocks_by_ids"]! {
            let pages = Int(row[3])!, pool = Int(row[4])!
            let pool0 = medians["pool_free_by_block_ids"]!.first { Int($0[3]) == pages && Int($0[4]) == pool }!
            let post = medians["postprocess_compress_updates"]!.first { Int($0[3]) == pages }!
            let measured = us(row) + us(pool0) + us(post)
            let predicted = 1e6 * c.seconds(boundaries: 0, layers: 0, groupsPerGPU: 0, rowBlocks: 0,
                                            pagesPerGPU: Double(pages), poolBlocksPerGPU: pool)
            stepErrors.append(abs(predicted - measured) / measured)
        }
        #expect(stepErrors.count == 12)
        #expect(stepErrors.max()! < 0.2, "step errors \(stepErrors)")
    }
}
