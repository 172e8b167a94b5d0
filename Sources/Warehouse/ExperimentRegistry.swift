public import Foundation
public import Semantic

/// The experiment lifecycle: intake, transitions (draft → review → running →
/// readout → shipped | killed) and recorded ship/kill decisions.
public struct ExperimentRegistry {
    let connection: any WritableWarehouseSession

    public init(connection: any WritableWarehouseSession) {
        self.connection = connection
    }

    public func list(status: String? = nil, ids: Set<String>? = nil) throws -> [ExperimentRecord] {
        var sql = "SELECT experiment_id FROM experiments"
        var arguments: [any DatabaseValueConvertible] = []
        if let status {
            sql += " WHERE status = ?"
            arguments.append(status)
        }
        sql += " ORDER BY experiment_id"
        return try connection.rows(sql, arguments).compactMap { $0[0].string }.filter { ids?.contains($0) ?? true }.compactMap { try get($0) }
    }

    public func get(_ id: String) throws -> ExperimentRecord? {
        guard let row = try connection.rows("SELECT experiment_id, name, hypothesis, primary_metric_id, status, owner, created_at, started_at, ended_at FROM experiments WHERE experiment_id = ?", [id]).first else { return nil }
        let variants = try connection.rows("SELECT variation_id, name, allocation, is_control FROM experiment_variants WHERE experiment_id = ? ORDER BY is_control DESC, variation_id", [id]).map {
            ExperimentRecord.Variant(id: $0[0].string ?? "", name: $0[1].string ?? "", allocation: $0[2].double ?? 0, isControl: $0[3].int64 == 1)
        }
        let decisions = try connection.rows("SELECT decision, rationale, decided_by, decided_at FROM experiment_decisions WHERE experiment_id = ? ORDER BY decided_at, decision_id", [id]).map {
            ExperimentRecord.RecordedDecision(decision: $0[0].string ?? "", rationale: $0[1].string, decidedBy: $0[2].string ?? "", decidedAt: $0[3].string ?? "")
        }
        return ExperimentRecord(id: row[0].string ?? "", name: row[1].string ?? "", hypothesis: row[2].string, primaryMetric: row[3].string, status: row[4].string ?? "",
                                owner: row[5].string, createdAt: row[6].string ?? "", startedAt: row[7].string, endedAt: row[8].string, variants: variants, decisions: decisions)
    }

    public func create(_ intake: ExperimentIntake, now: Date = Date()) throws -> ExperimentRecord {
        func invalid(_ field: String, _ message: String) -> WorkflowProblem { WorkflowProblem(kind: .invalid, field: field, message: "\(field): \(message)", allowed: []) }
        let name = intake.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else { throw invalid("name", "required, up to 200 characters.") }
        guard !intake.hypothesis.trimmingCharacters(in: .whitespaces).isEmpty else { throw invalid("hypothesis", "required: what should change, and why.") }
        guard !intake.owner.trimmingCharacters(in: .whitespaces).isEmpty else { throw invalid("owner", "required, a team handle such as team-growth.") }
        guard try connection.scalar("SELECT count(*) FROM metrics WHERE metric_id = ?", [intake.primaryMetric]).int64 ?? 0 > 0 else {
            let known = try connection.rows("SELECT metric_id FROM metrics ORDER BY 1").compactMap { $0[0].string }
            throw invalid("primaryMetric", "unknown metric \(intake.primaryMetric); one of \(known.joined(separator: ", ")).")
        }
        guard intake.variants.count >= 2 else { throw invalid("variants", "at least two (a control and a treatment).") }
        guard Set(intake.variants.map(\.id)).count == intake.variants.count, intake.variants.allSatisfy({ !$0.id.isEmpty }) else {
            throw invalid("variants", "every variant needs a distinct, non-empty id.")
        }
        guard intake.variants.filter(\.isControl).count == 1 else { throw invalid("variants", "exactly one variant must be the control (isControl: true).") }
        guard intake.variants.allSatisfy({ $0.allocation > 0 && $0.allocation <= 1 }) else { throw invalid("variants", "each allocation is a share in (0, 1].") }
        let total = intake.variants.map(\.allocation).reduce(0, +)
        guard abs(total - 1) < 1e-6 else { throw invalid("variants", "allocations must add up to 1 (they add up to \(total)).") }
        let id = intake.id ?? "exp_" + name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
            .split(separator: "_").joined(separator: "_").prefix(60)
        guard id.range(of: #"^[a-z0-9_\-]{1,64}$"#, options: .regularExpression) != nil else {
            throw invalid("experimentId", "lower-case letters, digits, _ and - only, up to 64 characters.")
        }
        guard try get(id) == nil else { throw WorkflowProblem(kind: .conflict, field: "experimentId", message: "An experiment \(id) already exists.", allowed: []) }
        let created = Timestamp.format(Int64(now.timeIntervalSince1970))
        try connection.transaction {
            try connection.execute("INSERT INTO experiments (experiment_id, name, hypothesis, primary_metric_id, status, owner, created_at) VALUES (?, ?, ?, ?, 'draft', ?, ?)",
                                   [id, name, intake.hypothesis, intake.primaryMetric, intake.owner, created])
            for variant in intake.variants {
                try connection.execute("INSERT INTO experiment_variants (experiment_id, variation_id, name, is_control, allocation) VALUES (?, ?, ?, ?, ?)",
                                       [id, variant.id, variant.name.isEmpty ? variant.id : variant.name, variant.isControl ? 1 : 0, variant.allocation])
            }
        }
        guard let record = try get(id) else { throw WorkflowProblem(kind: .notFound, field: nil, message: "The new experiment could not be read back.", allowed: []) }
        return record
    }

    public func transition(_ id: String, to target: String, now: Date = Date()) throws -> ExperimentRecord {
        guard let experiment = try get(id) else { throw WorkflowProblem(kind: .notFound, field: nil, message: "No experiment \(id).", allowed: []) }
        let allowed = ExperimentLifecycle.transitions[experiment.status] ?? []
        guard allowed.contains(target) else {
            throw WorkflowProblem(kind: .conflict, field: "to", message: "\(id) is \(experiment.status); it cannot move to \(target).", allowed: allowed)
        }
        let stamp = Timestamp.format(Int64(now.timeIntervalSince1970))
        switch target {
        case "running": try connection.execute("UPDATE experiments SET status = ?, started_at = coalesce(started_at, ?) WHERE experiment_id = ?", [target, stamp, id])
        case "readout": try connection.execute("UPDATE experiments SET status = ?, ended_at = coalesce(ended_at, ?) WHERE experiment_id = ?", [target, stamp, id])
        default: try connection.execute("UPDATE experiments SET status = ? WHERE experiment_id = ?", [target, id])
        }
        return try get(id) ?? experiment
    }

    public func decide(_ id: String, decision: String, rationale: String, by who: String, now: Date = Date()) throws -> ExperimentRecord {
        guard let experiment = try get(id) else { throw WorkflowProblem(kind: .notFound, field: nil, message: "No experiment \(id).", allowed: []) }
        guard decision == "ship" || decision == "kill" else { throw WorkflowProblem(kind: .invalid, field: "decision", message: "decision: ship or kill.", allowed: ["ship", "kill"]) }
        guard ["running", "readout"].contains(experiment.status) else {
            throw WorkflowProblem(kind: .conflict, field: "decision", message: "\(id) is \(experiment.status); decisions are recorded while it is running or in readout.", allowed: [])
        }
        let stamp = Timestamp.format(Int64(now.timeIntervalSince1970))
        try connection.execute("INSERT INTO experiment_decisions (decision_id, experiment_id, decision, rationale, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)",
                               ["dec_\(id)_\(Int64(now.timeIntervalSince1970 * 1000))", id, decision, rationale, who, stamp])
        return try get(id) ?? experiment
    }
}
