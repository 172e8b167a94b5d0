import Foundation
import Testing
@testable import Gateway
import Warehouse

/// Answers shaped like the question, checked against the warehouse's own figures: spans of days,
/// one day, every experiment pooled, arms' shares and exposure, the power check per arm.
extension GatewayTests {
    func scalar(_ sql: String) throws -> DatabaseValue {
        try Connection(path: Self.warehouse, mode: .readOnly).scalar(sql)
    }

    @Test("a count over a span of days is one total; one named day is that day's row")
    func spansAndDays() async throws {
        let span = try await gateway().ask("pre-assignment exposures in signup flow during the first week", caller: Self.analyst)
        let rows = Rows(columns: span.columns, rows: span.rows)
        #expect(rows.count == 1, "\(span.sql ?? "")")
        let total = try scalar("SELECT sum(pre_assignment_exposure) FROM fct_experiment_exposure_quality_daily WHERE experiment_id = 'exp_signup_flow' AND date_day BETWEEN '2026-10-01' AND '2026-10-07'")
        #expect(rows.int(0, "sum_pre_assignment_exposure").map(Int64.init) == total.int64)
        #expect(span.readout.contains("over 7 days (2026-10-01 to 2026-10-07)"), "\(span.readout)")

        let day = try await gateway().ask("Of the users assigned to signup flow on Oct 8, how many were actually exposed?", caller: Self.analyst)
        let dayRows = Rows(columns: day.columns, rows: day.rows)
        let exposed = try scalar("SELECT exposed_units FROM fct_experiment_exposure_quality_daily WHERE experiment_id = 'exp_signup_flow' AND date_day = '2026-10-08'")
        #expect(dayRows.count == 1 && dayRows.string(0, "date_day") == "2026-10-08", "\(day.sql ?? "")")
        #expect(day.readout.contains("2026-10-08 \(exposed.int64.map { ReadoutFormat.count(Int($0)) } ?? "?")"), "\(day.readout)")
    }

    @Test("'the first week of October' is seven days, not the month; 'the last day of the test' is its last day of data")
    func weeksAndLastDay() async throws {
        let week = try await gateway().ask("In the first week of October, which experiment assigned the most users?", caller: Self.analyst)
        let rows = Rows(columns: week.columns, rows: week.rows)
        let top = try scalar("""
            SELECT experiment_id FROM fct_experiment_exposure_quality_daily WHERE date_day BETWEEN '2026-10-01' AND '2026-10-07'
            GROUP BY experiment_id ORDER BY sum(assigned_units) DESC LIMIT 1
            """)
        #expect(rows.count == 1 && rows.string(0, "experiment_id") == top.string, "\(week.sql ?? "")")
        #expect(rows.string(0, "first_day") == "2026-10-01" && rows.string(0, "last_day") == "2026-10-07")

        let last = try await gateway().ask("What was the exposure rate on the last day of the free shipping test?", caller: Self.analyst)
        let lastRows = Rows(columns: last.columns, rows: last.rows)
        let lastDay = try scalar("SELECT max(date_day) FROM fct_experiment_exposure_quality_daily WHERE experiment_id = 'exp_free_shipping'")
        #expect(lastRows.count == 1 && lastRows.string(0, "date_day") == lastDay.string, "\(last.sql ?? "")")
        #expect(last.readout.hasPrefix("exp_free_shipping on \(lastDay.string ?? "?"): exposure rate "), "\(last.readout)")
    }

    @Test("the exposure rate across all experiments is one pooled ratio; by arm it is each arm's exposed share")
    func pooledAndPerArmExposure() async throws {
        let all = try await gateway().ask("What's our exposure rate across all experiments combined?", caller: Self.analyst)
        let rows = Rows(columns: all.columns, rows: all.rows)
        let pooled = try scalar("SELECT 1.0 * sum(exposed_units) / sum(assigned_units) FROM fct_experiment_exposure_quality_daily")
        #expect(rows.count == 1, "\(all.sql ?? "")")
        #expect(abs((rows.double(0, "exposure_rate") ?? 0) - (pooled.double ?? -1)) < 1e-12)
        #expect(all.readout.contains("pooled: \(ReadoutFormat.percent(pooled.double ?? 0, digits: 1))"), "\(all.readout)")

        let arms = try await gateway().ask("Exposure rate by arm for the pricing page experiment", caller: Self.analyst)
        let armRows = Rows(columns: arms.columns, rows: arms.rows)
        #expect(armRows.count == 2, "\(arms.readout)")
        for row in 0..<armRows.count {
            let share = Double(armRows.int(row, "exposed_users") ?? 0) / Double(armRows.int(row, "assigned_users") ?? 1)
            #expect(abs((armRows.double(row, "exposed_share") ?? 0) - share) < 1e-12)
        }
    }

    @Test("one arm's share is of the experiment's users; 'has it reached the sample size it needs' compares each arm with the power check")
    func sharesAndPowerPerArm() async throws {
        let share = try await gateway().ask("what share of search ranking users landed in control?", caller: Self.analyst)
        let rows = Rows(columns: share.columns, rows: share.rows)
        let expected = try scalar("""
            SELECT 1.0 * sum(CASE WHEN variation_id = 'control' THEN n_users END) / sum(n_users) FROM agg_experiment_metric_by_variant
            WHERE experiment_id = 'exp_search_ranking' AND metric_id = 'conversion_7d' AND analysis_mode = 'itt'
            """)
        #expect(rows.count == 1 && rows.string(0, "variation_id") == "control", "\(share.sql ?? "")")
        #expect(share.readout.contains("control \(ReadoutFormat.count(rows.int(0, "n_users") ?? 0)) (\(ReadoutFormat.percent(expected.double ?? 0, digits: 1))"), "\(share.readout)")

        let reached = try await gateway().ask("Has the onboarding email test reached the sample size it needs?", caller: Self.analyst)
        let armRows = Rows(columns: reached.columns, rows: reached.rows)
        #expect(armRows.count == 2 && armRows.columns.contains("required_users_per_arm"), "\(reached.sql ?? "")")
        #expect(reached.readout.contains("more (has "), "\(reached.readout)")
    }

    @Test("a word spelled right is not a typo of another: 'lower bound' is not latency; 'did we kill' is the status")
    func rightlySpelledWords() async throws {
        let bound = try await gateway().ask("What's the lower bound on the lift for Model v2 large?", caller: Self.analyst)
        #expect(bound.sql?.contains("'conversion_7d'") == true && bound.sql?.contains("latency") == false, "\(bound.sql ?? "")")
        let killed = try await gateway().ask("How many experiments did we kill?", caller: Self.analyst)
        let count = try scalar("SELECT count(*) FROM experiments WHERE status = 'killed'")
        #expect(killed.sql?.contains("status = 'killed'") == true, "\(killed.sql ?? "")")
        #expect(Rows(columns: killed.columns, rows: killed.rows).int(0, "experiments").map(Int64.init) == count.int64)
        let direction = try await gateway().ask("for latency is lower better?", caller: Self.analyst)
        #expect(direction.readout.contains("latency_ms") && direction.readout.contains("lower is better"), "\(direction.readout)")
    }

    @Test("'which experiment needs the largest sample per arm' ranks the power check's users per arm")
    func largestSampleNeeded() async throws {
        let answer = try await gateway().ask("Which experiment needs the largest sample per arm?", caller: Self.analyst)
        let top = try scalar("SELECT experiment_id FROM fct_experiment_verdicts WHERE analysis_mode = 'itt' AND required_users_per_arm IS NOT NULL ORDER BY required_users_per_arm DESC LIMIT 1")
        let rows = Rows(columns: answer.columns, rows: answer.rows)
        #expect(rows.count == 1 && rows.string(0, "experiment_id") == top.string, "\(answer.sql ?? "")")
        #expect(answer.readout.contains("users per arm"), "\(answer.readout)")
    }
}
