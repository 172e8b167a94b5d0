import Foundation
import Semantic
import Testing
@testable import Planner

/// References the warehouse cannot honour are declined by name, and a sentence about the asker's own
/// work is set aside only when nothing in it could be a constraint.
@Suite struct PlannerReferenceTests {
    static let context: PlannerContext = {
        let base = RulePlannerTests.context
        let arms = [VariantEntity(id: "control", name: "Control", isControl: true), VariantEntity(id: "treatment", name: "Treatment", isControl: false)]
        let experiments = [
            ExperimentEntity(id: "exp_checkout_button", name: "Checkout button redesign", status: "running", owner: "team-checkout", primaryMetric: "conversion_7d",
                             variants: arms, startedAt: "2026-10-01"),
            ExperimentEntity(id: "exp_pricing_page", name: "Annual-first pricing page", status: "running", owner: "team-growth", primaryMetric: "conversion_7d",
                             variants: arms, startedAt: "2026-10-01"),
            ExperimentEntity(id: "exp_signup_flow", name: "Single-page signup flow", status: "running", owner: "team-growth", primaryMetric: "conversion_7d",
                             variants: arms, startedAt: "2026-10-01"),
            ExperimentEntity(id: "exp_free_shipping", name: "Free shipping threshold at $35", status: "shipped", owner: "team-checkout", primaryMetric: "conversion_7d",
                             variants: arms, startedAt: "2026-09-01", endedAt: "2026-09-22"),
            ExperimentEntity(id: "exp_recs_model_v2", name: "Recommendations model v2", status: "running", owner: "team-ml", primaryMetric: "conversion_7d",
                             variants: arms + [VariantEntity(id: "treatment_b", name: "Model v2 large", isControl: false)], startedAt: "2026-10-01"),
            ExperimentEntity(id: "exp_search_ranking", name: "Semantic search ranking", status: "running", owner: "team-search", primaryMetric: "conversion_7d",
                             variants: arms, startedAt: "2026-10-01"),
        ]
        return PlannerContext(contract: base.contract, role: "analyst", experiments: experiments, intents: base.intents, today: "2026-10-22")
    }()

    func plan(_ question: String) -> Plan { RulePlanner().planNow(question, context: Self.context) }

    @Test("a reference the warehouse cannot honour is declined, saying which", arguments: [
        ("p-value for exp_checkout_button_v2", "There is no experiment 'exp_checkout_button_v2'"),
        ("what's the lift on that experiment?", "Which experiment? 'that experiment'"),
        ("treatment_b lift in checkout button", "exp_checkout_button has no arm 'treatment_b'"),
        ("free shipping exposure rate in October", "exp_free_shipping ran from 2026-09-01 to 2026-09-22"),
        ("99% confidence interval for checkout button's lift", "95% confidence (α = 0.05) only"),
        ("conversion of the free shipping arm in the checkout button test", "not an arm of"),
        ("lift of the v2 recommendations model in the search ranking experiment", "words of exp_recs_model_v2"),
        ("90th percentile page load time for recs model v2", "'percentile'"),
    ])
    func referencesDeclined(question: String, message: String) {
        let plan = plan(question)
        #expect(plan.sql == nil, "\(question): \(plan.sql ?? "")")
        #expect(plan.rationale.contains(message), "\(plan.rationale)")
    }

    @Test("an owner with one experiment picks it out; with two, the planner asks which")
    func ownersExperiment() {
        #expect(plan("what's the lift for the search team's experiment?").sql?.contains("'exp_search_ranking'") == true)
        let growth = plan("what's the lift for the growth team's experiment?")
        #expect(growth.sql == nil)
        #expect(growth.rationale.contains("exp_pricing_page, exp_signup_flow"), "\(growth.rationale)")
    }

    @Test("a sentence about the asker is set aside, keeping the experiment it names")
    func askerContextSetAside() throws {
        let memo = plan("I'm drafting the memo for the pricing page test. What's its p-value? Just the figure please.")
        let sql = try #require(memo.sql, "\(memo.rationale)")
        #expect(sql.contains("'exp_pricing_page'") && sql.contains("p_value"), "\(sql)")
        let standup = plan("Quick one before standup: what's the lift on checkout button?")
        #expect(standup.sql?.contains("'exp_checkout_button'") == true, "\(standup.rationale)")
    }

    @Test("chat framing (who relays, for which document, in what form) is understood; a dimension is not", arguments: [
        ("Hey Readout, support bot here. A customer-success lead wants to know if the checkout button increased conversion significantly.", true),
        ("Relaying for a data scientist: what's the Holm-adjusted p for recs model v2? No commentary, one line.", true),
        ("Scheduled digest job: the p-value for the pricing page test, as a table.", true),
        ("which marketing channel drove the checkout button lift?", false),
        ("how many support tickets did the pricing page test generate?", false),
    ])
    func chatFraming(question: String, answered: Bool) {
        let plan = plan(question)
        #expect((plan.sql != nil) == answered, "\(question): \(plan.sql ?? plan.rationale)")
    }

    @Test("a document named by when it is due ('the weekly digest', 'the Monday update') is framing, not a weekly grain")
    func documentTimes() {
        #expect(plan("I'm writing the weekly digest for the pricing page test. What's its conversion rate?").sql != nil)
        #expect(plan("Weekly exec digest: users and conversion rate per arm for the checkout button test").sql != nil)
        #expect(plan("what is the weekly conversion rate for checkout button").sql == nil)
    }

    @Test("a context sentence that could be a constraint is kept, so the planner declines", arguments: [
        "I'm only looking at mobile users in the checkout button test. What's the lift?",
        "We're presenting this to Acme tomorrow. What's the lift on checkout button?",
        "I care about the absolute numbers. What's the lift on checkout button?",
        "I'm only interested in weekly numbers for the pricing page test. What's its conversion rate?",
    ])
    func possibleConstraintKept(question: String) {
        let plan = plan(question)
        #expect(plan.sql == nil, "\(question): \(plan.sql ?? "")")
    }

    @Test("'which has more users, A or B?' answers with the one; unchecked guardrails; 'what's the call'; the most underpowered")
    func whichOfTwoAndFriends() throws {
        let users = try #require(plan("which has more users, signup flow or pricing page?").sql)
        #expect(users.contains("sum(a.n_users) AS n_users") && users.hasSuffix("ORDER BY n_users DESC LIMIT 1"), "\(users)")
        let pValue = try #require(plan("which has the better p-value, pricing page or signup flow?").sql)
        #expect(pValue.contains("ORDER BY r.rel_p_value ASC"), "\(pValue)")
        let unchecked = try #require(plan("which guardrails weren't checked for checkout button?").sql)
        #expect(unchecked.contains("guardrail_status = 'no_data'"), "\(unchecked)")
        #expect(plan("what's the call on recs model v2?").intent == .verdict)
        let underpowered = try #require(plan("which experiment is the most underpowered?").sql)
        #expect(underpowered.contains("achieved_power ASC"), "\(underpowered)")
        #expect(plan("For the guardrail review deck: refund guardrail status per arm across all experiments").sql?.contains("'review'") == false)
    }

    @Test("rankings across experiments need no experiment named; 'how many ms slower' is the difference, not a count")
    func rankingsAndDifferences() throws {
        for question in ["top 3 lifts", "worst performing test by lift", "top 2 by conversion lift"] {
            let sql = try #require(plan(question).sql, "\(question): \(plan(question).rationale)")
            #expect(sql.contains("ORDER BY r.uplift_rel"), "\(question): \(sql)")
        }
        let slower = try #require(plan("how many ms slower is treatment_b than control in recs model v2?").sql)
        #expect(slower.contains("uplift_abs") && slower.contains("'latency_ms'") && !slower.contains("count("), "\(slower)")
        let srm = try #require(plan("worst SRM across experiments?").sql)
        #expect(srm.contains("FROM fct_experiment_verdicts") && srm.contains("ORDER BY srm_p_value ASC"), "\(srm)")
        let cuped = try #require(plan("which experiment got the biggest cuped variance reduction?").sql)
        #expect(cuped.contains("ORDER BY r.cuped_variance_reduction DESC"), "\(cuped)")
        let total = try #require(plan("total 7-day revenue in the treatment arm of the checkout button test").sql)
        #expect(total.contains("value_sum") && total.contains("variation_id = 'treatment'"), "\(total)")
        let worstDays = try #require(plan("which day had the lowest exposure rate for each experiment?").sql)
        #expect(worstDays.contains("PARTITION BY experiment_id ORDER BY exposure_rate ASC"), "\(worstDays)")
        let daysAcross = try #require(plan("how many days was exposure under 90%, across all experiments").sql)
        #expect(daysAcross.hasPrefix("SELECT count(*) AS days FROM (") && daysAcross.contains("exposure_rate < 0.9"), "\(daysAcross)")
        let team = try #require(plan("which team has the most users?").sql)
        #expect(team.contains("GROUP BY e.owner") && team.hasSuffix("ORDER BY users DESC, e.owner LIMIT 1"), "\(team)")
        let never = try #require(plan("how many people were assigned to recs model v2 but never saw it?").sql)
        #expect(never.contains("AS not_exposed_users"), "\(never)")
        let lastDays = try #require(plan("exposure rate for the last three days of the checkout button test").sql)
        #expect(lastDays.contains("date_day >= date((SELECT max(date_day) FROM fct_experiment_exposure_quality_daily WHERE experiment_id = 'exp_checkout_button'), '-2 days')"), "\(lastDays)")
        #expect(plan("which experiments are we launching?").sql?.contains("verdict = 'Launch'") == true)
        let controls = try #require(plan("whose control group converts best?").sql)
        #expect(controls.contains("is_control = 1") && controls.contains("ORDER BY conversion_rate DESC"), "\(controls)")
        #expect(plan("what would the pricing page verdict be at alpha 0.01?").sql == nil)
        #expect(plan("when did the last incremental build finish and what watermark did it reach?").refusal?.code == .assetNotAllowed)
        let verdicts = try #require(plan("verdict for each team's experiments, grouped by team please").sql)
        #expect(verdicts.hasSuffix("ORDER BY owner, experiment_id"), "\(verdicts)")
    }

    @Test("speech as people talk: 'isn't', 'the 3rd and the 10th of October', 'the new page'; 'new users' is a segment")
    func plainSpeech() throws {
        let notSignificant = try #require(plan("tests where the primary metric isn't significant").sql)
        #expect(notSignificant.contains("is_significant = 0"), "\(notSignificant)")
        let days = try #require(plan("what was signup flow's exposure rate between the 3rd and the 10th of October?").sql)
        #expect(days.contains("date_day >= '2026-10-03' AND date_day <= '2026-10-10'"), "\(days)")
        #expect(plan("Among users who actually saw the new checkout button, what's the lift?").sql != nil)
        #expect(plan("what's the lift for new users in the checkout button test?").sql == nil)
        #expect(plan("compare the two pricing tests").rationale.contains("two experiments"))
        #expect(plan("Hand the search ranking test over to team-growth.").refusal?.code == .notReadOnly)
    }

    @Test("comparatives between arms, failing guardrails and 'kill' read as asked")
    func comparativesAndFilters() throws {
        let faster = try #require(plan("in recs model v2, which arm had the faster average page load?").sql)
        #expect(faster.contains("LIMIT 1") && faster.contains("ASC"), "\(faster)")
        let failing = try #require(plan("which guardrail is failing in recs model v2?").sql)
        #expect(failing.contains("guardrail_status NOT IN ('ok', 'no_data')"), "\(failing)")
        let yesNo = try #require(plan("is any guardrail failing in recs model v2?").sql)
        #expect(!yesNo.contains("NOT IN ('ok', 'no_data')"), "\(yesNo)")
        let kill = try #require(plan("which experiments should we kill?").sql)
        #expect(kill.contains("Rollback"), "\(kill)")
        let across = try #require(plan("which experiment had the lowest overall exposure rate?").sql)
        #expect(across.contains("GROUP BY experiment_id") && across.contains("ORDER BY exposure_rate ASC"), "\(across)")
        let total = try #require(plan("How many users were in the free shipping test in total, across both arms?").sql)
        #expect(!total.contains("multi_variation"), "\(total)")
    }
}
