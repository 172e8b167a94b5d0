public import Foundation
public import Semantic
import Yams

/// Question → SQL pairs from a YAML file (`fixtures/planner/stub.yaml`), matched
/// exactly or after normalisation (case, punctuation, spacing). For tests and demos.
public struct StubPlanner: QueryPlanner {
    public let kind = PlannerChoice.stub
    let pairs: [(key: String, sql: String)]

    public init(pairs: [(question: String, sql: String)]) {
        self.pairs = pairs.map { (QuestionText($0.question).words.joined(separator: " "), $0.sql) }
    }

    public static func load(_ url: URL) throws(ContractError) -> StubPlanner {
        let file = try YAMLFile(url)
        var pairs: [(String, String)] = []
        for (position, item) in (file.root["pairs"]?.array() ?? []).enumerated() {
            guard let question = item["question"]?.string, let sql = item["sql"]?.string else {
                throw ContractError(file: url.path, line: item.mark?.line, field: "pairs[\(position)]", "Each pair needs `question` and `sql`.")
            }
            pairs.append((question, sql))
        }
        return StubPlanner(pairs: pairs)
    }

    public func plan(_ question: String, context: PlannerContext) async -> Plan {
        let key = QuestionText(question).words.joined(separator: " ")
        guard let match = pairs.first(where: { $0.key == key }) else {
            return Plan(planner: name, sql: nil, rationale: "No stub answer for this question.", suggestions: [])
        }
        return Plan(planner: name, sql: match.sql, rationale: "Stubbed answer from the stub planner file.")
    }
}
