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
        return PlannerContext(contract: contract, role: "analyst", experiments: experiments, intents: intents, today: "2026-10-22")
    }()

    func plan(_ question: String) -> Plan { RulePlanner().planNow(question, context: Self.context) }

    @Test("a word the planner does not understand makes it decline, naming the word", arguments: [
        ("conversion rate by country for the checkout button", "'country'"),
        ("what's the NPS impact of onboarding email v2?", "'nps'"),
        ("7-day retention for checkout button, treatment vs control", "'retention'"),
        ("checkout lift on mobile vs desktop?", "'mobile', 'desktop'"),
    ])
    func declinesUnknownWords(question: String, words: String) {
        let plan = plan(question)
        #expect(plan.sql == nil, "\(question)")
        #expect(plan.rationale.hasPrefix("I don't know \(words), so I won't guess."), "\(plan.rationale)")
        #expect(!plan.suggestions.isEmpty)
    }

    @Test("count questions are answered with a count; 'live' means running; 'slower' is latency")
    func shapesAndSynonyms() {
        #expect(plan("how many experiments are live right now?").sql == "SELECT count(*) AS experiments FROM experiments WHERE status = 'running'")
        let slower = plan("is treatment_b in the recs test slower than control?")
        #expect(slower.entities["metric"] == "latency_ms" && slower.entities["variant"] == "treatment_b")
        #expect(slower.sql?.contains("r.is_control = 0 AND r.variation_id = 'treatment_b'") == true)
        #expect(plan("revenue per user in recs model v2 by arm").sql?.contains("n_converted, mean_value, ") == true)
    }

    @Test("'is it powered?' reads the achieved power and the sample it needs, not the lift")
    func powerQuestions() {
        let powered = plan("is the checkout button test properly powered?")
        #expect(powered.sql?.contains("achieved_power") == true, "\(powered.rationale)")
        #expect(powered.sql?.contains("required_users_per_arm") == true)
        #expect(powered.sql?.contains("exp_checkout_button") == true)
    }

    @Test("'mean latency for control vs treatment' is each arm's mean; 'mean latency lift' stays a lift")
    func meansPerArm() {
        let mean = plan("mean page load latency for control vs treatment in checkout button")
        #expect(mean.sql?.contains("n_converted, mean_value, ") == true, "\(mean.sql ?? mean.rationale)")
        #expect(mean.sql?.contains("metric_id = 'latency_ms'") == true)
        #expect(mean.sql?.contains(" AND variation_id = ") == false && mean.sql?.contains("(variation_id = ") == false)
        let lift = plan("mean latency lift in checkout button")
        #expect(lift.sql?.contains("uplift_rel") == true, "\(lift.sql ?? lift.rationale)")
    }

    @Test("words that name the experiment are not requests: 'recommendations model v2' is not a 'recommendation'")
    func experimentNamesAreNotIntents() {
        let plan = plan("recomendations model v2: how much did treatment move conversion vs control in absolute terms?")
        #expect(plan.intent == .results, "\(plan.rationale)")
        #expect(plan.entities["experiment"] == "exp_recs_model_v2")
        #expect(self.plan("what do you recommend for recs model v2?").intent == .verdict)
    }

    @Test("questions across experiments keep their status and owner filters and ask for results, not the list")
    func scopedQuestionsAcrossExperiments() {
        let significant = plan("which running experiments are significant?")
        #expect(significant.sql?.contains("status = 'running'") == true, "\(significant.sql ?? significant.rationale)")
        #expect(significant.sql?.contains("is_significant = 1") == true)
        let lift = plan("lift for running experiments")
        #expect(lift.intent == .significantExperiments)
        #expect(lift.sql?.contains("uplift_rel") == true && lift.sql?.contains("is_significant = 1") == false, "\(lift.sql ?? lift.rationale)")
        let winning = plan("which experiments owned by team-checkout are winning?")
        #expect(winning.sql?.contains("owner = 'team-checkout'") == true, "\(winning.sql ?? winning.rationale)")
        #expect(plan("verdicts for experiments in draft").sql?.contains("FROM fct_experiment_verdicts WHERE analysis_mode = 'itt' AND experiment_id IN (SELECT experiment_id FROM experiments WHERE status = 'draft')") == true)
        #expect(plan("which experiments are running?").intent == .listExperiments)
    }

    @Test("two treatment arms named: a lift between them is declined; their values side by side are answered")
    func twoTreatmentArms() {
        let lift = plan("what's the lift of treatment over treatment_b in recs v2?")
        #expect(lift.sql == nil)
        #expect(lift.rationale.contains("not treatment arms with each other"), "\(lift.rationale)")
        let better = plan("is treatment better than treatment_b in recs v2?")
        #expect(better.sql?.contains("is_control = 0") == true && better.sql?.contains("conversion_rate") == true, "\(better.sql ?? better.rationale)")
        let arms = plan("treatment vs treatment b conversion by arm in recs v2")
        #expect(arms.sql?.contains(" AND variation_id = ") == false && arms.sql?.contains("(variation_id = ") == false, "\(arms.sql ?? arms.rationale)")
        #expect(plan("recs v2 lift for treatment b").sql?.contains("r.variation_id = 'treatment_b'") == true)
    }

    @Test("'total revenue' is a sum of the metric (over all arms unless an arm or 'per arm' is asked), not a lift")
    func totals() {
        let all = plan("total revenue in checkout button")
        #expect(all.sql?.contains("sum(value_sum) AS value_sum") == true, "\(all.sql ?? all.rationale)")
        #expect(plan("total revenue per arm in checkout button").sql?.contains("SELECT variation_id, metric_id, n_users, value_sum") == true)
    }

    @Test("'does the verdict change for exposed users?' puts ITT beside exposed; 'does it still hold for exposed users?' and 'lift for exposed users' are the exposed result")
    func populations() {
        let hold = plan("does the checkout button result still hold for exposed users?")
        #expect(hold.sql?.contains("r.analysis_mode = 'exposed'") == true, "\(hold.sql ?? hold.rationale)")
        #expect(plan("how many users actually saw the checkout button change, per arm?").sql?.contains("analysis_mode = 'exposed'") == true)
        #expect(plan("does the checkout button verdict change if we only count exposed users?").sql?.contains("analysis_mode IN ('itt', 'exposed')") == true)
        let lift = plan("lift for exposed users in checkout button")
        #expect(lift.intent == .results && lift.entities["mode"] == "exposed", "\(lift.rationale)")
    }

    @Test func typosSynonymsAndModes() {
        #expect(plan("checkout buton lift").entities["experiment"] == "exp_checkout_button")
        #expect(plan("recs model revenue impact").entities["metric"] == "revenue_7d")
        #expect(plan("recs model v2 lift for treatment b").entities["variant"] == "treatment_b")
        #expect(plan("checkout lift for exposed users").entities["mode"] == "exposed")
        #expect(plan("recs model results").entities["experiment"] == "exp_recs_model_v2")  // "model" is not a typo of "mode"
    }

    @Test("dates as people say them become day ranges", arguments: [
        ("exposure quality for checkout button last 7 days", "date_day >= '2026-10-15' AND date_day <= '2026-10-22'"),
        ("exposure quality for checkout button yesterday", "date_day >= '2026-10-21' AND date_day <= '2026-10-21'"),
        ("exposure quality for checkout button since 2026-03-01", "date_day >= '2026-03-01'"),
        ("exposure rate for checkout button on Oct 8", "date_day >= '2026-10-08' AND date_day <= '2026-10-08'"),
        ("checkout exposure rate after September 15th", "date_day >= '2026-09-16'"),
        ("checkout exposure rate between Oct 5 and Oct 10", "date_day >= '2026-10-05' AND date_day <= '2026-10-10'"),
        ("daily exposed counts for checkout button from Sept 5 through Sept 9", "date_day >= '2026-09-05' AND date_day <= '2026-09-09'"),
        ("checkout exposure rate in October 2026", "date_day >= '2026-10-01' AND date_day <= '2026-10-31'"),
        ("mismatch rate per day for checkout after Ocotber 15th", "date_day >= '2026-10-16'"),
    ])
    func dates(question: String, condition: String) {
        #expect(plan(question).sql?.contains(condition) == true, "\(plan(question).sql ?? plan(question).rationale)")
    }

    @Test("the daily table is shaped like the question")
    func dailyShapes() {
        #expect(plan("which day had the highest mismatch rate in checkout button?").sql?.hasSuffix("ORDER BY mismatch_rate DESC, experiment_id, date_day LIMIT 1") == true)
        #expect(plan("days where checkout button's exposure rate was below 50%").sql?.contains("exposure_rate < 0.5") == true)
        #expect(plan("average daily exposure rate for checkout button").sql?.contains("avg(exposure_rate) AS avg_exposure_rate") == true)
        #expect(plan("which experiment has the lowest average exposure rate?").sql?.hasSuffix("GROUP BY experiment_id ORDER BY avg_exposure_rate ASC LIMIT 1") == true)
        #expect(plan("number of experiments per team").sql == "SELECT owner, count(*) AS experiments FROM experiments GROUP BY owner ORDER BY owner")
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

@Suite struct RefusalTests {
    static var context: PlannerContext { RulePlannerTests.context }

    @Test("personal data, individual users, raw data and changes are refused with their code", arguments: [
        ("give me the emails of users in exp_checkout_button", Refusal.Code.personalData),
        ("list the users in the treatment arm of checkout button", .personalData),
        ("which users converted in the checkout test?", .personalData),
        ("what did user u_0001234 do?", .personalData),
        ("show the raw exposure events for checkout on oct 8", .assetNotAllowed),
        ("dump fct_events for the checkout test", .assetNotAllowed),
        ("who decided to ship free shipping?", .assetNotAllowed),
        ("delete the dark mode experiment", .notReadOnly),
        ("please mark exp_checkout_button as shipped", .notReadOnly),
        ("can you set the allocation of checkout to 80/20", .notReadOnly),
    ])
    func refused(question: String, code: Refusal.Code) {
        #expect(RulePlanner.refusal(for: question, context: Self.context)?.code == code, "\(question)")
    }

    @Test("questions that only look like refusals are not refused", arguments: [
        "onboarding email results",
        "how did the onboarding emails perform",
        "how many users are in the checkout test?",
        "revenue per user in checkout button by arm",
        "start date of the checkout button test",
        "did exposure drop in signup flow on october 8?",
        "which arm of checkout button has more users?",
        "change in conversion for checkout button",
    ])
    func notRefused(question: String) {
        #expect(RulePlanner.refusal(for: question, context: Self.context) == nil, "\(question)")
    }
}
