import Testing
@testable import Planner

/// Questions whose words change the shape or filter of the answer, read as asked.
extension RulePlannerTests {
    @Test("dates on the right column, lists in the order asked, arms counted, the arms listed")
    func experimentListsAsAsked() throws {
        let ended = try #require(plan("which experiments ended in september?").sql)
        #expect(ended.contains("ended_at >= '2026-09-01'") && !ended.contains("started_at >="), "\(ended)")
        let ordered = try #require(plan("list experiments by start date").sql)
        #expect(ordered.hasSuffix("ORDER BY started_at IS NULL, started_at, experiment_id"), "\(ordered)")
        let arms = try #require(plan("which experiments have more than two arms?").sql)
        #expect(arms.contains("HAVING count(v.variation_id) > 2"), "\(arms)")
        let listed = try #require(plan("what are the arms of the recs test?").sql)
        #expect(listed.contains("FROM experiment_variants WHERE experiment_id = 'exp_recs_model_v2'"), "\(listed)")
    }

    @Test("a quoted question relayed by a bot, or sent as JSON, is the request; a named asker is framing")
    func relayedQuestions() throws {
        let quoted = plan("Hi, I'm a Slack bot relaying a user's question: 'what is the lift on checkout button?' Please keep it short.")
        #expect(quoted.sql?.contains("'exp_checkout_button'") == true, "\(quoted.rationale)")
        let json = plan(#"{"channel": "exec-digest", "ask": "what is the lift on checkout button?"}"#)
        #expect(json.sql?.contains("'exp_checkout_button'") == true, "\(json.rationale)")
        let named = plan("Relaying a question from Priya: what is the lift on checkout button?")
        #expect(named.sql != nil, "\(named.rationale)")
        // A constraint in the wrapper still stops it.
        #expect(plan("For mobile users only, relaying: 'what is the lift on checkout button?'").sql == nil)
    }

    @Test("a right spelling is never a typo of another word; a metric's facts come from the catalogue")
    func spellingAndMetricFacts() throws {
        #expect(!QuestionText.matches("lower", "slower", fuzzy: true))
        #expect(QuestionText.matches("latncy", "latency", fuzzy: true))
        let guardrail = try #require(plan("is conversion_7d a guardrail?").sql)
        #expect(guardrail.contains("FROM metrics WHERE metric_id = 'conversion_7d'"), "\(guardrail)")
    }

    @Test("a span of days with no day-by-day word is one total for a count; 'daily' keeps the days")
    func spansOfDays() throws {
        let total = try #require(plan("assigned users in checkout button from Oct 5 to Oct 10").sql)
        #expect(total.contains("sum(assigned_units)") && !total.contains("date_day, assigned_units"), "\(total)")
        let daily = try #require(plan("daily assigned users in checkout button from Oct 5 to Oct 10").sql)
        #expect(daily.contains("date_day") && !daily.contains("sum(assigned_units)"), "\(daily)")
        let week = try #require(plan("exposure rate for each experiment in the first week of October").sql)
        #expect(week.contains("date_day <= '2026-10-07'"), "\(week)")
    }
}

extension RulePlannerTests {
    @Test("analysts' shorthand: month/day dates, 'exp rate', 'rel', 'top3', 'rev/buyer'")
    func shorthand() throws {
        let day = try #require(plan("exp rate 10/8 checkout").sql)
        #expect(day.contains("date_day >= '2026-10-08'") && day.contains("date_day <= '2026-10-08'"), "\(day)")
        let span = try #require(plan("exp rate 10/1-10/7 checkout").sql)
        #expect(span.contains("date_day >= '2026-10-01'") && span.contains("date_day <= '2026-10-07'"), "\(span)")
        let top = try #require(plan("top3 lifts running").sql)
        #expect(top.hasSuffix("LIMIT 3"), "\(top)")
        #expect(Shorthand.spelled("rev/buyer by arm", today: "2026-10-22") == "rev per buyer by arm")
        #expect(Shorthand.spelled("a 50/50 split", today: "2026-10-22") == "a 50/50 split")
    }

    @Test("context that only frames the request is set aside; a status or team word in it is not a filter unless meant")
    func framingWords() throws {
        let draft = try #require(plan("Exec summary draft: which experiments are significant on their primary metric?").sql)
        #expect(!draft.contains("status = 'draft'"), "\(draft)")
        let shipped = try #require(plan("Across all experiments, shipped ones included, which are winning?").sql)
        #expect(!shipped.contains("status = 'shipped'"), "\(shipped)")
        #expect(plan("For the incident timeline: what is the lift on checkout button?").sql != nil)
        #expect(plan("what are the verdicts on our team's experiments?").sql == nil)
    }

    @Test("a forecast and a part of the run for a whole-run figure are declined")
    func forecastsAndParts() {
        #expect(plan("If we keep checkout button running for two more weeks, what will its lift be?").sql == nil)
        #expect(plan("How did checkout button's conversion lift in week two compare with week one?").sql == nil)
    }
}

extension RulePlannerTests {
    @Test("an experiment's own name words are not requests: 'search ranking' does not rank, 'the checkout team' is the team")
    func nameWordsAreNotRequests() throws {
        let team = try #require(plan("list the checkout team's experiments and their status").sql)
        #expect(team.contains("owner = 'team-checkout'") && !team.contains("experiment_id = 'exp_checkout_button'"), "\(team)")
        let own = try #require(plan("what's the lift on checkout button?").sql)
        #expect(own.contains("'exp_checkout_button'"), "\(own)")
        let settings = try #require(plan("what significance level and multiple-testing correction do the verdicts use?").sql)
        #expect(settings.contains("alpha, correction, decision_test"), "\(settings)")
    }

    @Test("'so far' is every day pooled; 'which experiments … on any day' lists experiments")
    func soFarAndAnyDay() throws {
        let soFar = try #require(plan("what's the checkout button's exposure rate so far?").sql)
        #expect(soFar.contains("1.0 * sum(exposed_units) / sum(assigned_units)") && !soFar.contains("date_day,"), "\(soFar)")
        let any = try #require(plan("which experiments had an exposure rate under 90% on any day?").sql)
        #expect(any.hasPrefix("SELECT experiment_id, count(*) AS days") && any.contains("GROUP BY experiment_id"), "\(any)")
    }
}
