public import Gateway

/// Recorded alerts as the pages list them (`/alerts`, and an experiment's own on its page).
public struct AlertsView {
    public var alerts: [RecordedAlert]

    public init(alerts: [RecordedAlert]) {
        self.alerts = alerts
    }

    var rows: [[String: Any]] {
        alerts.map { alert in
            ["id": String(alert.id), "createdAt": alert.createdAt, "experiment": alert.experimentID, "kind": alert.kind, "message": alert.message,
             "kindClass": alert.kind == "significant" ? "ok" : alert.kind == "srm" || alert.kind == "guardrail" ? "bad" : "warn"]
        }
    }

    public func context() -> [String: Any] {
        ["alerts": rows, "hasAlerts": !alerts.isEmpty]
    }
}
