/// Readouts about the registry: experiment details, lists, metrics, assets.
enum CatalogReadout {
    static func details(_ rows: Rows) -> String {
        // "How long did it run?": the span first.
        if rows.columns.contains("days_run"), let started = rows.string(0, "started_at") {
            guard let ended = rows.string(0, "ended_at"), let days = rows.double(0, "days_run") else {
                return "\(rows.text(0, "experiment_id")) started \(started) and has not ended, so it has no run length yet."
            }
            return "\(rows.text(0, "experiment_id")) ran \(ReadoutFormat.number(days)) days, from \(started) to \(ended)."
        }
        var text = "\(rows.text(0, "experiment_id")) — \"\(rows.text(0, "name"))\" is \(rows.text(0, "status")), owned by \(rows.text(0, "owner")). "
        if let hypothesis = rows.string(0, "hypothesis") { text += "Hypothesis: \(hypothesis) " }
        text += "Primary metric: \(rows.text(0, "primary_metric_id"))."
        if let started = rows.string(0, "started_at") { text += " Started \(started)" + (rows.string(0, "ended_at").map { ", ended \($0)." } ?? ", still open.") }
        else { text += " Not started yet." }
        return text
    }

    static func experiments(_ rows: Rows) -> String {
        // What the rows hold: status and owner, or when it was created or started ("which experiment was created most recently").
        let registry = ["status", "owner"].filter(rows.columns.contains)
        let details = registry.isEmpty ? ["created_at", "started_at"].filter(rows.columns.contains) : registry
        let items = (0..<rows.count).map { row -> String in
            let parts = details.map { column -> String in
                switch column {
                case "created_at": return "created " + rows.text(row, column)
                case "started_at": return "started " + rows.text(row, column)
                default: return rows.text(row, column)
                }
            }
            return parts.isEmpty ? rows.text(row, "experiment_id") : rows.text(row, "experiment_id") + " (" + parts.joined(separator: ", ") + ")"
        }
        return "\(rows.count) experiment\(rows.count == 1 ? "" : "s"): \(ReadoutFormat.list(items))."
    }

    static func metrics(_ rows: Rows) -> String {
        let items = (0..<rows.count).map { row -> String in
            let direction = rows.int(row, "higher_is_better") == 1 ? "higher is better" : "lower is better"
            let guardrail = rows.int(row, "is_guardrail") == 1 ? ", guardrail" : ""
            return "\(rows.text(row, "metric_id")) — \(rows.text(row, "name")) (\(rows.text(row, "kind")), \(direction)\(guardrail))"
        }
        return "\(rows.count) metric\(rows.count == 1 ? "" : "s"): \(ReadoutFormat.list(items))."
    }

    static func assets(_ rows: Rows) -> String {
        "You can ask about \(rows.count) assets: \(ReadoutFormat.list((0..<rows.count).map { rows.text($0, "asset_name") }))."
    }
}
