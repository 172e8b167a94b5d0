public import Analysis
public import Foundation
public import Semantic

/// `/experiments`: one row per experiment the viewer's role may see, with the engine's health
/// badge and verdict, and the filters (status, owner) that were applied.
public struct ExperimentListView {
    public struct Item: Sendable {
        public var record: ExperimentRecord
        /// The engine's report; nil for an experiment without data yet.
        public var report: AnalysisReport?

        public init(record: ExperimentRecord, report: AnalysisReport?) {
            self.record = record
            self.report = report
        }
    }

    public var items: [Item]
    public var status: String?
    public var owner: String?
    /// Every owner among the experiments the viewer may see (the filter's choices).
    public var owners: [String]
    public var now: Date

    public init(items: [Item], status: String?, owner: String?, owners: [String], now: Date = Date()) {
        self.items = items
        self.status = status
        self.owner = owner
        self.owners = owners
        self.now = now
    }

    public func context() -> [String: Any] {
        let rows: [[String: Any]] = items.map { item in
            let record = item.record
            var row: [String: Any] = [
                "id": record.id, "name": record.name, "status": record.status, "owner": record.owner ?? "—",
                "primaryMetric": record.primaryMetric ?? "—", "days": Self.daysRunning(record, now: now).map(String.init) ?? "—",
            ]
            if let report = item.report, !report.arms.isEmpty {
                row["health"] = report.health.status.rawValue
                row["healthClass"] = Self.healthClass(report.health.status)
                row["verdict"] = report.decision.verdict.rawValue
            } else {
                row["verdict"] = "no data yet"
            }
            return row
        }
        return [
            "rows": rows, "hasRows": !rows.isEmpty,
            "statuses": ExperimentLifecycle.transitions.keys.sorted().map { ["value": $0, "selected": $0 == status] },
            "owners": owners.map { ["value": $0, "selected": $0 == owner] },
        ]
    }

    /// Whole days from the start to the end (or to `now` while it runs); nil before it starts.
    public static func daysRunning(_ record: ExperimentRecord, now: Date) -> Int? {
        guard let started = record.startedAt.flatMap(Timestamp.parse) else { return nil }
        let end = record.endedAt.flatMap(Timestamp.parse) ?? Int64(now.timeIntervalSince1970)
        return max(0, Int((end - started) / 86_400))
    }

    static func healthClass(_ status: AnalysisReport.HealthStatus) -> String {
        switch status {
        case .healthy: "ok"
        case .warning: "warn"
        case .blocked: "bad"
        }
    }
}
