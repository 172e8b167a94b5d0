public import Foundation
public import Yams

/// One YAML file as a node tree with line numbers, and typed field readers
/// whose errors name the file, line and field. Every YAML file Readout reads
/// (contract, intents, stub plans, question sets, data checks, prompt examples,
/// readout.yaml) goes through it.
public struct YAMLFile {
    public let path: String
    public let root: Node

    /// - Parameter allowEmpty: an empty file reads as an empty mapping instead of an error.
    public init(_ url: URL, allowEmpty: Bool = false) throws(ContractError) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ContractError(file: url.path, "Cannot read the file as UTF-8 text: \(error.localizedDescription)")
        }
        try self.init(text: text, path: url.path, allowEmpty: allowEmpty)
    }

    /// YAML text read from `path` (named in errors).
    public init(text: String, path: String, allowEmpty: Bool = false) throws(ContractError) {
        self.path = path
        do {
            guard let node = try Yams.compose(yaml: text) else {
                if allowEmpty {
                    root = .mapping(Node.Mapping([]))
                    return
                }
                throw ContractError(file: path, line: 1, "The file is empty; it needs a YAML mapping.")
            }
            root = node
        } catch let error as ContractError {
            throw error
        } catch let error as YamlError {
            throw ContractError(file: path, line: Self.line(of: error), "Not valid YAML: \(error)")
        } catch {
            throw ContractError(file: path, "Not valid YAML: \(error)")
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    public func error(_ node: Node?, _ field: String, _ message: String) -> ContractError {
        ContractError(file: path, line: node?.mark?.line, field: field, message)
    }

    /// A mapping node; `keys` (when given) lists the keys allowed in it.
    public func mapping(_ node: Node, _ field: String, keys: Set<String>?) throws(ContractError) -> Node.Mapping {
        guard case .mapping(let mapping) = node else {
            throw error(node, field, "Expected a mapping (key: value lines) for \(field).")
        }
        if let keys {
            for key in mapping.keys {
                let name = key.string ?? ""
                if !keys.contains(name) {
                    throw error(key, field == "the file" ? name : "\(field).\(name)", "Unknown key \(name); expected one of: \(keys.sorted().joined(separator: ", ")).")
                }
            }
        }
        return mapping
    }

    public func string(_ mapping: Node.Mapping, _ key: String, in parent: String? = nil, required: Bool = true) throws(ContractError) -> String {
        let field = parent.map { "\($0).\(key)" } ?? key
        guard let node = mapping[key] else {
            if required { throw error(Node.mapping(mapping), field, "Missing required field \(key).") }
            return ""
        }
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            throw error(node, field, "\(key) must be a non-empty string.")
        }
        return scalar.string
    }

    public func bool(_ mapping: Node.Mapping, _ key: String, in parent: String) throws(ContractError) -> Bool {
        let field = "\(parent).\(key)"
        guard let node = mapping[key] else {
            throw error(Node.mapping(mapping), field, "Missing required field \(key); write \(key): true or \(key): false.")
        }
        guard let value = node.bool else { throw error(node, field, "\(key) must be true or false.") }
        return value
    }

    public func stringList(_ mapping: Node.Mapping, _ key: String, in parent: String? = nil, required: Bool = true) throws(ContractError) -> [String] {
        let field = parent.map { "\($0).\(key)" } ?? key
        guard let node = mapping[key] else {
            if required { throw error(Node.mapping(mapping), field, "Missing required field \(key).") }
            return []
        }
        guard case .sequence(let sequence) = node else { throw error(node, field, "\(key) must be a list, e.g. [a, b].") }
        var values: [String] = []
        for item in sequence {
            guard case .scalar(let scalar) = item else { throw error(item, field, "\(key) holds only strings.") }
            values.append(scalar.string)
        }
        return values
    }
}
