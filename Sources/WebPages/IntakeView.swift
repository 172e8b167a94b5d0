import Foundation
public import Semantic

/// `/experiments/new`: the intake form, with what was typed kept and every problem listed above it.
public struct IntakeView {
    public static let arms = 4

    /// Everything wrong with a submitted form, one message per problem.
    public struct Problems: Error {
        public var messages: [String]
    }
    public var fields: [String: String]
    public var errors: [String]
    public var metrics: [(id: String, name: String)]

    public init(fields: [String: String] = [:], errors: [String] = [], metrics: [(id: String, name: String)]) {
        self.fields = fields
        self.errors = errors
        self.metrics = metrics
    }

    public func context() -> [String: Any] {
        let chosen = fields["primaryMetric"] ?? metrics.first?.id
        let variants: [[String: Any]] = (1...Self.arms).map { index in
            let fallback: (String, String) = index == 1 ? ("control", "0.5") : index == 2 ? ("treatment", "0.5") : ("", "")
            let typed = fields["variant_id_\(index)"] != nil
            return ["index": String(index), "placeholder": index == 1 ? "control" : "treatment_\(index - 1)",
                    "id": typed ? fields["variant_id_\(index)"] ?? "" : fallback.0, "name": fields["variant_name_\(index)"] ?? "",
                    "allocation": typed ? fields["allocation_\(index)"] ?? "" : fallback.1]
        }
        return [
            "errors": errors, "name": fields["name"] ?? "", "experimentId": fields["experimentId"] ?? "", "hypothesis": fields["hypothesis"] ?? "",
            "owner": fields["owner"] ?? "", "variants": variants,
            "metrics": metrics.map { ["id": $0.id, "name": $0.name, "selected": $0.id == chosen] },
        ]
    }

    /// The intake the form describes, or the problems with it (each naming the field).
    public static func intake(_ fields: [String: String]) -> Result<ExperimentIntake, Problems> {
        var errors: [String] = []
        func text(_ name: String) -> String { (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        if text("name").isEmpty { errors.append("Name: required.") }
        if text("hypothesis").isEmpty { errors.append("Hypothesis: required — what should change, and why.") }
        if text("owner").isEmpty { errors.append("Owner: required, a team handle such as team-growth.") }
        var variants: [(id: String, name: String, allocation: Double, isControl: Bool)] = []
        for index in 1...arms {
            let id = text("variant_id_\(index)")
            let allocation = text("allocation_\(index)")
            if id.isEmpty && allocation.isEmpty { continue }
            guard !id.isEmpty else { errors.append("Arm \(index): an id is needed with allocation \(allocation)."); continue }
            guard let share = Double(allocation), share > 0, share <= 1 else {
                errors.append("Arm \(index) (\(id)): the allocation is a share between 0 and 1, e.g. 0.5 (got \(allocation.isEmpty ? "nothing" : allocation)).")
                continue
            }
            variants.append((id, text("variant_name_\(index)"), share, variants.isEmpty))
        }
        if variants.count < 2 && errors.allSatisfy({ !$0.hasPrefix("Arm") }) { errors.append("Arms: at least two, a control (the first) and a treatment.") }
        guard errors.isEmpty else { return .failure(Problems(messages: errors)) }
        let id = text("experimentId")
        return .success(ExperimentIntake(id: id.isEmpty ? nil : id, name: text("name"), hypothesis: text("hypothesis"),
                                         primaryMetric: text("primaryMetric"), owner: text("owner"), variants: variants))
    }
}
