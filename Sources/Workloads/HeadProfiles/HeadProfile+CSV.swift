import Foundation

extension HeadProfile {
    /// The profile as CSV text in the format ``HeadProfileReader`` reads (header, then one row per
    /// sample, layer and KV head in that order; ratios with 6 decimals, as in the measured files).
    ///
    /// Reading the text back gives an equal profile when every ratio already has at most 6
    /// decimals, as synthetic profiles do.
    public func csvText() -> String {
        var out = HeadProfileReader.header + "\n"
        out.reserveCapacity(out.utf8.count + sampleCount * headCount * 48)
        for sample in samples {
            let prefix = "\(sample.sampleID),\(sample.promptTokens),\(sample.sinkTokens),\(sample.windowTokens),"
            for h in 0..<headCount {
                let id = head(at: h)
                out += prefix
                out += "\(id.layer),\(id.kvHead),\(sample.keptTokens[h]),"
                out += String(format: "%.6f", sample.ratios[h])
                out += "\n"
            }
        }
        return out
    }
}
