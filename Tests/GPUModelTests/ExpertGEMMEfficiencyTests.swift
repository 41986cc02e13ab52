import Foundation
import Testing

@testable import GPUModel

/// The grouped expert GEMM efficiency: its shape, its agreement with the H200 measurements it was
/// fitted to, and what it does to an MoE model's prefill.
@Suite struct ExpertGEMMEfficiencyTests {
    static let csvPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("calibrations/h200-moe-gemm.csv").path

    @Test func risesWithRowsPerExpertTowardItsSaturatedValue() {
        let e = ExpertGEMMEfficiency(saturated: 0.8, halfRowsPerExpert: 100)
        #expect(e.relativeToDense(rowsPerExpert: 100) == 0.4)
        #expect(e.relativeToDense(rowsPerExpert: 300) == 0.6)
        let r = [1.0, 16, 128, 512, 4096, 1e6].map { e.relativeToDense(rowsPerExpert: $0) }
        #expect(r == r.sorted())
        #expect(r.allSatisfy { $0 > 0 && $0 < 0.8 })
        #expect(e.relativeToDense(rowsPerExpert: 0) == 0.8)
    }

    /// Dense cuBLAS time over fused-MoE time (both GEMMs of a layer, tuned configs) at every
    /// compute-bound size of calibrations/h200-moe-gemm.csv, within 0.05 of the fit.
    @Test func measuredModelReproducesTheMeasurements() throws {
        guard let text = try? String(contentsOfFile: Self.csvPath, encoding: .utf8) else {
            Issue.record("missing \(Self.csvPath)")
            return
        }
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let header = lines[0].split(separator: ",").map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        var moe: [String: Double] = [:], dense: [String: Double] = [:], rows: [String: Double] = [:]
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let us = Double(f[column("median_us")]), let tokens = Int(f[column("tokens")]), tokens >= 4096
            else { continue }
            let key = f[column("tp")] + "/" + f[column("tokens")]
            rows[key] = Double(f[column("routed_tokens")])! / Double(f[column("experts")])!
            switch f[column("config")] {
            case "tuned": moe[key, default: 0] += us
            case "cublas": dense[key, default: 0] += us
            default: break
            }
        }
        #expect(moe.count == 6)
        for (key, m) in moe {
            let measured = dense[key]! / m
            let fitted = ExpertGEMMEfficiency.vllmFusedMoE.relativeToDense(rowsPerExpert: rows[key]!)
            #expect(abs(fitted - measured) < 0.05, "\(key): fit \(fitted) vs measured \(measured)")
        }
    }

    /// An MoE prefill chunk's GEMM time grows by exactly the expert GEMMs' compute time at the
    /// dense rate times (1 / relative - 1); a dense model's is untouched.
    @Test func slowsOnlyTheExpertGEMMsOfAPrefill() {
        let gpu = GPUCatalog.a100_80gb
        var chunk = StepWorkload()
        chunk.prefillTokens = 8192
        chunk.prefillSequences = 1
        let denseRate = ExpertGEMMEfficiency(saturated: 1, halfRowsPerExpert: 0)
        let m = ModelCatalog.qwen3_30b_a3b, e = m.moe!
        let measured = KernelCostModel(model: m, gpu: gpu).stepCost(chunk).gemmSeconds
        let atDenseRate = KernelCostModel(model: m, gpu: gpu, expertGEMM: denseRate).stepCost(chunk).gemmSeconds
        // 8192 tokens x top-8 over 128 experts (all touched): 512 rows each; the expert GEMMs are
        // compute-bound at that size: 2 x routed x 3 x I x H FLOPs per layer.
        let routed = 8192.0 * Double(e.activeExpertsPerToken)
        let relative = ExpertGEMMEfficiency.vllmFusedMoE.relativeToDense(rowsPerExpert: routed / Double(e.expertCount))
        let flops = Double(m.layerCount) * 2 * routed * 3 * Double(e.expertIntermediateSize) * Double(m.hiddenSize)
        let rate = gpu.denseBF16FlopsPerSecond * GPUCalibration.specDerived(for: gpu).coefficients.gemm.computeFraction
        let expected = flops / rate * (1 / relative - 1)
        #expect(abs((measured - atDenseRate) - expected) < 1e-9 * measured)
        #expect(relative > 0.6 && relative < 0.8)
        let llama = ModelCatalog.llama3_1_8b
        #expect(KernelCostModel(model: llama, gpu: gpu).stepCost(chunk).gemmSeconds
            == KernelCostModel(model: llama, gpu: gpu, expertGEMM: denseRate).stepCost(chunk).gemmSeconds)
    }
}
