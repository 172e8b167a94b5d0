import Foundation
import Testing
@testable import Gateway
import Warehouse

/// Measures asked for by name, checked against the warehouse's own figures: converters summed
/// over experiments, an interval's width, secondary metrics, an arm's result against control, and
/// the columns a question names (status, an arm's display name).
extension GatewayTests {
    @Test("'total converters across all experiments' sums converters; it does not count experiments")
    func convertersAcrossExperiments() async throws {
        let answer = try await gateway().ask("Total number of converters across all experiments?", caller: Self.analyst)
        let rows = Rows(columns: answer.columns, rows: answer.rows)
        let total = try scalar("""
            SELECT sum(a.n_converted) FROM agg_experiment_metric_by_variant AS a JOIN experiments AS e
            ON e.experiment_id = a.experiment_id AND e.primary_metric_id = a.metric_id WHERE a.analysis_mode = 'itt'
            """)
        #expect(rows.count == 1 && rows.int(0, "converted_users").map(Int64.init) == total.int64, "\(answer.sql ?? answer.readout)")
    }

    @Test("'how wide is the CI' leads with the interval's width, which the rows carry")
    func intervalWidth() async throws {
        let answer = try await gateway().ask("how wide is the CI on search ranking's conversion lift?", caller: Self.analyst)
        let rows = Rows(columns: answer.columns, rows: answer.rows)
        let (low, high) = (try #require(rows.double(0, "rel_ci_low")), try #require(rows.double(0, "rel_ci_high")))
        #expect(rows.double(0, "rel_ci_width") == high - low)
        #expect(answer.readout.hasPrefix("The confidence interval on the relative lift is \(String(format: "%.1f", (high - low) * 100)) points wide"), "\(answer.readout)")
    }

    @Test("'the secondary metric' is the experiment's secondary metric, and the readout says so")
    func secondaryMetric() async throws {
        let answer = try await gateway().ask("what's the secondary metric on the checkout test, and what's its lift?", caller: Self.analyst)
        let rows = Rows(columns: answer.columns, rows: answer.rows)
        let secondary = try scalar("SELECT metric_id FROM fct_experiment_results WHERE experiment_id = 'exp_checkout_button' AND metric_role = 'secondary' AND is_control = 0 AND analysis_mode = 'itt'")
        #expect(rows.count == 1 && rows.string(0, "metric_id") == secondary.string, "\(answer.sql ?? answer.readout)")
        #expect(answer.readout.contains("on its secondary metric \(secondary.string ?? "?")"), "\(answer.readout)")
        let across = try await gateway().ask("which experiments have a stat sig result on a secondary metric?", caller: Self.analyst)
        #expect(across.sql?.contains("r.metric_role = 'secondary'") == true && across.readout.contains("on a secondary metric"), "\(across.readout)")
    }

    @Test("'how did Model v2 small do against Model v1' is that arm's lift against control; display names and status ride along")
    func armAgainstControlAndNamedColumns() async throws {
        let answer = try await gateway().ask("How did 'Model v2 small' do against Model v1 on conversion, in relative terms?", caller: Self.analyst)
        let rows = Rows(columns: answer.columns, rows: answer.rows)
        let lift = try scalar("SELECT uplift_rel FROM fct_experiment_results WHERE experiment_id = 'exp_recs_model_v2' AND variation_id = 'treatment' AND metric_id = 'conversion_7d' AND analysis_mode = 'itt'")
        #expect(answer.intent == "results" && rows.count == 1 && rows.double(0, "uplift_rel") == lift.double, "\(answer.sql ?? answer.readout)")
        #expect(rows.string(0, "variation_name") == "Model v2 small")
        let status = try await gateway().ask("what's the status of the experiment with the largest relative lift on conversion?", caller: Self.analyst)
        let top = Rows(columns: status.columns, rows: status.rows)
        let expected = try scalar("""
            SELECT e.status FROM fct_experiment_results AS r JOIN experiments AS e ON e.experiment_id = r.experiment_id
            WHERE r.metric_id = 'conversion_7d' AND r.analysis_mode = 'itt' AND r.is_control = 0 ORDER BY r.uplift_rel DESC LIMIT 1
            """)
        #expect(top.count == 1 && top.string(0, "status") == expected.string, "\(status.sql ?? status.readout)")
        let guardrails = try await gateway().ask("What are the guardrail results for recs model v2? status per guardrail and arm", caller: Self.analyst)
        #expect(guardrails.intent == "guardrails", "\(guardrails.sql ?? guardrails.readout)")
    }

    @Test("'which arm has the widest CI' ranks by the interval's width")
    func widestInterval() async throws {
        let answer = try await gateway().ask("Among the running experiments, which arm has the widest relative CI on the primary metric?", caller: Self.analyst)
        let rows = Rows(columns: answer.columns, rows: answer.rows)
        let top = try scalar("""
            SELECT r.experiment_id || '/' || r.variation_id FROM fct_experiment_results AS r JOIN experiments AS e ON e.experiment_id = r.experiment_id
            WHERE e.status = 'running' AND r.metric_role = 'primary' AND r.analysis_mode = 'itt' AND r.is_control = 0
            ORDER BY r.rel_ci_high - r.rel_ci_low DESC LIMIT 1
            """)
        #expect(rows.count == 1 && "\(rows.text(0, "experiment_id"))/\(rows.text(0, "variation_id"))" == top.string, "\(answer.sql ?? answer.readout)")
        #expect(answer.readout.hasPrefix("By the width of the interval on the relative lift (highest first): "), "\(answer.readout)")
    }

    @Test("'hasn't started yet' is experiments without a start date; 'status and the call' gives both; '1/3 allocation' is not a date")
    func notStartedStatusAndFractions() async throws {
        let pending = try await gateway().ask("which experiment hasn't started yet?", caller: Self.analyst)
        let rows = Rows(columns: pending.columns, rows: pending.rows)
        let drafts = try scalar("SELECT group_concat(experiment_id) FROM experiments WHERE started_at IS NULL")
        #expect((0..<rows.count).map { rows.text($0, "experiment_id") }.joined(separator: ",") == drafts.string, "\(pending.sql ?? pending.readout)")
        let started = try await gateway().ask("which experiments have started?", caller: Self.analyst)
        let count = try scalar("SELECT count(*) FROM experiments WHERE started_at IS NOT NULL")
        #expect(Int64(started.rows.count) == count.int64, "\(started.sql ?? started.readout)")
        let call = try await gateway().ask("pricing page - status and what's the call?", caller: Self.analyst)
        let status = try scalar("SELECT status FROM experiments WHERE experiment_id = 'exp_pricing_page'")
        #expect(call.readout.hasPrefix("exp_pricing_page is \(status.string ?? "?")."), "\(call.readout)")
        let split = try await gateway().ask("observed split per arm in recs model v2 vs the configured 1/3 allocation", caller: Self.analyst)
        #expect(split.outcome == .approved && split.intent == "sample_size", "\(split.readout)")
    }

    @Test("'did any day dip below 94%?' answers no with the closest day as evidence, yes with the days that did")
    func thresholdEvidence() async throws {
        let no = try await gateway().ask("did any day of the pricing page test dip below 94% exposure?", caller: Self.analyst)
        let rows = Rows(columns: no.columns, rows: no.rows)
        let lowest = try scalar("SELECT date_day FROM fct_experiment_exposure_quality_daily WHERE experiment_id = 'exp_pricing_page' ORDER BY exposure_rate, date_day LIMIT 1")
        let below = try scalar("SELECT count(*) FROM fct_experiment_exposure_quality_daily WHERE experiment_id = 'exp_pricing_page' AND exposure_rate < 0.94")
        if below.int64 == 0 {
            #expect(rows.count == 1 && rows.string(0, "date_day") == lowest.string && rows.int(0, "crosses_threshold") == 0, "\(no.sql ?? no.readout)")
            #expect(no.readout.hasPrefix("No — no day of exp_pricing_page had exposure rate below 94.0%; the lowest was "), "\(no.readout)")
        } else {
            #expect(Int64(rows.count) == below.int64 && no.readout.hasPrefix("Yes"), "\(no.readout)")
        }
        let yes = try await gateway().ask("was exposure ever below 50% for signup flow?", caller: Self.analyst)
        let days = try scalar("SELECT count(*) FROM fct_experiment_exposure_quality_daily WHERE experiment_id = 'exp_signup_flow' AND exposure_rate < 0.5")
        #expect(Int64(yes.rows.count) == days.int64 && yes.readout.hasPrefix("Yes — on \(days.int64 ?? 0) day"), "\(yes.readout)")
    }
}
