public import Analysis
public import Foundation
public import Gateway
import Semantic

/// `/experiments/{id}`: the variant cards, participants, the decision test's significance meter,
/// verdict, health, charts, every comparison, guardrails, the readout's prose, the workflow moves
/// the viewer may make and the memo. Every number is the statistics engine's, formatted here only.
public struct ExperimentDetailView {
    public var overview: ExperimentOverview
    /// The experiment's recorded alerts, newest first.
    public var alerts: [RecordedAlert]
    public var now: Date

    public init(overview: ExperimentOverview, alerts: [RecordedAlert] = [], now: Date = Date()) {
        self.overview = overview
        self.alerts = alerts
        self.now = now
    }

    var report: AnalysisReport { overview.report }
    var record: ExperimentRecord { overview.record }

    /// The comparison that decides: the primary metric for the verdict's arm, else the primary
    /// comparison nearest to significance.
    var decisive: AnalysisReport.Comparison? {
        let primary = report.comparisons.filter { $0.role == .primary }
        if let variant = report.decision.variant, let match = primary.first(where: { $0.variant == variant }) { return match }
        return primary.min { decisionP($0) ?? 2 < decisionP($1) ?? 2 }
    }

    func decisionP(_ comparison: AnalysisReport.Comparison) -> Double? {
        comparison.adjustedPValue ?? comparison.relPValue ?? comparison.pValue
    }

    var isRate: Bool { report.arms.first?.conversions != nil }

    func value(_ number: Double?) -> String {
        guard let number else { return "—" }
        return isRate ? ReportFormat.percent(number) : String(format: "%.4g", number)
    }

    /// The numbers that change as data arrives, by the `data-field` name the page gives them: the
    /// page shows these and the live stream sends these, so the two cannot disagree.
    public func fields() -> [String: String] {
        var fields: [String: String] = [
            "participants": report.arms.reduce(0) { $0 + $1.users }.formatted(),
            "health": report.health.status.rawValue,
            "verdict": report.decision.verdict.rawValue,
        ]
        if let srm = report.srm { fields["srm"] = ReportFormat.p(srm.pValue) }
        for arm in report.arms {
            fields["users-\(arm.variant)"] = arm.users.formatted()
            if let conversions = arm.conversions { fields["conversions-\(arm.variant)"] = conversions.formatted() }
            fields["rate-\(arm.variant)"] = value(arm.rate)
        }
        for c in report.comparisons {
            let key = Self.key("cmp", c.metric, c.variant)
            fields["\(key)-control"] = format(c.controlValue, kind: c.metricKind)
            fields["\(key)-treatment"] = format(c.treatmentValue, kind: c.metricKind)
            fields["\(key)-lift"] = c.relativeLift.map(ReportFormat.signedPercent) ?? "—"
            fields["\(key)-interval"] = interval(c.relCiLow, c.relCiHigh)
            fields["\(key)-p"] = decisionP(c).map(ReportFormat.p) ?? "—"
            fields["\(key)-significant"] = c.significant ? "significant" : ""
        }
        for g in report.guardrails {
            let key = Self.key("guard", g.metric, g.variant)
            fields["\(key)-delta"] = g.delta.map { g.deltaKind == "absolute" ? String(format: "%+.3g pp", $0 * 100) : ReportFormat.signedPercent($0) } ?? "no data"
            fields["\(key)-p"] = g.pValue.map(ReportFormat.p) ?? "—"
            fields["\(key)-status"] = g.status.rawValue
        }
        if let decisive {
            let p = decisionP(decisive)
            fields["p-value"] = p.map(ReportFormat.p) ?? "—"
            fields["meter"] = String(format: "%.4f", max(0, min(1, 1 - (p ?? 1))))
            fields["significance-state"] = decisive.significant ? "Significant" : "Not significant yet"
            fields["lift"] = decisive.relativeLift.map(ReportFormat.signedPercent) ?? "—"
            fields["interval"] = interval(decisive.relCiLow, decisive.relCiHigh)
            fields["to-go"] = toGo()
        }
        return fields
    }

    /// A `data-field` name for a row: letters, digits, - and _ only.
    static func key(_ parts: String...) -> String {
        parts.map { String($0.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "-" }) }.joined(separator: "-")
    }

    func format(_ value: Double?, kind: ExperimentInput.MetricKind) -> String {
        guard let value else { return "—" }
        return kind == .binary ? ReportFormat.percent(value) : String(format: "%.4g", value)
    }

    /// The texts that change with the numbers, by the `data-list` name the page gives them.
    public func lists() -> [String: [String]] {
        ["health-reasons": report.health.reasons, "verdict-reasons": report.decision.reasons, "commentary": overview.commentary]
    }

    func interval(_ low: Double?, _ high: Double?) -> String {
        guard let low, let high else { return "—" }
        return "[\(ReportFormat.signedPercent(low)), \(ReportFormat.signedPercent(high))]"
    }

    /// What it would take to reach the power the settings ask for: users per arm still to come and,
    /// at the latest day's assignment rate, about how many days.
    func toGo() -> String {
        let effect = ReportFormat.percent(report.power.minimumDetectableEffect, digits: 0)
        let power = ReportFormat.percent(report.settings.targetPower, digits: 0)
        guard let required = report.power.requiredPerArm, let smallest = report.arms.map(\.users).min() else {
            return report.power.notes.first ?? "No sample-size figure for this metric."
        }
        let missing = required - smallest
        guard missing > 0 else {
            return "Each arm has the \(required.formatted()) users a \(effect) relative effect needs for \(power) power."
        }
        var text = "About \(missing.formatted()) more users per arm to detect a \(effect) relative effect with \(power) power (\(required.formatted()) per arm)"
        // The recent daily rate: the median of the last seven days with traffic (one odd day moves it little).
        let recent = overview.days.filter { $0.assigned > 0 }.suffix(7).map(\.assigned).sorted()
        if !recent.isEmpty, !report.arms.isEmpty {
            let perArmPerDay = Double(recent[recent.count / 2]) / Double(report.arms.count)
            let days = Int((Double(missing) / perArmPerDay).rounded(.up))
            text += ", about \(days) day\(days == 1 ? "" : "s") at the recent daily rate (\(Int(perArmPerDay.rounded()).formatted()) per arm, the median of the last \(recent.count) days with traffic)"
        }
        return text + "."
    }

    public func context(viewer: Viewer, flash: String? = nil, formError: String? = nil) -> [String: Any] {
        let fields = fields()
        let controls = Set(record.variants.filter(\.isControl).map(\.id))
        let names = Dictionary(record.variants.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var context: [String: Any] = [
            "id": record.id, "name": record.name, "status": record.status, "owner": record.owner as Any, "hypothesis": record.hypothesis as Any,
            "primaryMetric": report.experiment.primaryMetric ?? record.primaryMetric ?? "primary metric",
            "days": ExperimentListView.daysRunning(record, now: now).map(String.init) as Any,
            "mode": overview.mode.rawValue,
            "modeLabel": overview.mode == .itt ? "intent-to-treat (every assigned user)" : "exposed users only",
            "otherModeLabel": overview.mode == .itt ? "exposed users only" : "intent-to-treat",
            "otherModeLink": "/experiments/\(record.id)?mode=\(overview.mode == .itt ? "exposed" : "itt")",
            "noData": report.arms.isEmpty,
            "participants": fields["participants"] ?? "0",
            "health": report.health.status.rawValue, "healthClass": ExperimentListView.healthClass(report.health.status),
            "healthReasons": report.health.reasons,
            "verdict": report.decision.verdict.rawValue, "verdictReasons": report.decision.reasons,
            "verdictClass": report.decision.verdict == .launch ? "launch" : report.decision.verdict == .rollback ? "rollback" : "hold",
            "arms": report.arms.map { arm -> [String: Any] in
                [
                    "variant": arm.variant, "label": names[arm.variant] ?? arm.variant, "isControl": controls.contains(arm.variant),
                    "users": fields["users-\(arm.variant)"] ?? "", "hasConversions": arm.conversions != nil,
                    "conversions": fields["conversions-\(arm.variant)"] ?? "", "rate": fields["rate-\(arm.variant)"] ?? "—",
                    "valueLabel": isRate ? "Rate" : "Mean",
                ]
            },
            "comparisons": report.comparisons.map { c -> [String: Any] in
                let key = Self.key("cmp", c.metric, c.variant)
                return [
                    "key": key, "metric": c.metric, "role": c.role.rawValue, "variant": c.variant,
                    "control": fields["\(key)-control"] ?? "—", "treatment": fields["\(key)-treatment"] ?? "—",
                    "lift": fields["\(key)-lift"] ?? "—", "interval": fields["\(key)-interval"] ?? "—",
                    "pValue": fields["\(key)-p"] ?? "—", "significantText": fields["\(key)-significant"] ?? "",
                ]
            },
            "hasComparisons": !report.comparisons.isEmpty,
            "guardrails": report.guardrails.map { g -> [String: Any] in
                let key = Self.key("guard", g.metric, g.variant)
                return [
                    "key": key, "metric": g.metric, "variant": g.variant, "status": g.status.rawValue,
                    "statusClass": g.status == .ok ? "ok" : g.status == .worsened ? "warn" : g.status == .severe ? "bad" : "",
                    "delta": fields["\(key)-delta"] ?? "no data", "pValue": fields["\(key)-p"] ?? "—",
                ]
            },
            "hasGuardrails": !report.guardrails.isEmpty,
            "commentary": overview.commentary,
            "commentaryByLLM": overview.commentarySource == .llm,
            "commentaryNote": overview.commentaryNote as Any,
            "memo": overview.memo,
            "canDecide": viewer.canDecide,
            "moves": (ExperimentLifecycle.transitions[record.status] ?? []).map { ["to": $0] },
            "canRecordDecision": viewer.canDecide && (record.status == "running" || record.status == "readout"),
            "decisions": record.decisions.map { ["decision": $0.decision, "decidedBy": $0.decidedBy, "decidedAt": $0.decidedAt, "rationale": $0.rationale as Any] },
            "hasDecisions": !record.decisions.isEmpty,
        ]
        let alertList = AlertsView(alerts: alerts).context()
        context["alerts"] = alertList["alerts"]
        context["hasAlerts"] = !alerts.isEmpty
        if let srm = fields["srm"] { context["srm"] = srm }
        // The same drawings the live stream sends, under the names the template gives them.
        let charts = charts()
        for (name, key) in [("rates", "rateChart"), ("exposure", "exposureChart"), ("lift", "liftChart"), ("guardrails", "guardrailChart")] {
            if let chart = charts[name] { context[key] = chart }
        }
        context["historyRuns"] = String(Set(overview.history.map(\.run)).count)
        if let decisive {
            context["significance"] = [
                "metric": decisive.metric, "variant": names[decisive.variant] ?? decisive.variant,
                "meterValue": fields["meter"] ?? "0", "meterPercent": fields["p-value"] ?? "—",
                "state": fields["significance-state"] ?? "", "pValue": fields["p-value"] ?? "—",
                "alpha": ReportFormat.number(report.settings.alpha),
                "lift": fields["lift"] ?? "—", "interval": fields["interval"] ?? "—",
                "sequential": decisive.sequential?.pValue.map(ReportFormat.p) as Any,
                "toGo": fields["to-go"] ?? "",
            ] as [String: Any]
        }
        if let flash { context["flash"] = flash }
        if let formError { context["formError"] = formError }
        return context
    }

    /// The charts the live stream redraws, by the `data-chart` name the page gives them.
    public func charts() -> [String: String] {
        var charts = ["rates": RateChart(report: report).svg()]
        if let exposure = ExposureChart(days: overview.days).svg() { charts["exposure"] = exposure }
        if let lift = LiftHistoryChart(points: overview.history).svg() { charts["lift"] = lift }
        if let guardrails = GuardrailChart(report: report).svg() { charts["guardrails"] = guardrails }
        return charts
    }
}
