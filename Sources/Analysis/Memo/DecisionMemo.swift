import Foundation
import Stats

/// The one-page decision memo: conclusion, evidence, risks, next actions.
/// Built once as sections, then rendered as Markdown or self-contained HTML.
public struct DecisionMemo: Sendable {
    public var report: AnalysisReport
    public var input: ExperimentInput

    public init(report: AnalysisReport, input: ExperimentInput) {
        self.report = report
        self.input = input
    }

    var title: String {
        let name = input.name ?? input.experimentID ?? "Experiment"
        if let id = input.experimentID, id != name { return "\(name) (\(id))" }
        return name
    }

    var conclusion: String {
        switch report.decision.verdict {
        case .launch: return "Launch \(report.decision.variant ?? "the treatment")"
        case .rollback: return "Roll back \(report.decision.variant ?? "the treatment")"
        case .hold: return "Hold"
        case .holdUnderpowered: return "Hold (underpowered)"
        }
    }

    var facts: [(String, String)] {
        var facts: [(String, String)] = []
        if let hypothesis = input.hypothesis { facts.append(("Hypothesis", hypothesis)) }
        if let status = input.status { facts.append(("Status", status)) }
        facts.append(("Analysis", input.analysisMode.map { $0 == "itt" ? "intent-to-treat (all assigned units)" : "exposed units only" } ?? "aggregated results"))
        if let primary = report.experiment.primaryMetric { facts.append(("Primary metric", primary)) }
        facts.append(("Health", report.health.status.rawValue))
        return facts
    }

    /// Evidence rows: metric, variant, control, treatment, absolute lift and its p, then the decision
    /// test: relative lift with its interval, p (adjusted when a correction applies) and ✓ when significant.
    var evidence: [[String]] {
        report.comparisons.map { c in
            let value: (Double?) -> String = { v in
                guard let v else { return "—" }
                return c.metricKind == .binary ? percent(v) : String(format: "%.3f", v)
            }
            let absolute = c.absoluteLift.map { c.metricKind == .binary ? signed($0 * 100, "pp") : signed($0, "") } ?? "—"
            var relative = c.relativeLift.map { signedPercent($0) } ?? "—"
            if let low = c.relCiLow, let high = c.relCiHigh { relative += " [\(signedPercent(low)), \(signedPercent(high))]" }
            if let cuped = c.cuped { relative += " (CUPED −\(percent(cuped.varianceReduction, digits: 0)) var.)" }
            let decisionP = c.adjustedPValue.map { p in
                formatP(p) + (p == c.relPValue ? "" : " (\(report.settings.correction.rawValue))") + (c.significant ? " ✓" : "")
            } ?? "—"
            return [c.metric + (c.role == .primary ? " ★" : c.role == .guardrail ? " (guardrail)" : ""), c.variant,
                    value(c.controlValue), value(c.treatmentValue), absolute, c.pValue.map(formatP) ?? "—", relative, decisionP,
                    c.chanceToBeatControl.map { percent($0, digits: 1) } ?? "—"]
        }
    }

    static let evidenceHeader = ["Metric", "Variant", "Control", "Treatment", "Abs. lift", "Abs. p", "Rel. lift [CI]", "p (decision test)", "Chance to beat"]

    /// The legend under the evidence table: which test decides and what ✓ means.
    var evidenceLegend: String {
        let settings = report.settings
        let test = settings.sequential
            ? "always-valid sequential test of the relative lift (safe to peek)"
            : "relative lift, delta method, Welch t (as GrowthBook)"
        let correction = settings.correction == .none ? "" : "; \(settings.correction.rawValue) correction across arms, with the interval widened to match"
        return "★ primary metric. Decision test: \(test)\(correction). ✓ significant at α = \(format(settings.alpha)): the interval excludes 0. Abs. p: pooled z-test (binary) or Welch (continuous) on the absolute difference, for reference."
    }

    /// The memo's prose, paragraph by paragraph: the conclusion, the risks, the next actions.
    public var commentary: [String] {
        ["\(conclusion)."] + risks + nextActions
    }

    var risks: [String] {
        var risks: [String] = []
        if let srm = report.srm {
            risks.append(srm.pValue < report.settings.srmWarningP
                ? "Sample-ratio mismatch: χ² = \(String(format: "%.2f", srm.chiSquare)), p = \(formatP(srm.pValue))."
                : "Sample ratio OK: p = \(formatP(srm.pValue)).")
        }
        risks += report.health.reasons.filter { !$0.contains("sample-ratio") }.map { "Health: \($0)." }
        if let quality = input.exposureQuality {
            risks.append("Exposure integrity: \(percent(quality.mismatchRate)) mismatched, \(percent(quality.preAssignmentRate)) pre-assignment, \(percent(quality.multiVariationRate)) multi-variation, \(percent(quality.outsideWindowRate)) outside the window (of \(quality.exposedUnits) exposed units).")
        }
        for g in report.guardrails {
            guard g.isChecked else {
                risks.append("Guardrail \(g.metric) in \(g.variant): not checked: no data.")
                continue
            }
            let delta = g.delta.map { g.deltaKind == "absolute" ? signed($0 * 100, "pp") : signedPercent($0) } ?? "no data"
            risks.append("Guardrail \(g.metric) in \(g.variant): \(g.status.rawValue) (\(delta)\(g.pValue.map { ", p = \(formatP($0))" } ?? "")).")
        }
        if let achieved = report.power.achievedPower {
            risks.append("Power: \(percent(achieved, digits: 0)) to detect a \(percent(report.power.minimumDetectableEffect, digits: 0)) relative effect\(report.power.requiredPerArm.map { "; \($0) users per arm needed for \(percent(report.settings.targetPower, digits: 0))" } ?? "").")
        }
        return risks
    }

    var nextActions: [String] {
        switch report.decision.verdict {
        case .launch:
            return ["Roll out \(report.decision.variant ?? "the treatment") to 100% and record the decision (ship).",
                    "Keep watching the guardrails for a week after rollout."]
        case .rollback:
            return ["Turn off \(report.decision.variant ?? "the treatment") and record the decision (kill).",
                    "Investigate the regression before any re-test."]
        case .holdUnderpowered:
            return ["Keep the experiment running until each arm reaches \(report.power.requiredPerArm.map(String.init) ?? "the required") users.",
                    "Do not read the result early; use the sequential option if you must peek."]
        case .hold:
            if report.health.status == .blocked || (report.srm?.pValue ?? 1) < report.settings.srmWarningP {
                return ["Fix the data problem named under Risks, then re-run the analysis.", "Do not ship on these numbers."]
            }
            return ["No launchable effect: decide whether the idea is worth a redesigned test.", "Resolve any guardrail issue before shipping."]
        }
    }
}

func signed(_ x: Double, _ unit: String) -> String {
    (x >= 0 ? "+" : "−") + String(format: "%.3g", abs(x)) + (unit.isEmpty ? "" : " \(unit)")
}

func signedPercent(_ x: Double) -> String {
    (x >= 0 ? "+" : "−") + String(format: "%.1f%%", abs(x) * 100)
}
