public import Foundation
import SQLParser
import Yams

/// Reads `semantic/contract/`: `index.yml` (roles, row policies, metrics) and
/// one `assets/NAME.yml` per asset. Every problem is reported with file, line
/// and field; unknown keys are errors, so a typo never silently widens access.
public enum ContractLoader {
    /// Loads the contract folder. A missing folder gives an empty contract,
    /// which denies everything.
    public static func load(directory: URL) throws(ContractError) -> SemanticContract {
        let index = directory.appendingPathComponent("index.yml")
        guard FileManager.default.fileExists(atPath: index.path) else { return SemanticContract() }
        let assetsDirectory = directory.appendingPathComponent("assets")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: assetsDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
            .sorted()
        var assets: [Asset] = []
        for file in files {
            assets.append(try loadAsset(assetsDirectory.appendingPathComponent(file)))
        }
        var seen: [String: String] = [:]
        for asset in assets {
            if let other = seen[asset.name] {
                throw ContractError(file: asset.file, field: "name", "Asset \(asset.name) is also defined in \(other); keep one file per asset.")
            }
            seen[asset.name] = asset.file
        }
        let names = Set(assets.map(\.name))
        for asset in assets {
            for relationship in asset.relationships where !names.contains(relationship.asset) {
                throw ContractError(file: asset.file, field: "relationships.to", "Relationship to unknown asset \(relationship.asset); add assets/\(relationship.asset).yml or fix the name.")
            }
        }
        let (roles, metrics, measures) = try loadIndex(index, assets: Dictionary(assets.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }))
        return SemanticContract(assets: assets, roles: roles, metrics: metrics, measures: measures)
    }

    // MARK: Assets

    static func loadAsset(_ url: URL) throws(ContractError) -> Asset {
        let reader = try YAMLFile(url)
        let root = try reader.mapping(reader.root, "the file", keys: ["name", "description", "grain", "primary_key", "owner", "synonyms", "columns", "relationships"])
        let name = try reader.string(root, "name")
        let expected = url.deletingPathExtension().lastPathComponent
        guard name == expected else {
            throw reader.error(root["name"], "name", "The asset is named \(name) but the file is \(url.lastPathComponent); name the file \(name).yml.")
        }
        guard name == Name.fold(name) else {
            throw reader.error(root["name"], "name", "Asset names are lowercase, as the warehouse's tables are: write \(Name.fold(name)).")
        }
        var columns: [Column] = []
        guard let columnNodes = root["columns"], case .sequence(let sequence) = columnNodes, !sequence.isEmpty else {
            throw reader.error(root["columns"] ?? reader.root, "columns", "An asset needs a non-empty list of columns.")
        }
        for (position, node) in sequence.enumerated() {
            let field = "columns[\(position)]"
            let column = try reader.mapping(node, field, keys: ["name", "type", "description", "pii", "allowed", "synonyms"])
            let type = try reader.string(column, "type", in: field)
            guard ["text", "integer", "real", "blob", "numeric"].contains(type) else {
                throw reader.error(column["type"], "\(field).type", "Unknown type \(type); use text, integer, real, numeric or blob.")
            }
            let parsed = Column(
                name: try reader.string(column, "name", in: field),
                type: type,
                description: try reader.string(column, "description", in: field),
                pii: try reader.bool(column, "pii", in: field),
                allowed: try reader.bool(column, "allowed", in: field),
                synonyms: try reader.stringList(column, "synonyms", in: field, required: false)
            )
            if columns.contains(where: { Name.fold($0.name) == Name.fold(parsed.name) }) {
                throw reader.error(column["name"], "\(field).name", "Column \(parsed.name) is listed twice.")
            }
            columns.append(parsed)
        }
        let primaryKey = try reader.stringList(root, "primary_key")
        for key in primaryKey where !columns.contains(where: { $0.name == key }) {
            throw reader.error(root["primary_key"], "primary_key", "Primary key column \(key) is not among the asset's columns.")
        }
        var relationships: [Relationship] = []
        if let node = root["relationships"] {
            for (position, item) in node.array().enumerated() {
                let field = "relationships[\(position)]"
                let mapping = try reader.mapping(item, field, keys: ["to", "on"])
                let target = try reader.string(mapping, "to", in: field)
                let on = try reader.mapping(mapping["on"] ?? item, "\(field).on", keys: nil)
                var pairs: [(String, String)] = []
                for (key, value) in on {
                    guard let from = key.string, let to = value.string else {
                        throw reader.error(value, "\(field).on", "Join keys are written `this_column: other_column`.")
                    }
                    guard columns.contains(where: { $0.name == from }) else {
                        throw reader.error(key, "\(field).on", "Join column \(from) is not among the asset's columns.")
                    }
                    pairs.append((from, to))
                }
                relationships.append(Relationship(asset: target, on: pairs))
            }
        }
        return Asset(
            name: name,
            description: try reader.string(root, "description"),
            grain: try reader.string(root, "grain"),
            primaryKey: primaryKey,
            owner: try reader.string(root, "owner"),
            columns: columns,
            synonyms: try reader.stringList(root, "synonyms", required: false),
            relationships: relationships,
            file: reader.path
        )
    }

    // MARK: Index

    static func loadIndex(_ url: URL, assets: [String: Asset]) throws(ContractError) -> ([Role], [MetricDefinition], [MeasureDefinition]) {
        let reader = try YAMLFile(url)
        let root = try reader.mapping(reader.root, "the file", keys: ["version", "roles", "metrics", "measures"])
        guard let version = root["version"]?.int, version == 1 else {
            throw reader.error(root["version"] ?? reader.root, "version", "Only contract version 1 is understood; write `version: 1`.")
        }
        var roles: [Role] = []
        let roleNodes = try reader.mapping(root["roles"] ?? reader.root, "roles", keys: nil)
        for (key, node) in roleNodes {
            guard let name = key.string, !name.isEmpty else { throw reader.error(key, "roles", "Role names are strings.") }
            let field = "roles.\(name)"
            let role = try reader.mapping(node, field, keys: ["description", "assets", "row_policies"])
            let names = try reader.stringList(role, "assets", in: field)
            for asset in names where assets[asset] == nil {
                throw reader.error(role["assets"], "\(field).assets", "Unknown asset \(asset); every asset needs a file in assets/.")
            }
            var policies: [String: String] = [:]
            if let policyNode = role["row_policies"] {
                for (assetKey, condition) in try reader.mapping(policyNode, "\(field).row_policies", keys: nil) {
                    guard let asset = assetKey.string, let sql = condition.string else {
                        throw reader.error(condition, "\(field).row_policies", "Row policies are written `asset: \"SQL condition\"`.")
                    }
                    guard names.contains(asset) else {
                        throw reader.error(assetKey, "\(field).row_policies.\(asset)", "A row policy for \(asset), which the role may not read at all; add it to the role's assets or remove the policy.")
                    }
                    do {
                        _ = try Parser.parseExpression(sql)
                    } catch {
                        throw reader.error(condition, "\(field).row_policies.\(asset)", "The row policy is not a valid SQL condition: \(error.message)")
                    }
                    policies[asset] = sql
                }
            }
            roles.append(Role(
                name: name,
                description: try reader.string(role, "description", in: field, required: false),
                assets: Set(names),
                rowPolicies: policies
            ))
        }
        var metrics: [MetricDefinition] = []
        for (position, node) in (root["metrics"]?.array() ?? []).enumerated() {
            let field = "metrics[\(position)]"
            let metric = try reader.mapping(node, field, keys: ["id", "name", "kind", "direction", "synonyms"])
            let kind = try reader.string(metric, "kind", in: field)
            guard kind == "binary" || kind == "continuous" else {
                throw reader.error(metric["kind"], "\(field).kind", "Metric kind is binary or continuous, not \(kind).")
            }
            let directionText = try reader.string(metric, "direction", in: field)
            guard let direction = MetricDefinition.Direction(rawValue: directionText) else {
                throw reader.error(metric["direction"], "\(field).direction", "Metric direction is increase or decrease, not \(directionText).")
            }
            metrics.append(MetricDefinition(
                id: try reader.string(metric, "id", in: field),
                name: try reader.string(metric, "name", in: field),
                kind: kind,
                direction: direction,
                synonyms: try reader.stringList(metric, "synonyms", in: field, required: false)
            ))
        }
        var measures: [MeasureDefinition] = []
        for (position, node) in (root["measures"]?.array() ?? []).enumerated() {
            let field = "measures[\(position)]"
            let measure = try reader.mapping(node, field, keys: ["id", "name", "description", "asset", "expression", "pooled", "metric_kinds", "synonyms"])
            let assetName = try reader.string(measure, "asset", in: field)
            guard let asset = assets[assetName] else {
                throw reader.error(measure["asset"], "\(field).asset", "Unknown asset \(assetName); a measure is computed from an asset in assets/.")
            }
            var expressions: [String] = [try reader.string(measure, "expression", in: field)]
            let pooled = try reader.string(measure, "pooled", in: field, required: false)
            if !pooled.isEmpty { expressions.append(pooled) }
            for (key, sql) in zip(["expression", "pooled"], expressions) {
                // Each expression parses and names only the asset's columns.
                do {
                    _ = try Parser.parseExpression(sql)
                } catch {
                    throw reader.error(measure[key], "\(field).\(key)", "The \(key) is not a valid SQL expression: \(error.message)")
                }
                let names = sql.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init)
                for name in names where name.contains("_") && asset.column(name) == nil {
                    throw reader.error(measure[key], "\(field).\(key)", "\(name) is not a column of \(assetName).")
                }
            }
            let kinds = try reader.stringList(measure, "metric_kinds", in: field, required: false)
            for kind in kinds where kind != "binary" && kind != "continuous" {
                throw reader.error(measure["metric_kinds"], "\(field).metric_kinds", "Metric kinds are binary or continuous, not \(kind).")
            }
            measures.append(MeasureDefinition(
                id: try reader.string(measure, "id", in: field),
                name: try reader.string(measure, "name", in: field),
                description: try reader.string(measure, "description", in: field, required: false),
                asset: assetName,
                expression: expressions[0],
                pooled: pooled.isEmpty ? nil : pooled,
                metricKinds: kinds,
                synonyms: try reader.stringList(measure, "synonyms", in: field, required: false)
            ))
        }
        return (roles, metrics, measures)
    }
}
