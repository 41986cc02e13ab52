import ArgumentParser
import GPUModel
import TangramSim

/// Options naming the model, the GPU and the serving engine's knobs.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model: \(ModelCatalog.all.map(\.name).joined(separator: ", ")).")
    var model = "llama-3.1-8b"

    @Option(help: "GPU: \(GPUCatalog.all.map(\.name).joined(separator: ", ")).")
    var gpu = "h200"

    @Option(help: "Tensor-parallel GPUs per replica.")
    var tp = 1

    @Option(name: .customLong("max-num-seqs"), help: "Most requests in a batch (default: vLLM's for the GPU).")
    var maxNumSeqs: Int?

    @Option(name: .customLong("max-num-batched-tokens"), help: "Token budget per step (default: vLLM's for the GPU).")
    var maxNumBatchedTokens: Int?

    @Option(name: .customLong("gpu-memory-utilization"), help: "Fraction of GPU memory the engine may use.")
    var gpuMemoryUtilization = 0.9

    @Option(name: .customLong("block-size"), help: "Tokens per KV block.")
    var blockSize = 16

    @Flag(name: .customLong("no-prefix-caching"), help: "Disable prefix caching of chat history.")
    var noPrefixCaching = false

    @Flag(name: .customLong("reserve-full-isl"), help: "Admit a request only when its whole sequence fits in free KV memory, not just its next chunk (later vLLM's scheduler_reserve_full_isl; vLLM 0.11 admits on the chunk).")
    var reserveFullISL = false

    @Option(name: .customLong("max-model-len"), help: "The engine's max_model_len in tokens; sizes the block-table rows the released code's reclaim scans (longer requests are not rejected).")
    var maxModelLen = EngineConfig().maxModelLenTokens

    @Option(help: "Cost-model calibration: a JSON file from 'tangram-sim calibrate', 'auto' (calibrations/<gpu>.json when present, else spec-derived) or 'spec' (datasheet-derived).")
    var calibration = "auto"

    /// The calibration to cost steps with (`nil`: spec-derived).
    func loadCalibration(for gpu: GPUSpec) throws -> GPUCalibration? {
        try Self.calibration(named: calibration, for: gpu)
    }

    /// The calibration a `--calibration` value names for `gpu`: `nil` for `spec`, the file in
    /// `calibrations/` for `auto` (`nil` when there is none), else the file at that path, which
    /// must be for `gpu`. Errors are one-line ``CLIError``s naming the file.
    static func calibration(named calibration: String, for gpu: GPUSpec) throws -> GPUCalibration? {
        do {
            switch calibration {
            case "spec": return nil
            case "auto": return try GPUCalibration.resolve(for: gpu, directory: "calibrations")
            default:
                let c = try GPUCalibration.load(path: calibration)
                guard c.gpu == gpu.name else {
                    throw CLIError("\(calibration): calibration is for \(c.gpu), not \(gpu.name)")
                }
                return c
            }
        } catch let e as CLIError {
            throw e
        } catch {
            throw CLIError("\(error)")
        }
    }

    func validate() throws {
        guard tp >= 1 else { throw ValidationError("--tp must be at least 1") }
        guard gpuMemoryUtilization > 0, gpuMemoryUtilization <= 1 else {
            throw ValidationError("--gpu-memory-utilization must be in (0, 1]")
        }
        guard blockSize >= 1 else { throw ValidationError("--block-size must be positive") }
        if let n = maxNumSeqs, n < 1 { throw ValidationError("--max-num-seqs must be positive") }
        if let n = maxNumBatchedTokens, n < 1 { throw ValidationError("--max-num-batched-tokens must be positive") }
        guard maxModelLen >= 1 else { throw ValidationError("--max-model-len must be positive") }
    }

    func resolve() throws -> (ModelSpec, GPUSpec, EngineConfig) {
        let m: ModelSpec, g: GPUSpec
        do {
            m = try ModelCatalog.model(named: model)
            g = try GPUCatalog.gpu(named: gpu)
        } catch {
            throw ValidationError(error.description)
        }
        var engine = EngineConfig.vllmDefaults(for: g)
        engine.gpuMemoryUtilization = gpuMemoryUtilization
        engine.blockSizeTokens = blockSize
        engine.enablePrefixCaching = !noPrefixCaching
        engine.reserveFullSequenceAtAdmission = reserveFullISL
        engine.maxModelLenTokens = maxModelLen
        if let n = maxNumSeqs { engine.maxNumSeqs = n }
        if let n = maxNumBatchedTokens { engine.maxNumBatchedTokens = n }
        return (m, g, engine)
    }
}
