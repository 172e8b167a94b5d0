import SQLParser
public import Foundation
import Semantic
import Mustache
public import Planner
import Yams

/// The planner's prompts, rendered from `prompts/*.mustache` with the contract as
/// the caller's role sees it: readable assets and columns only, never PII.
public struct PromptLibrary: Sendable {
    let library: MustacheLibrary
    let examples: [[String: String]]

    public init(directory: URL) throws(LLMError) {
        var library = MustacheLibrary()
        for name in ["planner_system", "planner_user", "planner_repair"] {
            let url = directory.appendingPathComponent("\(name).mustache")
            do {
                let text = try String(contentsOf: url, encoding: .utf8)
                try library.register(text, named: name)
            } catch {
                throw LLMError(.configuration, "Cannot load the prompt template \(url.path): \(error)")
            }
        }
        self.library = library
        var examples: [[String: String]] = []
        let examplesFile = directory.appendingPathComponent("examples.yaml")
        if FileManager.default.fileExists(atPath: examplesFile.path) {
            let root: Node
            do { root = try YAMLFile(examplesFile).root } catch { throw LLMError(.configuration, "The prompt examples are invalid: \(error)") }
            for item in root["examples"]?.array() ?? [] {
                if let question = item["question"]?.string, let sql = item["sql"]?.string {
                    examples.append(["question": question, "sql": sql, "rationale": item["rationale"]?.string ?? ""])
                }
            }
        }
        self.examples = examples
    }

    public func system(context: PlannerContext) -> String {
        let assets: [[String: Any]] = context.contract.readableAssets(for: context.role).map { asset in
            [
                "name": asset.name, "description": asset.description, "grain": asset.grain,
                "synonyms": asset.synonyms.joined(separator: ", "),
                "columns": asset.readableColumns.map { ["name": $0.name, "type": $0.type, "description": $0.description] },
                "joins": asset.relationships.map { relation in
                    relation.asset + " on " + relation.on.map { "\(asset.name).\($0.from) = \(relation.asset).\($0.to)" }.joined(separator: " and ")
                },
            ]
        }
        let metrics: [[String: Any]] = context.contract.metrics.map {
            ["id": $0.id, "name": $0.name, "kind": $0.kind, "direction": $0.direction == .increase ? "higher" : "lower", "synonyms": $0.synonyms.joined(separator: ", ")]
        }
        let measures: [[String: Any]] = context.contract.measures.map {
            ["id": $0.id, "name": $0.name, "description": $0.description, "asset": $0.asset, "expression": $0.expression,
             "pooled": $0.pooled ?? "", "kinds": $0.metricKinds.joined(separator: ", "), "synonyms": $0.synonyms.joined(separator: ", ")]
        }
        let object: [String: Any] = [
            "role": context.role, "assets": assets, "metrics": metrics, "measures": measures,
            "experiments": context.experiments.map { "\($0.id) (\($0.name))" }.joined(separator: ", "),
            "examples": examples,
            "engine": context.dialect.displayName, "postgresql": context.dialect == .postgresql,
        ]
        return library.render(object, withTemplate: "planner_system") ?? ""
    }

    public func user(question: String) -> String {
        library.render(["question": question], withTemplate: "planner_user") ?? question
    }

    public func repair(question: String, sql: String, reasons: [String]) -> String {
        library.render(["question": question, "sql": sql, "reasons": reasons], withTemplate: "planner_repair") ?? question
    }
}
