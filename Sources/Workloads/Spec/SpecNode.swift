import Foundation
import Yams

/// A parsed spec document: JSON or YAML reduced to plain values, each with its source line
/// when known, so errors can point at it.
struct SpecNode {
    enum Value {
        case null
        case bool(Bool)
        case integer(Int)
        case number(Double)
        case string(String)
        case array([SpecNode])
        case object([(key: String, value: SpecNode)])
    }

    var value: Value
    var line: Int?

    subscript(key: String) -> SpecNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    var keys: [String] {
        guard case .object(let members) = value else { return [] }
        return members.map(\.key)
    }

    var brief: String {
        switch value {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        case .string(let s): return "\"\(s.prefix(40))\""
        case .array(let a): return "a list of \(a.count)"
        case .object: return "a mapping"
        }
    }

    /// Parses spec text: JSON when it starts with `{` or `[`, YAML otherwise.
    static func parse(text: String, file: String) throws(WorkloadSpecError) -> SpecNode {
        let first = text.unicodeScalars.first { !$0.properties.isWhitespace }
        if first == "{" || first == "[" {
            let bytes = Array(text.utf8)
            do throws(JSONParser.Failure) {
                return SpecNode(json: try JSONParser.parse(bytes))
            } catch {
                let line = bytes.prefix(error.offset).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                throw WorkloadSpecError(file: file, line: line, field: "", reason: error.reason)
            }
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw WorkloadSpecError(file: file, field: "", reason: "invalid YAML: \(error)")
        }
        guard let node else { throw WorkloadSpecError(file: file, field: "", reason: "empty spec") }
        return try SpecNode(yaml: node, file: file, depth: 0)
    }

    init(value: Value, line: Int?) {
        self.value = value
        self.line = line
    }

    init(json: JSONValue) {
        line = nil
        switch json {
        case .null: value = .null
        case .bool(let b): value = .bool(b)
        case .integer(let i): value = .integer(i)
        case .number(let d): value = .number(d)
        case .string(let s): value = .string(s)
        case .array(let a): value = .array(a.map(SpecNode.init(json:)))
        case .object(let m): value = .object(m.map { ($0.key, SpecNode(json: $0.value)) })
        }
    }

    init(yaml node: Node, file: String, depth: Int) throws(WorkloadSpecError) {
        line = node.mark?.line
        guard depth < 64 else {
            throw WorkloadSpecError(file: file, line: line, field: "", reason: "nesting deeper than 64")
        }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
                value = .string(scalar.string)
            } else if node.null != nil {
                value = .null
            } else if let b = node.bool {
                value = .bool(b)
            } else if let i = node.int {
                value = .integer(i)
            } else if let d = node.float {
                value = .number(d)
            } else {
                value = .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [SpecNode] = []
            for n in sequence { items.append(try SpecNode(yaml: n, file: file, depth: depth + 1)) }
            value = .array(items)
        case .mapping(let mapping):
            var members: [(key: String, value: SpecNode)] = []
            for (k, v) in mapping {
                guard let key = k.string else {
                    throw WorkloadSpecError(
                        file: file, line: k.mark?.line, field: "", reason: "mapping keys must be strings")
                }
                members.append((key, try SpecNode(yaml: v, file: file, depth: depth + 1)))
            }
            value = .object(members)
        case .alias:
            throw WorkloadSpecError(file: file, line: line, field: "", reason: "YAML aliases are not supported")
        }
    }
}

/// Typed field access with errors naming the spec file, line and field path.
struct SpecReader {
    let file: String
    /// Folder that relative file paths in the spec are resolved against.
    let folder: String

    func error(_ node: SpecNode?, _ field: String, _ reason: String) -> WorkloadSpecError {
        WorkloadSpecError(file: file, line: node?.line, field: field, reason: reason)
    }

    func object(_ node: SpecNode, _ field: String, allowed: Set<String>?) throws(WorkloadSpecError) -> SpecNode {
        guard case .object(let members) = node.value else {
            throw error(node, field, "must be a mapping, got \(node.brief)")
        }
        var seen = Set<String>()
        for m in members {
            let path = field.isEmpty ? m.key : "\(field).\(m.key)"
            guard seen.insert(m.key).inserted else { throw error(m.value, path, "appears twice") }
            if let allowed, !allowed.contains(m.key) {
                throw error(
                    m.value, path, "unknown field (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
        }
        return node
    }

    func number(_ node: SpecNode, _ field: String) throws(WorkloadSpecError) -> Double {
        switch node.value {
        case .integer(let i): return Double(i)
        case .number(let d) where d.isFinite: return d
        default: throw error(node, field, "must be a number, got \(node.brief)")
        }
    }

    func positive(_ node: SpecNode, _ field: String) throws(WorkloadSpecError) -> Double {
        let d = try number(node, field)
        guard d > 0 else { throw error(node, field, "must be a positive number, got \(d)") }
        return d
    }

    func nonNegative(_ node: SpecNode, _ field: String) throws(WorkloadSpecError) -> Double {
        let d = try number(node, field)
        guard d >= 0 else { throw error(node, field, "must be a non-negative number, got \(d)") }
        return d
    }

    func integer(_ node: SpecNode, _ field: String, in range: ClosedRange<Int>) throws(WorkloadSpecError) -> Int {
        let i: Int
        switch node.value {
        case .integer(let x): i = x
        case .number(let d) where d.rounded() == d && abs(d) < 9e18: i = Int(d)
        default: throw error(node, field, "must be an integer, got \(node.brief)")
        }
        guard range.contains(i) else {
            throw error(node, field, "must be in \(range.lowerBound)...\(range.upperBound), got \(i)")
        }
        return i
    }

    func string(_ node: SpecNode, _ field: String) throws(WorkloadSpecError) -> String {
        guard case .string(let s) = node.value else { throw error(node, field, "must be a string, got \(node.brief)") }
        return s
    }

    func bool(_ node: SpecNode, _ field: String) throws(WorkloadSpecError) -> Bool {
        guard case .bool(let b) = node.value else {
            throw error(node, field, "must be true or false, got \(node.brief)")
        }
        return b
    }

    func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : folder + "/" + relative
    }
}
