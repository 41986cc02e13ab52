import GPUModel
import PropertyBased
import Testing
import Workloads

@testable import TangramSim

/// A two-layer, four-head toy with a small window so that prompts of a few hundred tokens compress.
enum HeadwiseFixture {
    static let model = ModelSpec(
        name: "toy", hiddenSize: 64, layers: [.full, .full], queryHeads: 4, kvHeads: 4, headDim: 8,
        intermediateSize: 128, vocabSize: 100, tiedEmbeddings: true, source: "test fixture")

    /// Three samples of eight heads: a stable ranking with per-sample deviation.
    static let profile: HeadProfile = {
        let shapes: [[Double]] = [
            [0.9, 0.05, 0.4, 0.0, 0.2, 0.6, 0.01, 0.1],
            [0.8, 0.10, 0.5, 0.0, 0.1, 0.7, 0.02, 0.2],
            [1.0, 0.02, 0.3, 0.01, 0.3, 0.5, 0.0, 0.1],
        ]
        let samples = shapes.enumerated().map { k, r in
            HeadProfileSample(sampleID: k, promptTokens: 1000, sinkTokens: 4, windowTokens: 64, ratios: r,
                              keptTokens: r.map { 68 + Int($0 * 900) })
        }
        return HeadProfile(name: "fixture", layerIndices: [0, 1], kvHeadsPerLayer: 4, samples: samples)
    }()

    static var settings: CompressionSettings {
        var s = CompressionSettings()
        s.keptRatio = 0.3
        s.sinkTokens = 4
        s.windowTokens = 64
        s.floorTokens = 8
        s.headsPerGroup = 2
        return s
    }

    static func cache(policy: String, blocks: Int) throws -> HeadwiseKVCache {
        let p = try Policy.named(policy, settings: settings)
        let plan = KVMemoryPlan(weightBytesPerGPU: 0, activationBytesPerGPU: 0, budgetBytesPerGPU: 0,
                                groups: [KVGroup(layerCount: 2, windowTokens: nil)],
                                blockBytesPerGPU: 16 * 2 * 4 * 8 * 2 * 2, blockCount: blocks, tensorParallel: 1,
                                blockSizeTokens: 16)
        let groups = HeadGroups.make(layout: p.spec.layout, meanRatios: profile.meanRatios, layers: 2, kvHeads: 4)
        let table = RetentionTable(profile: profile, budget: p.spec.budget, groups: groups, alpha: 2,
                                   calibrationSamples: nil, reservation: settings.reservation)
        return HeadwiseKVCache(plan: plan, model: model, policy: p.spec, settings: settings, table: table)
    }

    /// The exact cell-pages a request needs, head by head: each group's page count is set by its
    /// longest head (brute force, for comparison with the closed form).
    static func exactPages(_ kv: HeadwiseKVCache, _ r: RequestState, tokens t: Int, monolithic: Bool) -> Int {
        guard r.compressedTokens > 0 else { return kv.cells * ceilDiv(t, 16) }
        let (v, b) = kv.retentionKey(r)
        let lengths = (0..<kv.cells).map { kv.kept(kv.table.cellRatio(variant: v, bin: b, cell: $0), r.compressedTokens) }
        let appended = t - r.compressedTokens
        if monolithic { return kv.cells * ceilDiv(lengths.max()! + appended, 16) }
        var pages = 0
        for (gi, g) in kv.table.groups.enumerated() {
            let groupLength = kv.kept(kv.table.groupMaxRatio(variant: v, bin: b, group: gi), r.compressedTokens)
            for c in g { #expect(groupLength >= lengths[c], "group shorter than a member head") }
            pages += g.count * ceilDiv(groupLength + appended, 16)
        }
        return pages
    }
}

@Suite struct HeadwiseKVCacheTests {
    static let policies = ["uniform", "nonuniform", "dynamic-fd", "tangram-sb", "tangram-sb-rp", "tangram",
                           "tangram-release"]

    /// Random admit / append (prefill chunks and decodes, which compress and reclaim) / free /
    /// preempt sequences: the pool never leaks, per-request pages add up to the pool's count,
    /// used <= allocated <= capacity, every request holds at least its exact per-head need, and
    /// reserved requests hold at least their compressed prompt from admission on.
    @Test(arguments: policies)
    func randomSequencesKeepTheBooks(policy: String) async throws {
        let spec = try Policy.named(policy, settings: HeadwiseFixture.settings).spec
        let monolithic = spec.layout == .monolithic
        await propertyCheck(count: 60, input: Gen.int(in: 0...4095).array(of: 1...80)) { codes in
            var kv = try! HeadwiseFixture.cache(policy: policy, blocks: 60)
            var live: [RequestState] = []
            var nextID = 0
            for code in codes {
                let op = code % 4, pick = code / 4
                switch op {
                case 0 where live.count < 4:  // admit with a first chunk
                    var r = RequestState(id: nextID, sessionSlot: nextID, sessionID: nextID, turn: 0,
                                         streamKey: UInt64(nextID + 1), arrivalNanoseconds: 0,
                                         promptTokens: 80 + pick % 700, maxOutputTokens: 50, groupCount: 1)
                    r.compressUpTo = r.promptTokens
                    nextID += 1
                    let n = min(r.promptTokens, 64 + pick % 200)
                    if kv.admits(r, hit: .none(groupCount: 1)), kv.allocate(&r, newTokens: n, hit: nil) {
                        if spec.reserveAtAdmission {
                            // Reservation covers the compressed prompt before any of it is computed.
                            var probe = r
                            probe.computedTokens = r.compressUpTo
                            kv.didComputeProbe(&probe)
                            #expect(r.cellPages >= HeadwiseFixture.exactPages(kv, probe, tokens: r.compressUpTo,
                                                                               monolithic: monolithic))
                        }
                        let old = r.computedTokens
                        r.computedTokens += n
                        kv.didCompute(&r, from: old)
                        live.append(r)
                    }
                case 1, 0:  // advance a live request by a chunk or a decode token
                    guard !live.isEmpty else { continue }
                    let i = pick % live.count
                    var r = live[i]
                    let remaining = r.promptTokens - r.computedTokens
                    let n = remaining > 0 ? min(remaining, 1 + pick % 128) : 1
                    if remaining <= 0 { r.outputTokens += 1 }
                    guard kv.allocate(&r, newTokens: n, hit: nil) else { live[i] = r; continue }
                    let old = r.computedTokens
                    r.computedTokens += n
                    kv.didCompute(&r, from: old)
                    #expect(r.cellPages >= HeadwiseFixture.exactPages(kv, r, tokens: r.computedTokens,
                                                                       monolithic: monolithic || r.regrown))
                    live[i] = r
                case 2:  // finish
                    guard !live.isEmpty else { continue }
                    var r = live.remove(at: pick % live.count)
                    kv.free(&r)
                default:  // preempt: free and recompute later from scratch
                    guard !live.isEmpty else { continue }
                    let i = pick % live.count
                    kv.free(&live[i])
                    live[i].recomputations += 1
                    live[i].compressUpTo = live[i].promptTokens
                }
                #expect(kv.allocatedCellPages == live.reduce(0) { $0 + $1.cellPages })
                #expect(kv.usedTokenCells == live.reduce(0) { $0 + $1.usedTokenCells })
                #expect(kv.allocatedCellPages <= kv.capacityCellPages)
                #expect(kv.usedBytes <= kv.allocatedBytes + 1e-6)
                #expect(kv.reservedCellPages >= 0)
            }
            for i in live.indices { kv.free(&live[i]) }
            #expect(kv.allocatedCellPages == 0 && kv.usedTokenCells == 0 && kv.reservedCellPages == 0)
        }
    }

    /// The residue closed form of ragged pages equals the brute-force sum over groups for any
    /// compressed context and any number of appended tokens.
    @Test func raggedClosedFormMatchesBruteForce() async throws {
        let kv = try HeadwiseFixture.cache(policy: "tangram", blocks: 10_000)
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_500_000)) { x in
            let c = 70 + x % 4931, a = (x / 4931) % 301
            var r = RequestState(id: 0, sessionSlot: 0, sessionID: 0, turn: 0, streamKey: 1, arrivalNanoseconds: 0,
                                 promptTokens: c, maxOutputTokens: 1, groupCount: 1)
            r.compressUpTo = c
            let shape = kv.compressedShape(r, context: c)
            r.compressedTokens = c; r.keptSum = shape.keptSum; r.maxKept = shape.maxKept
            r.basePages = shape.basePages; r.residues = shape.residues
            #expect(kv.compressiblePages(r, tokens: c + a, regrown: false)
                    == HeadwiseFixture.exactPages(kv, r, tokens: c + a, monolithic: false))
        }
    }

    /// What a decode reads: on ragged pages each cell's own kept tokens (the average over cells,
    /// worked out here head by head); on monolithic pages, one length per request, so every cell is
    /// read to the longest cell's kept length.
    @Test func monolithicDecodeReadsTheLongestHeadEverywhere() throws {
        let c = 900, appended = 5
        for policy in ["tangram-sb", "tangram-sb-rp"] {
            let kv = try HeadwiseFixture.cache(policy: policy, blocks: 10_000)
            var r = RequestState(id: 0, sessionSlot: 0, sessionID: 0, turn: 0, streamKey: 1, arrivalNanoseconds: 0,
                                 promptTokens: c, maxOutputTokens: appended + 1, groupCount: 1)
            r.compressUpTo = c
            r.computedTokens = c
            kv.didComputeProbe(&r)
            r.outputTokens = appended
            r.computedTokens = c + appended - 1
            let (v, b) = kv.retentionKey(r)
            let lengths = (0..<kv.cells).map { kv.kept(kv.table.cellRatio(variant: v, bin: b, cell: $0), c) }
            var w = StepWorkload()
            kv.describe(r, newTokens: 1, into: &w)
            #expect(w.decodeSequences == 1)
            let history = Double(appended - 1)
            let expected = policy == "tangram-sb"
                ? Double(lengths.max()!) + history + 1
                : Double(lengths.reduce(0, +)) / Double(kv.cells) + history + 1
            #expect(abs(w.fullDecodeKVTokens - expected) < 1e-9, "\(policy): \(w.fullDecodeKVTokens) vs \(expected)")
            #expect(lengths.max()! > lengths.min()!, "the fixture's heads keep different lengths")
        }
    }

    /// Dynamic admission waits for the whole uncompressed prompt; reservation admits on the
    /// compressed footprint.
    @Test func dynamicAdmissionIsFalselySaturated() throws {
        // 20 blocks = 160 cell-pages = 20 pages per cell: a 700-token prompt needs 44 uncompressed.
        let dynamic = try HeadwiseFixture.cache(policy: "dynamic-fd", blocks: 20)
        let reserved = try HeadwiseFixture.cache(policy: "tangram", blocks: 20)
        var r = RequestState(id: 0, sessionSlot: 0, sessionID: 0, turn: 0, streamKey: 1, arrivalNanoseconds: 0,
                             promptTokens: 700, maxOutputTokens: 1, groupCount: 1)
        r.compressUpTo = 700
        #expect(!dynamic.admits(r, hit: .none(groupCount: 1)))
        var reservedCopy = reserved
        #expect(reserved.admits(r, hit: .none(groupCount: 1)))
        #expect(reservedCopy.allocate(&r, newTokens: 64, hit: nil))
    }
}

extension HeadwiseKVCache {
    /// Applies a request's compression state for its computed tokens without touching the pool's
    /// counters (for tests that need the compressed shape of a hypothetical state).
    func didComputeProbe(_ r: inout RequestState) {
        let c = min(r.computedTokens, r.compressUpTo)
        let shape = compressedShape(r, context: c)
        r.compressedTokens = c; r.keptSum = shape.keptSum; r.maxKept = shape.maxKept
        r.basePages = shape.basePages; r.residues = shape.residues
    }
}
