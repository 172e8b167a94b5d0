public import Foundation
import Governance
public import Planner
public import Semantic
import Yams

/// An evaluation split (`fixtures/eval/dev.yaml`, the sealed `test.yaml`): each question says
/// what must happen — answered (gold SQL and/or strings the readout must mention), refused
/// (`personal_data`, `asset_not_allowed`, `not_read_only`) or not understood — and carries
/// tags for the categories it exercises (`measure:lift`, `filter:date`, …).
///
/// An answer is correct when it is approved and its rows **contain** the gold result: the same
/// number of rows, and every gold column appears among the answer's columns with the same values
/// row by row (order and names ignored, numbers to 9 significant digits). A refusal is correct
/// when the request is blocked; a "not understood" item when the planner declines (not planned,
/// or blocked). Precision is the share of answered questions that were answered correctly.
public struct SplitEvaluation: Sendable, Codable {
    public enum Expect: String, Sendable, Codable, CaseIterable {
        case answer, refuse
        case notUnderstood = "not_understood"
    }

    public struct Item: Sendable, Codable {
        public var id: String
        public var question: String
        public var persona: String?
        public var tags: [String]
        public var expect: Expect
        public var code: String?
        public var gold: String?
        public var mustMention: [String]
    }

    public struct Outcome: Sendable, Codable {
        public var id: String
        public var question: String
        public var tags: [String]
        public var expect: Expect
        /// How the gateway ended (`approved`, `blocked`, `not_planned`, …).
        public var outcome: String
        public var correct: Bool
        /// Whether a refusal carried the expected code (nil when no code was expected).
        public var codeMatched: Bool?
        public var detail: String
    }

    public struct Category: Sendable, Codable {
        public var name: String
        public var questions: Int
        public var correct: Int
        public var answered: Int
        public var answeredCorrectly: Int
        public var accuracy: Double { questions == 0 ? 0 : Double(correct) / Double(questions) }
        /// nil when nothing in the category was answered.
        public var precision: Double? { answered == 0 ? nil : Double(answeredCorrectly) / Double(answered) }
    }

    public var split: String
    public var outcomes: [Outcome]
    public var seconds: Double

    public var overall: Category { Self.category("all", outcomes) }
    public var byExpect: [Category] { Expect.allCases.map { expect in Self.category(expect.rawValue, outcomes.filter { $0.expect == expect }) } }
    public var byTag: [Category] {
        let tags = Set(outcomes.flatMap(\.tags)).sorted()
        return tags.map { tag in Self.category(tag, outcomes.filter { $0.tags.contains(tag) }) }
    }

    static func category(_ name: String, _ outcomes: [Outcome]) -> Category {
        let answered = outcomes.filter { $0.outcome == Answer.Outcome.approved.rawValue }
        return Category(name: name, questions: outcomes.count, correct: outcomes.filter(\.correct).count,
                        answered: answered.count, answeredCorrectly: answered.filter { $0.correct && $0.expect == .answer }.count)
    }

    /// Reads a split file; every problem names the file, line and field.
    public static func load(_ url: URL) throws(ContractError) -> [Item] {
        let file = try YAMLFile(url)
        guard let list = file.root["questions"], case .sequence(let nodes) = list else {
            throw ContractError(file: url.path, line: 1, field: "questions", "Expected a list under `questions:`.")
        }
        var items: [Item] = []
        for (position, node) in nodes.enumerated() {
            let field = "questions[\(position)]"
            guard let question = node["question"]?.string, !question.isEmpty else {
                throw ContractError(file: url.path, line: node.mark?.line, field: "\(field).question", "Each item needs a question.")
            }
            guard let expect = Expect(rawValue: node["expect"]?.string ?? "") else {
                throw ContractError(file: url.path, line: node.mark?.line, field: "\(field).expect", "expect is answer, refuse or not_understood.")
            }
            let gold = node["sql"]?.string
            let mentions = (node["must_mention"]?.array() ?? []).compactMap(\.string)
            if expect == .answer && gold == nil && mentions.isEmpty {
                throw ContractError(file: url.path, line: node.mark?.line, field: "\(field).sql", "An item to answer needs gold `sql` or `must_mention`.")
            }
            items.append(Item(
                id: node["id"]?.string ?? "q\(position + 1)", question: question, persona: node["persona"]?.string,
                tags: (node["tags"]?.array() ?? []).compactMap(\.string), expect: expect, code: node["code"]?.string,
                gold: gold, mustMention: mentions
            ))
        }
        return items
    }
}

extension ReadoutGateway {
    /// Asks every question of a split with `planner` and judges it (nothing is audited when the
    /// gateway has no audit log, as `readout eval` builds it).
    ///
    /// - Parameter goldFrom: where the gold SQL (written in SQLite's SQL) runs, when not here: a
    ///   SQLite warehouse built from the same seed, for evaluating a PostgreSQL warehouse.
    public func evaluate(split name: String, _ items: [SplitEvaluation.Item], planner: PlannerChoice, role: RoleName = "analyst",
                         goldFrom: ReadoutGateway? = nil) async -> SplitEvaluation {
        let started = ContinuousClock.now
        let caller = Caller(principal: "eval", role: role, channel: .cli)
        var outcomes: [SplitEvaluation.Outcome] = []
        for item in items {
            let answer = await ask(item.question, caller: caller, planner: planner)
            var outcome = SplitEvaluation.Outcome(id: item.id, question: item.question, tags: item.tags, expect: item.expect,
                                                  outcome: answer.outcome.rawValue, correct: false, codeMatched: nil, detail: "")
            switch item.expect {
            case .refuse:
                outcome.correct = answer.outcome == .blocked
                if let code = item.code, outcome.correct { outcome.codeMatched = answer.reasons.contains { $0.code.rawValue == code } }
                outcome.detail = answer.readout
            case .notUnderstood:
                outcome.correct = answer.outcome == .notPlanned || answer.outcome == .blocked
                outcome.detail = answer.readout
            case .answer:
                guard answer.outcome == .approved else {
                    outcome.detail = "not answered: \(answer.readout)"
                    break
                }
                var problems: [String] = []
                if let gold = item.gold {
                    let expected = (goldFrom ?? self).runSQL(gold, caller: caller, audited: false)
                    if expected.outcome != .approved {
                        problems.append("gold SQL failed: \(expected.readout)")
                    } else if !Self.contains(answer, expected) {
                        problems.append("rows differ: got \(answer.rows.count) × \(answer.columns.count), gold \(expected.rows.count) × \(expected.columns.count); SQL: \(answer.sql ?? "")")
                    }
                }
                let readout = answer.readout.lowercased()
                for mention in item.mustMention where !readout.contains(mention.lowercased()) {
                    problems.append("readout does not mention \(mention)")
                }
                outcome.correct = problems.isEmpty
                outcome.detail = problems.joined(separator: "; ")
            }
            outcomes.append(outcome)
        }
        return SplitEvaluation(split: name, outcomes: outcomes, seconds: (ContinuousClock.now - started).inSeconds)
    }

    /// Whether `answer`'s rows contain `gold`'s: same row count, and an assignment of every gold
    /// column to a distinct answer column under which the rows match as multisets.
    static func contains(_ answer: Answer, _ gold: Answer) -> Bool {
        guard answer.rows.count == gold.rows.count else { return false }
        if gold.rows.isEmpty { return true }
        let key = { (cell: Cell) -> String in
            switch cell {
            case .null: "∅"
            case .integer(let n): String(format: "%.9g", Double(n))
            case .real(let x): String(format: "%.9g", x)
            case .text(let t): "'" + t
            }
        }
        let answerColumns = (0..<answer.columns.count).map { column in answer.rows.map { key($0[column]) } }
        let goldColumns = (0..<gold.columns.count).map { column in gold.rows.map { key($0[column]) } }
        // Candidate answer columns per gold column: the same values as a multiset.
        let candidates = goldColumns.map { values in
            let sorted = values.sorted()
            return answerColumns.indices.filter { answerColumns[$0].sorted() == sorted }
        }
        if candidates.contains(where: \.isEmpty) { return false }
        let goldRows = (0..<gold.rows.count).map { row in goldColumns.map { $0[row] }.joined(separator: "\u{1F}") }.sorted()
        var chosen: [Int] = []
        func search(_ index: Int) -> Bool {
            if index == goldColumns.count {
                let rows = (0..<answer.rows.count).map { row in chosen.map { answerColumns[$0][row] }.joined(separator: "\u{1F}") }.sorted()
                return rows == goldRows
            }
            for column in candidates[index] where !chosen.contains(column) {
                chosen.append(column)
                if search(index + 1) { return true }
                chosen.removeLast()
            }
            return false
        }
        return search(0)
    }
}
