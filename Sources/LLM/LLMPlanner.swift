import Foundation
import Semantic
public import Planner

/// The LLM planner: renders the prompts, asks the model for `{"sql", "rationale"}`
/// JSON, and returns its SQL as a plan. It executes nothing; the gateway runs the
/// SQL through the guard, asks for one repair when the guard refuses, and falls
/// back to the rule planner on any failure.
public struct LLMPlanner: RepairablePlanner {
    public let kind = PlannerChoice.llm
    let client: any LLMClient
    let prompts: PromptLibrary

    public init(client: any LLMClient, prompts: PromptLibrary) {
        self.client = client
        self.prompts = prompts
    }

    public func plan(_ question: String, context: PlannerContext) async -> Plan {
        await ask(system: prompts.system(context: context), user: prompts.user(question: question))
    }

    public func repair(_ question: String, context: PlannerContext, previous sql: String, reasons: [String]) async -> Plan {
        await ask(system: prompts.system(context: context), user: prompts.repair(question: question, sql: sql, reasons: reasons))
    }

    func ask(system: String, user: String) async -> Plan {
        let text: String
        do {
            text = try await client.complete(system: system, user: user)
        } catch {
            return Plan(planner: name, sql: nil, rationale: "The model call failed (\(error.description)).", failure: error.code.rawValue)
        }
        guard let reply = Self.parse(text) else {
            return Plan(planner: name, sql: nil, rationale: "The model's answer was not the required JSON object.", failure: LLMError.Code.malformed.rawValue)
        }
        guard let sql = reply.sql, !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return Plan(planner: name, sql: nil, rationale: reply.rationale.isEmpty ? "The model returned no SQL." : reply.rationale, failure: LLMError.Code.noSQL.rawValue)
        }
        return Plan(planner: name, sql: sql, rationale: reply.rationale)
    }

    /// `{"sql": …, "rationale": …}`, also when wrapped in a code fence or surrounded by prose.
    static func parse(_ text: String) -> (sql: String?, rationale: String)? {
        guard let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"), start < end else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text[start...end].utf8)) as? [String: Any] else { return nil }
        guard object.keys.contains("sql") else { return nil }
        return (object["sql"] as? String, object["rationale"] as? String ?? "")
    }
}
