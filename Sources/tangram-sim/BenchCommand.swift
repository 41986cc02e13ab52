import ArgumentParser
import Foundation
import GPUModel
import TangramSim
import Workloads

/// `tangram-sim bench`: simulates a large fixed workload and reports the simulator's own speed.
///
/// The workload is the `chat` preset with a fixed seed and an arrival rate high enough to keep
/// the replica busy; the numbers go into docs/performance.md.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure simulator speed on a large fixed workload (build with -c release).")

    @Option(help: "Sessions to simulate (about 6 requests each).")
    var sessions = 20_000

    @Option(help: "Session arrival rate per second.")
    var rate = 8.0

    @OptionGroup var models: ModelOptions

    @Option(help: "Policy to run.")
    var policy = "vllm"

    func run() throws {
        let (model, gpu, engine) = try models.resolve()
        let p: Policy
        do { p = try Policy.named(policy) } catch { throw ValidationError(error.description) }
        var config = SyntheticChatConfig.chat(sessionCount: sessions, seed: 42)
        config.arrival = .poisson(ratePerSecond: rate)
        var source = SyntheticChatGenerator(config: config)
        let sim: Simulation
        do {
            sim = try Simulation(setup: SimulationSetup(model: model, gpu: gpu, tensorParallel: models.tp, engine: engine,
                                                        policy: p))
        } catch { throw ValidationError(error.description) }
        let clock = ContinuousClock()
        let start = clock.now
        let s = try sim.run(&source) { _ in }
        let e = clock.now - start
        let wall = Double(e.components.seconds) + Double(e.components.attoseconds) / 1e18
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1024
        print("workload: chat preset, \(sessions) sessions at \(rate)/s, seed 42; \(model.name) on \(gpu.name); policy \(p.name)")
        print("requests:        \(s.completedRequests)")
        print("iterations:      \(s.simIterations)")
        print("simulated:       \(String(format: "%.1f", s.simulatedDurationSeconds)) s")
        print("wall:            \(String(format: "%.3f", wall)) s")
        print("iterations/s:    \(String(format: "%.0f", Double(s.simIterations) / wall))")
        print("requests/s:      \(String(format: "%.0f", Double(s.completedRequests) / wall))")
        print("peak RSS:        \(String(format: "%.1f", peakMiB)) MiB")
    }
}
