import ArgumentParser
import Foundation
import Reports
import Workloads

/// `tangram-sim profile`: inspect, synthesise and fit per-head KV retention profiles.
///
/// See docs/head-profiles.md for the file format and the statistics.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Inspect, synthesise and fit per-head KV retention profiles.",
        subcommands: [Stats.self, Synth.self, Fit.self])
}

extension ProfileCommand {
    /// `profile stats FILE`: rank stability, ratio percentiles, budgets and samples to settle.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Rank stability, ratio percentiles, budget vector and samples-to-settle of a profile CSV.")

        @Argument(
            help:
                "A profile CSV (columns sample,prompt_tokens,sink_tokens,window_tokens,layer,kv_head,kept_tokens,ratio); - reads standard input."
        )
        var file: String

        @Option(help: "Budget multiplier: b_h = clamp(mu_h + alpha * sigma_h, 0, 1).")
        var alpha: Double = HeadBudgets.defaultAlpha

        @Option(
            name: .customLong("calibration-samples"), help: "Calibrate budgets on the first N samples (default: all).")
        var calibrationSamples: Int?

        @Option(help: "Also write the statistics as JSON to this path; - writes only JSON, to standard output.")
        var json: String?

        func run() throws {
            // A bad file is reported as "Error: FILE:LINE: FIELD: ..." (exit 1); bad options as usage errors.
            let profile = try HeadProfileReader.read(path: file)
            let summary: HeadProfileSummary
            do {
                summary = try HeadProfileSummary(profile: profile, alpha: alpha, calibrationSamples: calibrationSamples)
            } catch {
                throw ValidationError(error.description)
            }
            if json == "-" {
                print(summary.jsonText(), terminator: "")
                return
            }
            print(summary.text(), terminator: "")
            if let json {
                try AtomicFile.write(summary.jsonText(), to: json)
            }
        }
    }

    /// `profile synth`: writes a synthetic profile CSV.
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synth",
            abstract: "Write a synthetic profile CSV generated from the compiled-in fitted parameters.")

        @Option(help: "Model: \(SyntheticHeadProfiles.models.joined(separator: ", ")).")
        var model: String

        @Option(help: "Scorer: snapkv, keydiff, ea, fastkvzip.")
        var scorer: String

        @Option(help: "Threshold layout: crosslayer or perlayer.")
        var layout: String = HeadProfileLayout.crosslayer.rawValue

        @Option(help: "Number of samples.")
        var samples: Int = 28

        @Option(help: "Seed of the GSL mt19937 generator.")
        var seed: UInt64 = 0

        @Option(name: [.short, .customLong("output")], help: "Output CSV path; - for standard output.")
        var output: String = "-"

        func run() throws {
            guard let scorerValue = HeadScorer(name: scorer) else {
                throw ValidationError(
                    "unknown scorer '\(scorer)'; known: \(HeadScorer.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let layoutValue = HeadProfileLayout(rawValue: layout.lowercased()) else {
                throw ValidationError("unknown layout '\(layout)'; known: crosslayer, perlayer")
            }
            let profile: HeadProfile
            do {
                profile = try SyntheticHeadProfiles.profile(
                    model: model, scorer: scorerValue, layout: layoutValue, samples: samples, seed: seed)
            } catch {
                throw ValidationError(error.description)
            }
            let text = profile.csvText()
            if output == "-" {
                print(text, terminator: "")
            } else {
                try AtomicFile.write(text, to: output)
            }
        }
    }

    /// `profile fit FILE...`: fits the synthetic model and prints the Swift table compiled into
    /// `Sources/Workloads/HeadProfiles/SyntheticHeadProfiles+Fitted.swift`.
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fit",
            abstract: "Fit synthetic-profile parameters to measured profiles and print them as Swift source.",
            discussion: """
                Files must be named <scorer>/<model>_<crosslayer|perlayer>.csv. The output is the whole \
                SyntheticHeadProfiles+Fitted.swift file: tangram-sim profile fit ../shared/head_profiles/*/*.csv
                """)

        @Argument(help: "Measured profile CSVs named <scorer>/<model>_<layout>.csv.")
        var files: [String]

        func run() throws {
            var fitted: [(key: SyntheticHeadProfileKey, source: String, parameters: SyntheticHeadProfileParameters)] =
                []
            for file in files {
                guard let key = SyntheticHeadProfileKey(measuredPath: file) else {
                    throw ValidationError(
                        "\(file): cannot tell scorer, model and layout from the name (<scorer>/<model>_<layout>.csv)")
                }
                let profile = try HeadProfileReader.read(path: file)
                let parts = file.split(separator: "/")
                let source = parts.suffix(2).joined(separator: "/")
                fitted.append((key, source, SyntheticHeadProfileParameters(fitting: profile)))
            }
            print(Self.swiftSource(fitted), terminator: "")
        }

        static func swiftSource(
            _ fitted: [(key: SyntheticHeadProfileKey, source: String, parameters: SyntheticHeadProfileParameters)]
        ) -> String {
            let modelOrder = SyntheticHeadProfiles.models
            let sorted = fitted.sorted {
                let a = (
                    modelOrder.firstIndex(of: $0.key.model)!, HeadScorer.allCases.firstIndex(of: $0.key.scorer)!,
                    HeadProfileLayout.allCases.firstIndex(of: $0.key.layout)!
                )
                let b = (
                    modelOrder.firstIndex(of: $1.key.model)!, HeadScorer.allCases.firstIndex(of: $1.key.scorer)!,
                    HeadProfileLayout.allCases.firstIndex(of: $1.key.layout)!
                )
                return a < b
            }
            // Prompt lists and layer lists are shared by every file of a model; name each once.
            var promptNames: [[Int]: String] = [:]
            var layerNames: [[Int]: String] = [:]
            var declarations: [String] = []
            func identifier(_ model: String) -> String {
                String(model.map { $0 == "-" || $0 == "." ? "_" : $0 })
            }
            var stemsOfPrompts: [[Int]: [String]] = [:]
            for f in sorted {
                let stem = String(f.source.split(separator: "/").last!.split(separator: "_").first!)
                if !(stemsOfPrompts[f.parameters.promptTokens] ?? []).contains(stem) {
                    stemsOfPrompts[f.parameters.promptTokens, default: []].append(stem)
                }
            }
            for f in sorted {
                let p = f.parameters
                if promptNames[p.promptTokens] == nil {
                    let name = identifier(f.key.model) + "PromptTokens"
                    promptNames[p.promptTokens] = name
                    declarations.append(
                        "    /// `prompt_tokens` of the \(p.promptTokens.count) calibration samples, in sample order "
                            + "(head_profiles/*/{\(stemsOfPrompts[p.promptTokens]!.joined(separator: ","))}_*.csv).\n"
                            + "    static let \(name) = \(p.promptTokens)")
                }
                if layerNames[p.layerIndices] == nil {
                    let name = identifier(f.key.model) + "Layers"
                    layerNames[p.layerIndices] = name
                    declarations.append(
                        "    /// Compressed (full-attention) layer indices listed in \(f.source).\n"
                            + "    static let \(name) = \(p.layerIndices)")
                }
            }
            func g(_ x: Double) -> String { String(format: "%.8g", x) }
            var entries: [String] = []
            for f in sorted {
                let p = f.parameters
                entries.append(
                    """
                            // Fitted by `tangram-sim profile fit` to head_profiles/\(f.source) (\(p.promptTokens.count) samples).
                            SyntheticHeadProfileKey(model: "\(f.key.model)", scorer: .\(f.key.scorer), layout: .\(f.key.layout)):
                                SyntheticHeadProfileParameters(
                                    layerIndices: \(layerNames[p.layerIndices]!), kvHeadsPerLayer: \(p.kvHeadsPerLayer), sinkTokens: \(p.sinkTokens),
                                    windowTokens: \(p.windowTokens), promptTokens: \(promptNames[p.promptTokens]!), meanRatio: \(g(p.meanRatio)),
                                    deadHeadFraction: \(g(p.deadHeadFraction)), logitMean: \(g(p.logitMean)),
                                    logitStandardDeviation: \(g(p.logitStandardDeviation)), levelIntercept: \(g(p.levelIntercept)),
                                    levelSlopeTokens: \(g(p.levelSlopeTokens)), deviationScale: \(g(p.deviationScale)),
                                    deviationExponent: \(g(p.deviationExponent))),
                    """)
            }
            return """
                // Generated by `tangram-sim profile fit ../shared/head_profiles/*/*.csv` (then `swift format -i`);
                // do not edit by hand.
                //
                // Source: the measured per-head retention profiles of aiha-lab/TANGRAM (commit 8e1cbfa5c,
                // tools/head_group_clustering/cluster_maps/<scorer>/<model>/profile{,_perlayer}.npz), as CSV
                // in ../shared/head_profiles/<scorer>/<model>_<layout>.csv. Each entry is
                // SyntheticHeadProfileParameters(fitting:) applied to the file named in its comment; the
                // fitting procedure is documented there and in docs/head-profiles.md.
                // Tests/WorkloadsTests/HeadProfilesSyntheticTests.swift refits every file when ../shared
                // exists and checks these numbers.

                extension SyntheticHeadProfiles {
                \(declarations.joined(separator: "\n\n"))

                    /// Fitted parameters per (model, scorer, layout).
                    static let fitted: [SyntheticHeadProfileKey: SyntheticHeadProfileParameters] = [
                \(entries.joined(separator: "\n"))
                    ]
                }

                """
        }
    }
}
