public import Foundation
public import Semantic
import Yams

/// The intents the rule planner can turn into SQL: each has a SQL shape and a readout in Swift,
/// so `intents.yml` may only name these (an unknown id is an error at load, never a silent fallback).
public enum IntentID: String, Sendable, CaseIterable, Codable {
    case results, conversion
    case sampleSize = "sample_size"
    case health
    case exposureQuality = "exposure_quality"
    case guardrails, details, compare
    case listExperiments = "list_experiments"
    case significantExperiments = "significant_experiments"
    case metrics, assets
    case verdict
    case power
}

/// The intents the rule planner understands, loaded from `semantic/planner/intents.yml`.
public struct IntentCatalog: Sendable {
    public struct Intent: Sendable {
        public enum Needs: String, Sendable { case experiment, twoExperiments = "two_experiments", nothing }
        public var id: IntentID
        public var needs: Needs
        /// Normalised phrases (see ``QuestionText``).
        public var phrases: [[String]]
        public var examples: [String]
    }

    public var intents: [Intent]

    public init(intents: [Intent]) {
        self.intents = intents
    }

    public static func load(_ url: URL) throws(ContractError) -> IntentCatalog {
        let root = try YAMLFile(url).root
        guard let list = root["intents"], case .sequence(let items) = list else {
            throw ContractError(file: url.path, line: 1, field: "intents", "Expected a list under `intents:`.")
        }
        var intents: [Intent] = []
        for (position, item) in items.enumerated() {
            let field = "intents[\(position)]"
            guard let name = item["id"]?.string, !name.isEmpty else {
                throw ContractError(file: url.path, line: item.mark?.line, field: "\(field).id", "Every intent needs an id.")
            }
            guard let id = IntentID(rawValue: name) else {
                throw ContractError(file: url.path, line: item["id"]?.mark?.line, field: "\(field).id",
                                    "Unknown intent \(name): the rule planner has SQL and readouts for \(IntentID.allCases.map(\.rawValue).joined(separator: ", ")) only.")
            }
            guard let needs = Intent.Needs(rawValue: item["needs"]?.string ?? "nothing") else {
                throw ContractError(file: url.path, line: item["needs"]?.mark?.line, field: "\(field).needs", "needs is experiment, two_experiments or nothing.")
            }
            let phrases = (item["phrases"]?.array() ?? []).compactMap(\.string).map { QuestionText($0).words }.filter { !$0.isEmpty }
            guard !phrases.isEmpty else {
                throw ContractError(file: url.path, line: item.mark?.line, field: "\(field).phrases", "Intent \(id) needs at least one phrase.")
            }
            intents.append(Intent(id: id, needs: needs, phrases: phrases, examples: (item["examples"]?.array() ?? []).compactMap(\.string)))
        }
        return IntentCatalog(intents: intents)
    }

    public func intent(_ id: IntentID) -> Intent? { intents.first { $0.id == id } }

    /// One example question per intent, for suggestions.
    public var suggestions: [String] { intents.compactMap(\.examples.first) }
}
