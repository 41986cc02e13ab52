import Testing

@testable import CUDARunner

@Suite struct MeasurementSummaryTests {
    static func row(_ kernelClass: KernelClass, label: String, bytes: Int, seconds: Double, plan: Double = 0,
                    mode: SplitMode? = nil, layer: Int = -1, profile: String = "", context: Int = 0, batch: Int = 0)
        -> MeasurementRecord
    {
        var p = MeasurementPoint(kernelClass: kernelClass, label: label)
        p.splitMode = mode
        p.layer = layer
        p.profile = profile
        p.keptRatio = profile.isEmpty ? 1 : 0.25
        p.contextTokens = context
        p.batch = batch
        p.headsPerPage = 4
        var r = tk_result_for_test()
        r.median_s = seconds
        r.plan_s = plan
        r.bytes = UInt64(bytes)
        return MeasurementRecord(device: MeasurementCSVTests.device, point: p, phase: "measure", result: KernelResult(r),
                                 status: "ok")
    }

    @Test func bandwidthsComeFromBytesOverMedianTime() {
        let rows = [
            Self.row(.copy, label: "d2d", bytes: 2_000_000_000, seconds: 0.001),  // 2e12 B/s
            Self.row(.copy, label: "d2d", bytes: 1_000_000_000, seconds: 0.001),  // 1e12 B/s
            Self.row(.decodeAttention, label: "full-kv", bytes: 3_000_000_000, seconds: 0.002, mode: .uniform, context: 131_072, batch: 4),
            Self.row(.decodeAttention, label: "full-kv", bytes: 1_000_000_000, seconds: 0.002, mode: .planner, context: 131_072, batch: 1),
            Self.row(.decodeAttention, label: "full-kv", bytes: 9_000_000_000, seconds: 0.002, mode: .planner, context: 4096, batch: 1),
        ]
        let s = MeasurementSummary(records: rows)
        #expect(s.copyBytesPerSecond == 2e12)
        // Only the longest context counts: the best there is 3e9 / 0.002 = 1.5e12 B/s (75% of copy).
        #expect(s.longContextDecode?.context == 131_072)
        #expect(s.longContextDecode?.batch == 4)
        #expect(s.longContextDecode?.bytesPerSecond == 1.5e12)
        #expect(s.lines().contains { $0.contains("75.0% of copy") })
    }

    @Test func splitComparisonSumsLayersPerMode() {
        var rows: [MeasurementRecord] = []
        for layer in 0..<2 {
            rows.append(Self.row(.decodeAttention, label: "layer \(layer)", bytes: 1, seconds: 0.003, mode: .uniform,
                                 layer: layer, profile: "p", context: 32768, batch: 8))
            rows.append(Self.row(.decodeAttention, label: "layer \(layer)", bytes: 1, seconds: 0.0021, plan: 0.0004,
                                 mode: .planner, layer: layer, profile: "p", context: 32768, batch: 8))
            rows.append(Self.row(.decodeAttention, label: "layer \(layer)", bytes: 1, seconds: 0.002,
                                 mode: .aheadOfTime, layer: layer, profile: "p", context: 32768, batch: 8))
        }
        let s = MeasurementSummary(records: rows)
        #expect(s.splitComparisons.count == 1)
        let c = s.splitComparisons[0]
        #expect(c.layers == 2)
        #expect(abs(c.uniformSeconds - 0.006) < 1e-15)
        #expect(abs(c.aheadOfTimeSeconds - 0.004) < 1e-15)
        #expect(abs(c.plannerPlanSeconds - 0.0008) < 1e-15)
        // uniform / AOT = 6 / 4; (planner 4.2 + plan 0.8) / AOT 4 = 1.25.
        #expect(abs(c.uniformOverAheadOfTime - 1.5) < 1e-12)
        #expect(abs(c.plannerWithPlanOverAheadOfTime - 1.25) < 1e-12)
    }

    @Test func incompleteSeriesAreLeftOut() {
        let rows = [
            Self.row(.decodeAttention, label: "layer 0", bytes: 1, seconds: 0.003, mode: .uniform, layer: 0, profile: "p"),
            Self.row(.decodeAttention, label: "layer 0", bytes: 1, seconds: 0.002, mode: .aheadOfTime, layer: 0, profile: "p"),
        ]
        #expect(MeasurementSummary(records: rows).splitComparisons.isEmpty)
    }
}
