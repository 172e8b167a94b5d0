public import Semantic
public import Foundation
public import Governance
public import Planner
import Yams

/// Execution accuracy on a question set (Spider/BIRD style): each answer's rows must
/// contain the gold SQL's result (same rows; every gold column among the answer's,
/// row order and column names ignored, numbers compared to 9 significant digits).
public struct Evaluation: Sendable, Codable {
    public struct Item: Sendable, Codable {
        public var question: String
        public var intent: String
        public var gold: String?
        public var refuse: Bool
    }

    public struct Outcome: Sendable, Codable {
        public var question: String
        public var intent: String
        public enum Verdict: String, Sendable, Codable {
            case correct, wrong
            /// Should have answered.
            case refused
            /// Should have refused.
            case notRefused = "not_refused"
            /// The gold SQL itself did not run.
            case goldFailed = "gold_failed"
        }

        public var verdict: Verdict
        public var planner: String
        public var plannedIntent: String?
        public var detail: String
    }

    public var outcomes: [Outcome]
    public var seconds: Double
    /// Out-of-scope questions whose planned SQL named a table the role may not read (must be 0).
    public var forbiddenTouches: Int

    public var answerable: Int { outcomes.filter { $0.intent != "refuse" }.count }
    public var correct: Int { outcomes.filter { $0.intent != "refuse" && $0.verdict == .correct }.count }
    public var refusalsExpected: Int { outcomes.filter { $0.intent == "refuse" }.count }
    public var refusalsCorrect: Int { outcomes.filter { $0.intent == "refuse" && $0.verdict == .correct }.count }
    public var accuracy: Double { answerable == 0 ? 0 : Double(correct) / Double(answerable) }

    public static func load(_ url: URL) throws(ContractError) -> [Item] {
        let root = try YAMLFile(url).root
        var items: [Item] = []
        for (position, node) in (root["questions"]?.array() ?? []).enumerated() {
            guard let question = node["question"]?.string, let intent = node["intent"]?.string else {
                throw ContractError(file: url.path, line: node.mark?.line, field: "questions[\(position)]", "Each question needs `question` and `intent`.")
            }
            let refuse = node["refuse"]?.bool ?? false
            let gold = node["sql"]?.string
            if !refuse && gold == nil {
                throw ContractError(file: url.path, line: node.mark?.line, field: "questions[\(position)].sql", "Answerable questions need gold `sql`.")
            }
            items.append(Item(question: question, intent: intent, gold: gold, refuse: refuse))
        }
        return items
    }
}

extension ReadoutGateway {
    /// Runs every question with `planner` and compares with the gold SQL (both through the guard).
    public func evaluate(_ items: [Evaluation.Item], planner: PlannerChoice, role: RoleName = "analyst", goldFrom: ReadoutGateway? = nil) async -> Evaluation {
        let caller = Caller(principal: "eval", role: role, channel: .cli)
        let started = ContinuousClock.now
        var outcomes: [Evaluation.Outcome] = []
        var forbidden = 0
        let readable = contract.roles[role.rawValue]?.assets ?? []
        for item in items {
            let answer = await ask(item.question, caller: caller, planner: planner)
            var outcome = Evaluation.Outcome(question: item.question, intent: item.intent, verdict: .wrong, planner: answer.planner, plannedIntent: answer.intent, detail: "")
            if answer.tables.contains(where: { !readable.contains($0) }) { forbidden += item.refuse ? 1 : 0 }
            if item.refuse {
                outcome.verdict = answer.outcome == .approved ? .notRefused : .correct
                outcome.detail = answer.readout
            } else if let gold = item.gold {
                let expected = (goldFrom ?? self).runSQL(gold, caller: caller)
                if expected.outcome != .approved {
                    outcome.verdict = .goldFailed
                    outcome.detail = expected.readout
                } else if answer.outcome != .approved {
                    outcome.verdict = .refused
                    outcome.detail = answer.readout
                } else if Self.contains(answer, expected) {
                    outcome.verdict = .correct
                } else {
                    outcome.detail = "got \(answer.rows.count) rows × \(answer.columns.count) columns, expected \(expected.rows.count) × \(expected.columns.count); SQL: \(answer.sql ?? "")"
                }
            }
            outcomes.append(outcome)
        }
        let elapsed = ContinuousClock.now - started
        return Evaluation(outcomes: outcomes, seconds: Self.milliseconds(elapsed) / 1000, forbiddenTouches: forbidden)
    }

    typealias Item = Evaluation.Item

}
