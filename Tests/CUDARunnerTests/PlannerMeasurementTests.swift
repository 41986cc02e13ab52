import Foundation
import Testing

@testable import CUDARunner

/// The host planner's rows (class `decode_planner`), their summary statistics, and the production
/// prefill rows Kernels/sdpa_compare.py writes in the measurement CSV's schema.
@Suite struct PlannerMeasurementTests {
    @Test func summarizeTakesMedianNearestRankP90MinAndMean() {
        // Odd count: the middle value; p90 of 5 values is the ceil(4.5) = 5th smallest.
        let odd = MeasurementRunner.summarize([5, 1, 4, 2, 3])
        #expect(odd.median == 3 && odd.p90 == 5 && odd.min == 1 && odd.mean == 3)
        // Even count: the mean of the middle two; p90 of 10 values is the 9th smallest.
        let even = MeasurementRunner.summarize([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
        #expect(even.median == 5.5 && even.p90 == 9 && even.min == 1 && even.mean == 5.5)
        let none = MeasurementRunner.summarize([])
        #expect(none.median == 0 && none.p90 == 0)
    }

    @Test func plannerRowsRoundTripThroughTheCSV() throws {
        var p = MeasurementPoint(kernelClass: .decodePlanner, label: "layer 5")
        p.batch = 8
        p.kvHeads = 8
        p.qHeads = 32
        p.headsPerPage = 4
        p.splitMode = .planner
        var r = tk_result_for_test()
        r.median_s = 3.25e-6
        r.plan_s = 3.25e-6
        r.ctas = 496
        let row = MeasurementRecord(device: MeasurementCSVTests.device, point: p, phase: "measure", result: KernelResult(r),
                                    status: "ok")
        let back = try MeasurementCSV.decode(MeasurementCSV.encode([row]))
        #expect(back == [row])
        #expect(MeasurementCSV.encode([row]).contains(",decode_planner,measure,layer 5,"))
    }

    /// The whole-model split comparison takes the planner's host time from its own rows when the
    /// run has them (here 1 µs per layer instead of the decode rows' 400 µs).
    @Test func summaryPrefersThePlannerRows() {
        var rows: [MeasurementRecord] = []
        for layer in 0..<2 {
            for mode in SplitMode.allCases {
                rows.append(MeasurementSummaryTests.row(.decodeAttention, label: "layer \(layer)", bytes: 1, seconds: 0.002,
                                                        plan: mode == .planner ? 4e-4 : 0, mode: mode, layer: layer,
                                                        profile: "p", context: 32768, batch: 8))
            }
            rows.append(MeasurementSummaryTests.row(.decodePlanner, label: "layer \(layer)", bytes: 1, seconds: 1e-6,
                                                    plan: 1e-6, mode: .planner, layer: layer, profile: "p",
                                                    context: 32768, batch: 8))
        }
        let c = MeasurementSummary(records: rows).splitComparisons
        #expect(c.count == 1)
        #expect(abs((c.first?.plannerPlanSeconds ?? 0) - 2e-6) < 1e-18)
    }

    /// Kernels/sdpa_compare.py writes its prefill rows with the CSV header of MeasurementCSV and on
    /// the standard grid's prefill axes; both are copied into the script, so check they agree.
    @Test func sdpaScriptAgreesWithTheSchemaAndTheGrid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = try String(contentsOf: root.appendingPathComponent("Kernels/sdpa_compare.py"), encoding: .utf8)
        func value(_ name: String) -> String? {
            script.split(separator: "\n").first { $0.hasPrefix(name + " = ") }.map {
                String($0.dropFirst(name.count + 3).prefix { $0 != "#" }).trimmingCharacters(in: .whitespaces)
            }
        }
        #expect(value("CSV_COLUMNS") == "\"" + MeasurementCSV.columns.joined(separator: ",") + "\"")
        let grid = MeasurementGrid.standard()
        #expect(value("PREFILL_CHUNKS") == "[" + grid.prefillChunks.map(String.init).joined(separator: ", ") + "]")
        #expect(value("PREFILL_HISTORIES") == "[" + grid.prefillHistories.map(String.init).joined(separator: ", ") + "]")
    }
}
