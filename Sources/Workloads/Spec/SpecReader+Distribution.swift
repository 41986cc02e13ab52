import Foundation

extension SpecReader {
    /// Parses a distribution object (`{distribution: lognormal, median: 25, sigma: 1.9, max: 8192}`)
    /// or a bare number (a constant).
    ///
    /// - Parameter vllm: Read with vLLM's `bench_dataset.py` rules: `uniform` needs
    ///   `0 < min <= max`, lognormal `mean` is the underlying normal's mean and must be
    ///   positive, `poisson` takes `alpha`; unknown keys are ignored as vLLM ignores them.
    func distribution(_ node: SpecNode, _ field: String, vllm: Bool = false) throws(WorkloadSpecError) -> Distribution {
        switch node.value {
        case .integer, .number:
            return .constant(try number(node, field))
        case .object:
            break
        default:
            throw error(node, field, "must be a number or a distribution mapping, got \(node.brief)")
        }
        guard let kindNode = node["distribution"] else {
            throw error(node, "\(field).distribution", "is missing")
        }
        let kind = try string(kindNode, "\(field).distribution")
        let common: Set<String> = ["distribution", "min", "max", "offset"]
        let parameters: [String: Set<String>] = [
            "constant": ["value"],
            "uniform": [],
            "exponential": ["mean"],
            "lognormal": ["mu", "mean", "sigma", "median", "average", "median_ratio"],
            "gamma": ["shape", "scale", "mean", "cv"],
            "weibull": ["shape", "scale"],
            "poisson": ["mean", "alpha"],
            "geometric": ["mean"],
            "zipf": ["alpha", "exponent"],
            "empirical": ["values", "weights", "file", "column", "weight_column"],
        ]
        guard let own = parameters[kind] else {
            throw error(
                kindNode, "\(field).distribution",
                "unknown distribution \"\(kind)\" (expected one of: \(parameters.keys.sorted().joined(separator: ", ")))"
            )
        }
        _ = try object(node, field, allowed: vllm ? nil : common.union(own))
        func value(_ key: String) -> SpecNode? { node[key] }
        func required(_ key: String) throws(WorkloadSpecError) -> SpecNode {
            guard let v = node[key] else { throw error(node, "\(field).\(key)", "is missing") }
            return v
        }
        var minimum: Double?
        var maximum: Double?
        var offset = 0.0
        if kind != "uniform" {
            if let m = value("min") { minimum = try number(m, "\(field).min") }
            if let m = value("max") { maximum = try number(m, "\(field).max") }
        }
        if let o = value("offset") { offset = try number(o, "\(field).offset") }
        let k: Distribution.Kind
        switch kind {
        case "constant":
            k = .constant(try number(try required("value"), "\(field).value"))
        case "uniform":
            let loNode = try required("min")
            let hiNode = try required("max")
            let lo = try number(loNode, "\(field).min")
            let hi = try number(hiNode, "\(field).max")
            if vllm, lo <= 0 {
                throw error(loNode, "\(field).min", "must be positive (vLLM asserts min > 0), got \(lo)")
            }
            guard lo <= hi else { throw error(node, field, "min (\(lo)) exceeds max (\(hi))") }
            if case .integer(let a) = loNode.value, case .integer(let b) = hiNode.value {
                k = .uniformInteger(min: a, max: b)
            } else {
                k = .uniform(min: lo, max: hi)
            }
        case "exponential":
            k = .exponential(mean: try positive(try required("mean"), "\(field).mean"))
        case "lognormal":
            k = try lognormal(node, field, vllm: vllm)
        case "gamma":
            if let meanNode = value("mean") {
                let mean = try positive(meanNode, "\(field).mean")
                let cv = try positive(try required("cv"), "\(field).cv")
                let shape = 1 / (cv * cv)
                k = .gamma(shape: shape, scale: mean / shape)
            } else {
                k = .gamma(
                    shape: try positive(try required("shape"), "\(field).shape"),
                    scale: try positive(try required("scale"), "\(field).scale"))
            }
        case "weibull":
            k = .weibull(
                shape: try positive(try required("shape"), "\(field).shape"),
                scale: try positive(try required("scale"), "\(field).scale"))
        case "poisson":
            let key = value("alpha") != nil ? "alpha" : "mean"
            k = .poisson(mean: try nonNegative(try required(key), "\(field).\(key)"))
        case "geometric":
            k = .geometric(mean: try number(try required("mean"), "\(field).mean"))
        case "zipf":
            let key = value("alpha") != nil ? "alpha" : "exponent"
            k = .zipf(exponent: try number(try required(key), "\(field).\(key)"))
        default:  // empirical
            k = .empirical(try empirical(node, field))
        }
        let d = Distribution(k, offset: offset, minimum: minimum, maximum: maximum)
        do throws(WorkloadSpecError) {
            try d.validate(field: field)
        } catch {
            throw self.error(node, error.field, error.reason)
        }
        return d
    }

    private func lognormal(_ node: SpecNode, _ field: String, vllm: Bool) throws(WorkloadSpecError) -> Distribution.Kind
    {
        if let averageNode = node["average"] {
            // vLLM: mu = ln(average * r), sigma = sqrt(2 ln(1/r)), r = median_ratio (default 0.85),
            // so that the distribution's mean equals `average`.
            if node["mu"] != nil || node["mean"] != nil || node["sigma"] != nil || node["median"] != nil {
                throw error(node, field, "give either average [+ median_ratio] or mean/mu/median + sigma, not both")
            }
            let average = try number(averageNode, "\(field).average")
            guard average >= 1 else {
                throw error(averageNode, "\(field).average", "must be at least 1, got \(average)")
            }
            var ratio = 0.85
            if let r = node["median_ratio"] { ratio = try number(r, "\(field).median_ratio") }
            guard ratio > 0, ratio < 1 else {
                throw error(node["median_ratio"] ?? node, "\(field).median_ratio", "must be in (0, 1), got \(ratio)")
            }
            return .lognormal(mu: log(average * ratio), sigma: (2 * log(1 / ratio)).squareRoot())
        }
        guard let sigmaNode = node["sigma"] else { throw error(node, "\(field).sigma", "is missing") }
        let sigma = try nonNegative(sigmaNode, "\(field).sigma")
        if let medianNode = node["median"] {
            return .lognormal(mu: log(try positive(medianNode, "\(field).median")), sigma: sigma)
        }
        let key = node["mu"] != nil ? "mu" : "mean"
        guard let muNode = node[key] else {
            throw error(node, "\(field).mu", "is missing (give mu or mean with sigma, median with sigma, or average)")
        }
        let mu = try number(muNode, "\(field).\(key)")
        if vllm, mu <= 0 {
            throw error(muNode, "\(field).\(key)", "must be positive (vLLM requires mean > 0), got \(mu)")
        }
        return .lognormal(mu: mu, sigma: sigma)
    }

    private func empirical(_ node: SpecNode, _ field: String) throws(WorkloadSpecError) -> EmpiricalDistribution {
        var values: [Double] = []
        var weights: [Double]?
        if let valuesNode = node["values"] {
            guard case .array(let items) = valuesNode.value, !items.isEmpty else {
                throw error(valuesNode, "\(field).values", "must be a non-empty list of numbers")
            }
            for (i, item) in items.enumerated() { values.append(try nonNegative(item, "\(field).values[\(i)]")) }
            if let w = node["weights"] {
                guard case .array(let ws) = w.value, ws.count == items.count else {
                    throw error(w, "\(field).weights", "must be a list of \(items.count) numbers")
                }
                var parsed: [Double] = []
                for (i, item) in ws.enumerated() { parsed.append(try nonNegative(item, "\(field).weights[\(i)]")) }
                weights = parsed
            }
        } else if let fileNode = node["file"] {
            let path = resolve(try string(fileNode, "\(field).file"))
            let column = try node["column"].map { n throws(WorkloadSpecError) in try string(n, "\(field).column") }
            let weightColumn = try node["weight_column"].map { n throws(WorkloadSpecError) in
                try string(n, "\(field).weight_column")
            }
            do throws(TraceParseError) {
                (values, weights) = try EmpiricalFile.load(path: path, column: column, weightColumn: weightColumn)
            } catch {
                throw self.error(fileNode, "\(field).file", error.description)
            }
        } else {
            throw error(node, "\(field).values", "is missing (give values [+ weights] or file [+ column])")
        }
        guard let e = EmpiricalDistribution(values: values, weights: weights) else {
            throw error(node, field, "needs at least one value and a positive total weight")
        }
        return e
    }
}

/// Loads the values of an empirical distribution from a file.
enum EmpiricalFile {
    /// One number per line (optionally `value,weight`; a first line that is not numeric is a
    /// header), or, with `column`, that column of a CSV file with a header.
    static func load(path: String, column: String?, weightColumn: String?) throws(TraceParseError)
        -> (values: [Double], weights: [Double]?)
    {
        var csv = try CSVTraceFile(path: path)
        var values: [Double] = []
        var weights: [Double] = []
        var hasWeights = weightColumn != nil
        if let column {
            try csv.readHeader(required: [column] + (weightColumn.map { [$0] } ?? []))
            while let (fields, context) = try csv.nextRow(expectedFields: csv.header.count) {
                values.append(try context.number(csv: csv.cell(fields, column), field: column, in: 0...1e15))
                if let w = weightColumn {
                    weights.append(try context.number(csv: csv.cell(fields, w), field: w, in: 0...1e15))
                }
            }
        } else {
            var first = true
            while let (fields, context) = try csv.nextRow(expectedFields: nil) {
                defer { first = false }
                if first, Double(fields[0].trimmingSpaces) == nil { continue }
                guard fields.count <= 2 else {
                    throw context.error(nil, "expected 'value' or 'value,weight', got \(fields.count) fields")
                }
                values.append(try context.number(csv: fields[0], field: "value", in: 0...1e15))
                if fields.count == 2 {
                    hasWeights = true
                    weights.append(try context.number(csv: fields[1], field: "weight", in: 0...1e15))
                } else if hasWeights {
                    throw context.error("weight", "is missing (earlier lines have weights)")
                }
            }
            if hasWeights, weights.count != values.count {
                throw TraceParseError(
                    file: path, line: 0, field: "weight", reason: "some lines have weights and some do not")
            }
        }
        guard !values.isEmpty else { throw TraceParseError(file: path, line: 0, field: nil, reason: "no values") }
        return (values, hasWeights ? weights : nil)
    }
}
