import ArgumentParser
import Foundation
import GPUModel
import TangramSim
import Workloads

/// `tangram-sim memory`: KV bytes one typical request needs under each page layout.
struct MemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "KV bytes one typical request needs under each page layout, and the fraction of full KV each frees.")

    @Option(help: "Model.")
    var model = "llama-3.1-8b"

    @Option(help: "Prompt length of the typical request, in tokens.")
    var prompt = 32_768

    @OptionGroup(title: "Compression") var compression: CompressionOptions

    @Option(help: "Seed of the built-in synthetic profile.")
    var seed: UInt64 = 1

    @Option(help: "Write JSON to this path ('-' for standard output) instead of a table.")
    var json: String?

    func run() throws {
        let m: ModelSpec
        do { m = try ModelCatalog.model(named: model) } catch { throw ValidationError("\(error)") }
        let settings = compression.settings(seed: seed)
        let profile: HeadProfile
        do {
            if let p = try compression.loadProfile() {
                profile = p
            } else {
                profile = try SyntheticHeadProfiles.profile(
                    model: m.name, scorer: settings.scorer, layout: settings.scope == .perlayer ? .perlayer : .crosslayer,
                    samples: 28, seed: seed)
            }
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode(2)
        }
        guard profile.headCount == m.fullAttentionLayerCount * m.kvHeads else {
            StandardError.write("error: profile \(profile.name) has \(profile.headCount) heads; \(m.name) has "
                + "\(m.fullAttentionLayerCount * m.kvHeads)\n")
            throw ExitCode(2)
        }
        let rows = MemoryLayouts.footprints(model: m, profile: profile, settings: settings, promptTokens: prompt)
        if let json {
            var text = "{\"model\":\"\(m.name)\",\"profile\":\"\(profile.name)\",\"prompt_tokens\":\(prompt),"
            text += "\"kept_ratio\":\(settings.keptRatio),\"heads_per_group\":\(settings.headsPerGroup),"
            text += "\"scope\":\"\(settings.scope.rawValue)\",\"layouts\":["
            text += rows.map { r in
                "{\"name\":\"\(r.name)\",\"bytes\":\(r.bytes),\"reclaimed_fraction\":\(r.reclaimedFraction),"
                    + "\"fragmentation_fraction\":\(r.fragmentationFraction),\"groups\":\(r.groups),"
                    + "\"block_table_entries\":\(r.blockTableEntries),"
                    + "\"block_table_entries_per_decode_step\":\(Double(r.groups) / 16)}"
            }.joined(separator: ",")
            text += "]}\n"
            if json == "-" { print(text, terminator: "") } else { try text.write(toFile: json, atomically: true, encoding: .utf8) }
            return
        }
        print("\(m.name), \(prompt)-token prompt, kept ratio \(settings.keptRatio), H_p \(settings.headsPerGroup) "
            + "(\(settings.scope.rawValue)), profile \(profile.name)")
        let header = ["layout", "KV MiB", "reclaimed", "fragmentation", "groups", "table entries"]
        var lines = [header]
        for r in rows {
            lines.append([r.name, String(format: "%.1f", r.bytes / 1_048_576), String(format: "%.1f%%", 100 * r.reclaimedFraction),
                          String(format: "%.1f%%", 100 * r.fragmentationFraction), "\(r.groups)",
                          String(format: "%.0f", r.blockTableEntries)])
        }
        let widths = header.indices.map { c in lines.map { $0[c].count }.max() ?? 0 }
        for (i, l) in lines.enumerated() {
            print(l.enumerated().map { c, v in c == 0 ? v.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[c] - v.count) + v }.joined(separator: "  "))
            if i == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
    }
}
