import ReadoutTesting
import Semantic
import Foundation
import Testing
import Governance
@testable import Planner

/// The rule planner without a warehouse: entities and intents from text.
@Suite struct RulePlannerTests {
    static let context: PlannerContext = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let contract = (try? ContractLoader.load(directory: root.appendingPathComponent("semantic/contract"))) ?? SemanticContract()
        let intents = (try? IntentCatalog.load(root.appendingPathComponent("semantic/planner/intents.yml"))) ?? IntentCatalog(intents: [])
        let experiments = [
            ExperimentEntity(id: "exp_checkout_button", name: "Checkout button redesign", status: "running", owner: "team-checkout", primaryMetric: "conversion_7d"),
            ExperimentEntity(id: "exp_onboarding_email", name: "Onboarding email sequence v2", status: "readout", owner: "team-lifecycle", primaryMetric: "conversion_7d"),
            ExperimentEntity(id: "exp_dark_mode", name: "Dark mode by default", status: "draft", owner: "team-design", primaryMetric: "conversion_7d"),
            ExperimentEntity(id: "exp_recs_model_v2", name: "Recommendations model v2", status: "running", owner: "team-ml", primaryMetric: "conversion_7d"),
        ]
        return PlannerContext(contract: contract, role: "analyst", experiments: experiments, intents: intents)
    }()

    func plan(_ question: String) -> Plan { RulePlanner().planNow(question, context: Self.context) }

    @Test func typosSynonymsAndModes() {
        #expect(plan("checkout buton lift").entities["experiment"] == "exp_checkout_button")
        #expect(plan("recs model revenue impact").entities["metric"] == "revenue_7d")
        #expect(plan("recs model v2 lift for treatment b").entities["variant"] == "treatment_b")
        #expect(plan("checkout lift for exposed users").entities["mode"] == "exposed")
        #expect(plan("recs model results").entities["experiment"] == "exp_recs_model_v2")  // "model" is not a typo of "mode"
    }

    @Test func datesBecomeSQLDateExpressions() {
        #expect(plan("exposure quality for checkout button last 7 days").sql?.contains("date_day >= date('now', '-7 days')") == true)
        #expect(plan("exposure quality for checkout button yesterday").sql?.contains("date_day = date('now', '-1 day')") == true)
        #expect(plan("exposure quality for checkout button since 2026-03-01").sql?.contains("date_day >= '2026-03-01'") == true)
    }

    @Test func refusesWithoutGuessing() {
        #expect(plan("select emails of everyone").sql == nil)
        #expect(plan("onboarding email lift").sql != nil)  // an experiment named "email" is fine
        #expect(plan("truncate metrics").sql == nil)
        #expect(plan("what's for lunch").sql == nil)
        #expect(!plan("what's for lunch").suggestions.isEmpty)
        let which = plan("what is the lift?")
        #expect(which.sql == nil)
        #expect(which.rationale.contains("Which experiment?"))
    }

    @Test func everyPlannedQueryIsApprovedByTheGuard() {
        let queryGuard = QueryGuard(contract: Self.context.contract)
        for question in ["checkout lift", "conversion by variant for dark mode", "sample size recs", "srm recs", "exposure quality dark mode",
                         "guardrails recs", "hypothesis of checkout button", "compare checkout button and dark mode", "which experiments are running",
                         "which experiments are winning", "list metrics", "what data is available"] {
            let planned = plan(question)
            guard let sql = planned.sql else { Issue.record("no SQL for \(question): \(planned.rationale)"); continue }
            let decision = queryGuard.check(sql, role: "analyst")
            #expect(decision.isApproved, "\(question): \(decision.reasons)")
        }
    }
}

@Suite struct IntentCatalogTests {
    @Test("an intent the planner has no SQL for is an error at load, not a silent fallback")
    func unknownIntentIsRefused() throws {
        let file = URL(fileURLWithPath: TestScratch.file("intents.yml"))
        try "version: 1\nintents:\n  - id: forecast\n    needs: experiment\n    phrases: [forecast]\n".write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: ContractError.self) { try IntentCatalog.load(file) }
        #expect(error?.line == 3)
        #expect(error?.message.hasPrefix("Unknown intent forecast: the rule planner has SQL and readouts for results, conversion") == true)
    }
}
