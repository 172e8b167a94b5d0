import Analysis
import Stats
import Foundation
import Warehouse

/// The terminal rendering of an analysis: health, decision, then one table of comparisons.
struct AnalysisTable {
    var report: AnalysisReport

    func render() -> String {
        var out = ""
        let title = [report.experiment.id, report.experiment.mode.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        if !title.isEmpty { out += title + "\n" }
        out += "Health: \(report.health.status.rawValue)\n"
        for reason in report.health.reasons { out += "  - \(reason)\n" }
        if let srm = report.srm { out += String(format: "SRM: chi-square %.3f, p = %@\n", srm.chiSquare, ResultTable.formatted(srm.pValue)) }
        out += "Decision: \(report.decision.verdict.rawValue)\(report.decision.variant.map { " \($0)" } ?? "")\n"
        for reason in report.decision.reasons { out += "  - \(reason)\n" }
        let rows: [[DatabaseValue]] = report.comparisons.map { c in
            [.text(c.metric), .text(c.variant), value(c.controlValue), value(c.treatmentValue), value(c.absoluteLift), value(c.pValue),
             value(c.relativeLift), value(c.relCiLow), value(c.relCiHigh), value(c.relPValue), value(c.adjustedPValue),
             .text(c.significant ? "yes" : "no"), value(c.chanceToBeatControl)]
        }
        if !rows.isEmpty {
            out += "\n" + ResultTable(columns: ["metric", "variant", "control", "treatment", "abs_lift", "abs_p_value", "rel_lift", "rel_ci_low", "rel_ci_high",
                                                "rel_p_value", "adj_p_value", "significant", "chance_to_beat"], rows: rows).aligned()
            out += "Decision test: \(report.settings.sequential ? "always-valid sequential" : "relative lift (delta method, Welch t)") at α = \(report.settings.alpha)"
            out += report.settings.correction == .none ? ".\n" : ", \(report.settings.correction.rawValue)-corrected across arms (interval widened to match).\n"
        }
        if !report.guardrails.isEmpty {
            out += "\nGuardrails:\n"
            for g in report.guardrails {
                let status = g.isChecked ? g.status.rawValue : "not checked: no data"
                out += "  \(g.metric) \(g.variant): \(status)\(g.delta.map { " (\(g.deltaKind) delta \(ResultTable.formatted($0)))" } ?? "")\n"
            }
        }
        if let required = report.power.requiredPerArm, let achieved = report.power.achievedPower {
            out += String(format: "\nPower: %.0f%% to detect %.0f%% relative; %d users per arm needed\n", achieved * 100, report.power.minimumDetectableEffect * 100, required)
        }
        return out
    }

    private func value(_ x: Double?) -> DatabaseValue { x.map(DatabaseValue.real) ?? .null }
}
