public import Analysis
public import Foundation
public import Governance
import Semantic
import Warehouse

/// An alert as recorded: a condition that began to hold for an experiment.
public struct RecordedAlert: Sendable, Equatable, Codable {
    public var id: Int64
    public var experimentID: String
    public var kind: String
    public var message: String
    public var details: [String: String]
    public var createdAt: String
}

extension ReadoutGateway {
    /// After a refresh: the alert conditions of `experiments` (every running or in-readout one when
    /// nil), each compared with what held last time. A condition that starts to hold is recorded
    /// once and returned; one that stops holding is forgotten, so it is recorded again if it returns.
    public func checkAlerts(_ experiments: Set<String>? = nil, settings: AlertSettings, now: Date = Date()) throws -> [RecordedAlert] {
        let workflow = try requireWorkflow()
        var analysis = workflow.analysis
        analysis.sequential = true  // alerts use the always-valid interval: peeking every refresh is safe
        let candidates = try workflow.reader.rows("SELECT experiment_id, status FROM experiments WHERE status IN ('running', 'readout') ORDER BY experiment_id")
            .compactMap { row -> (String, Bool)? in
                guard let id = row[0].string, experiments?.contains(id) ?? true else { return nil }
                return (id, row[1].string == "running")
            }
        var recorded: [RecordedAlert] = []
        let stamp = Timestamp.format(Int64(now.timeIntervalSince1970))
        for (id, running) in candidates {
            let input = try WarehouseExperiment.load(id, mode: .itt, from: workflow.reader)
            let report = Analyzer(configuration: analysis).analyze(input)
            let latest = try workflow.reader.rows(
                "SELECT date_day, exposure_rate FROM fct_experiment_exposure_quality_daily WHERE experiment_id = ? AND assigned_units > 0 AND exposure_rate IS NOT NULL ORDER BY date_day DESC LIMIT 1", [id]
            ).first.flatMap { row in row[1].double.map { (day: row[0].string ?? "", exposureRate: $0) } }
            let lastEvent = try workflow.reader.scalar("SELECT max(occurred_at) FROM fct_events WHERE experiment_id = ?", [id]).string
                .flatMap(Timestamp.parse).map { Date(timeIntervalSince1970: TimeInterval($0)) }
            let conditions = AlertRules.conditions(experiment: id, report: report, latestDay: latest, lastEvent: lastEvent, running: running, now: now, settings: settings)
            let held = Set(try workflow.writer.rows("SELECT kind FROM alert_state WHERE experiment_id = ? AND active = 1", [id]).compactMap { $0[0].string })
            let holding = Set(conditions.map(\.kind.rawValue))
            try workflow.writer.transaction {
                for condition in conditions where !held.contains(condition.kind.rawValue) {
                    let details = String(decoding: try JSONSerialization.data(withJSONObject: condition.details, options: [.sortedKeys]), as: UTF8.self)
                    let alertID = try workflow.writer.scalar(
                        "INSERT INTO alerts (experiment_id, kind, message, details, created_at) VALUES (?, ?, ?, ?, ?) RETURNING alert_id",
                        [id, condition.kind.rawValue, condition.message, details, stamp]
                    ).int64 ?? 0
                    recorded.append(RecordedAlert(id: alertID, experimentID: id, kind: condition.kind.rawValue,
                                                  message: condition.message, details: condition.details, createdAt: stamp))
                }
                for kind in AlertCondition.Kind.allCases.map(\.rawValue) where held.contains(kind) != holding.contains(kind) {
                    try workflow.writer.execute(
                        "INSERT INTO alert_state (experiment_id, kind, active, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (experiment_id, kind) DO UPDATE SET active = excluded.active, updated_at = excluded.updated_at",
                        [id, kind, holding.contains(kind) ? 1 : 0, stamp])
                }
            }
        }
        return recorded
    }

    /// Recorded alerts the caller may see, newest first; of one experiment when `experiment` is given.
    public func alerts(experiment: String? = nil, caller: Caller, limit: Int = 200) throws -> [RecordedAlert] {
        let workflow = try requireWorkflow()
        let visible = visibleExperiments(caller)
        var sql = "SELECT alert_id, experiment_id, kind, message, details, created_at FROM alerts"
        var arguments: [any DatabaseValueConvertible] = []
        if let experiment {
            sql += " WHERE experiment_id = ?"
            arguments.append(experiment)
        }
        sql += " ORDER BY alert_id DESC LIMIT \(max(1, limit) * 4)"
        return try workflow.reader.rows(sql, arguments).compactMap { row -> RecordedAlert? in
            guard let id = row[1].string, visible?.contains(id) ?? true else { return nil }
            let details = (row[4].string.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: String]) ?? [:]
            return RecordedAlert(id: row[0].int64 ?? 0, experimentID: id, kind: row[2].string ?? "", message: row[3].string ?? "", details: details, createdAt: row[5].string ?? "")
        }.prefix(limit).map { $0 }
    }
}
