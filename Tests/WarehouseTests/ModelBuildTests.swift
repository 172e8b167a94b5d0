import Analysis
import Foundation
import Testing
@testable import Warehouse

/// Every model, built by the real runner from the real `semantic/models/`
/// files, on a small hand-made dataset whose expected rows were worked out
/// by hand (see the comments beside each unit).
@Suite("Models on a hand-made dataset")
struct ModelBuildTests {
    /// exp_t runs 2026-10-01 → 2026-10-10; metrics conv (binary, purchase) and
    /// rev (continuous, purchase) over 7 days, lat (continuous, page_load).
    /// The hand-made checks compare raw lifts with hand computations; CUPED has its own tests.
    static var withoutCUPED: AnalysisConfiguration {
        var configuration = AnalysisConfiguration()
        configuration.cuped = false
        return configuration
    }

    static func buildHandMadeWarehouse() throws -> Connection {
        let (connection, _) = try TestSupport.migratedWarehouse()
        try connection.executeScript("""
            INSERT INTO metrics VALUES
              ('conv', 'Conversion', 'binary', 'purchase', 7, 1, 0),
              ('rev', 'Revenue', 'continuous', 'purchase', 7, 1, 0),
              ('lat', 'Latency', 'continuous', 'page_load', 7, 0, 1);
            INSERT INTO experiments VALUES
              ('exp_t', 'Test', 'h', 'conv', 'readout', 'team-a', '2026-09-30 00:00:00', '2026-10-01 00:00:00', '2026-10-10 00:00:00');
            INSERT INTO experiment_variants VALUES
              ('exp_t', 'control', 'Control', 1, 0.5), ('exp_t', 'treatment', 'Treatment', 0, 0.5);
            INSERT INTO fct_experiment_assignments VALUES
              ('exp_t', 'u1', 'control',   '2026-10-02 10:00:00'),
              ('exp_t', 'u2', 'treatment', '2026-10-02 10:00:00'),
              ('exp_t', 'u3', 'treatment', '2026-10-02 10:00:00'),
              ('exp_t', 'u4', 'control',   '2026-10-02 10:00:00'),
              ('exp_t', 'u5', 'control',   '2026-10-02 10:00:00'),
              ('exp_t', 'u6', 'treatment', '2026-10-02 10:00:00'),
              ('exp_t', 'u7', 'treatment', '2026-10-02 10:00:00'),
              ('exp_t', 'u8', 'control',   '2026-10-03 08:00:00');
            INSERT INTO fct_events (event_name, unit_id, experiment_id, variation_id, value, occurred_at) VALUES
              -- u1: valid; converts on day 1 (10) and has a page load of 100 ms in exp_t.
              ('exposure', 'u1', 'exp_t', 'control', NULL, '2026-10-02 10:05:00'),
              ('purchase', 'u1', NULL, NULL, 10, '2026-10-03 12:00:00'),
              ('page_load', 'u1', 'exp_t', 'control', 100, '2026-10-02 10:06:00'),
              -- u2: valid; purchase one second before the window closes (entry 10:05 + 7 days) counts;
              -- its page load belongs to another experiment and does not.
              ('exposure', 'u2', 'exp_t', 'treatment', NULL, '2026-10-02 10:05:00'),
              ('purchase', 'u2', NULL, NULL, 20, '2026-10-09 10:04:59'),
              ('page_load', 'u2', 'exp_other', 'control', 999, '2026-10-02 10:06:00'),
              -- u3: never exposed; entry is assignment (10:00), and a purchase exactly 7 days later is outside.
              ('purchase', 'u3', NULL, NULL, 30, '2026-10-09 10:00:00'),
              -- u4: first exposure an hour before assignment.
              ('exposure', 'u4', 'exp_t', 'control', NULL, '2026-10-02 09:00:00'),
              ('exposure', 'u4', 'exp_t', 'control', NULL, '2026-10-02 11:00:00'),
              -- u5: assigned control, shown treatment.
              ('exposure', 'u5', 'exp_t', 'treatment', NULL, '2026-10-02 10:05:00'),
              -- u6: shown both variations.
              ('exposure', 'u6', 'exp_t', 'treatment', NULL, '2026-10-02 10:05:00'),
              ('exposure', 'u6', 'exp_t', 'control', NULL, '2026-10-02 12:00:00'),
              -- u7: exposed after the experiment ended.
              ('exposure', 'u7', 'exp_t', 'treatment', NULL, '2026-10-11 10:00:00'),
              -- u8: valid; a purchase before entry is ignored, two inside sum to 12.
              ('exposure', 'u8', 'exp_t', 'control', NULL, '2026-10-03 08:30:00'),
              ('purchase', 'u8', NULL, NULL, 100, '2026-10-03 07:00:00'),
              ('purchase', 'u8', NULL, NULL, 5, '2026-10-03 09:00:00'),
              ('purchase', 'u8', NULL, NULL, 7, '2026-10-04 09:00:00'),
              -- not a metric event: never reaches the models.
              ('click', 'u1', NULL, NULL, NULL, '2026-10-02 10:07:00');
            """)
        try WarehouseBuild.analysed(TestSupport.semantic, configuration: Self.withoutCUPED).run(on: connection)
        return connection
    }

    @Test("staging models split exposures from metric events")
    func staging() throws {
        let connection = try Self.buildHandMadeWarehouse()
        // u1, u2, u5, u7, u8 once; u4 and u6 twice.
        #expect(try connection.scalar("SELECT count(*) FROM stg_experiment_exposures") == .integer(9))
        #expect(try TestSupport.values(connection, "SELECT event_name, count(*) FROM stg_conversion_events GROUP BY 1 ORDER BY 1") == [
            [.text("page_load"), .integer(2)], [.text("purchase"), .integer(6)],
        ])
    }

    @Test("exposure validation flags every status")
    func validation() throws {
        let connection = try Self.buildHandMadeWarehouse()
        let rows = try TestSupport.values(connection, """
            SELECT unit_id, assigned_variation_id, first_exposure_at, exposure_count, pre_assignment_exposure,
                   variant_mismatch, multi_variation_exposure, exposure_outside_window, validation_status
            FROM int_experiment_exposure_validation ORDER BY unit_id
            """)
        func row(_ unit: String, _ variation: String, _ first: String?, _ count: Int64, _ flags: [Int64], _ status: String) -> [DatabaseValue] {
            [.text(unit), .text(variation), first.map(DatabaseValue.text) ?? .null, .integer(count)] + flags.map(DatabaseValue.integer) + [.text(status)]
        }
        #expect(rows == [
            row("u1", "control", "2026-10-02 10:05:00", 1, [0, 0, 0, 0], "valid"),
            row("u2", "treatment", "2026-10-02 10:05:00", 1, [0, 0, 0, 0], "valid"),
            row("u3", "treatment", nil, 0, [0, 0, 0, 0], "no_exposure"),
            row("u4", "control", "2026-10-02 09:00:00", 2, [1, 0, 0, 0], "pre_assignment"),
            row("u5", "control", "2026-10-02 10:05:00", 1, [0, 1, 0, 0], "mismatch"),
            row("u6", "treatment", "2026-10-02 10:05:00", 2, [0, 1, 1, 0], "multi_variation"),
            row("u7", "treatment", "2026-10-11 10:00:00", 1, [0, 0, 0, 1], "outside_window"),
            row("u8", "control", "2026-10-03 08:30:00", 1, [0, 0, 0, 0], "valid"),
        ])
    }

    @Test("daily exposure quality counts and rates by assignment day")
    func dailyQuality() throws {
        let connection = try Self.buildHandMadeWarehouse()
        let rows = try TestSupport.values(connection, """
            SELECT date_day, assigned_units, exposed_units, exposure_rate, valid_exposure_rate, mismatch_rate,
                   pre_assignment_exposure, multi_variation_exposure, exposure_outside_window
            FROM fct_experiment_exposure_quality_daily ORDER BY date_day
            """)
        let day2: [DatabaseValue] = [.text("2026-10-02"), .integer(7), .integer(6), .real(6.0 / 7), .real(2.0 / 7), .real(2.0 / 6), .integer(1), .integer(1), .integer(1)]
        let day3: [DatabaseValue] = [.text("2026-10-03"), .integer(1), .integer(1), .real(1), .real(1), .real(0), .integer(0), .integer(0), .integer(0)]
        #expect(rows == [day2, day3])
    }

    @Test("the cohort enters at the first valid exposure, else at assignment")
    func cohort() throws {
        let connection = try Self.buildHandMadeWarehouse()
        let rows = try TestSupport.values(connection, "SELECT unit_id, variation_id, is_itt, is_exposed, cohort_entry_at FROM fct_experiment_cohort ORDER BY unit_id")
        let expected: [(String, String, Int64, String)] = [
            ("u1", "control", 1, "2026-10-02 10:05:00"), ("u2", "treatment", 1, "2026-10-02 10:05:00"),
            ("u3", "treatment", 0, "2026-10-02 10:00:00"), ("u4", "control", 0, "2026-10-02 10:00:00"),
            ("u5", "control", 0, "2026-10-02 10:00:00"), ("u6", "treatment", 0, "2026-10-02 10:00:00"),
            ("u7", "treatment", 0, "2026-10-02 10:00:00"), ("u8", "control", 1, "2026-10-03 08:30:00"),
        ]
        #expect(rows == expected.map { [.text($0.0), .text($0.1), .integer(1), .integer($0.2), .text($0.3)] })
    }

    @Test("outcomes count events inside [entry, entry + window) and scope experiment events")
    func outcomes() throws {
        let connection = try Self.buildHandMadeWarehouse()
        let rows = try TestSupport.values(connection, """
            SELECT unit_id, metric_id, converted, value FROM int_experiment_metric_outcomes__conversion
            WHERE converted = 1 ORDER BY unit_id, metric_id
            """)
        let expected: [(String, String, Double)] = [
            ("u1", "conv", 10), ("u1", "lat", 100), ("u1", "rev", 10), ("u2", "conv", 20), ("u2", "rev", 20), ("u8", "conv", 12), ("u8", "rev", 12),
        ]
        #expect(rows == expected.map { [.text($0.0), .text($0.1), .integer(1), .real($0.2)] })
        #expect(try connection.scalar("SELECT count(*) FROM int_experiment_metric_outcomes__conversion") == .integer(24))
    }

    @Test("aggregates hold sufficient statistics per variation and analysis mode")
    func aggregates() throws {
        let connection = try Self.buildHandMadeWarehouse()
        let rows = try TestSupport.values(connection, """
            SELECT variation_id, analysis_mode, n_users, n_converted, conversion_rate, value_sum, value_sum_sq
            FROM agg_experiment_metric_by_variant WHERE metric_id = 'rev' ORDER BY analysis_mode, variation_id
            """)
        func row(_ variation: String, _ mode: String, _ users: Int64, _ converted: Int64, _ rate: Double, _ sum: Double, _ squares: Double) -> [DatabaseValue] {
            [.text(variation), .text(mode), .integer(users), .integer(converted), .real(rate), .real(sum), .real(squares)]
        }
        #expect(rows == [
            row("control", "exposed", 2, 2, 1, 22, 244),
            row("treatment", "exposed", 1, 1, 1, 20, 400),
            row("control", "itt", 4, 2, 0.5, 22, 244),
            row("treatment", "itt", 4, 1, 0.25, 20, 400),
        ])
    }

    @Test("results compare each variation with control using the Stats engine")
    func results() throws {
        let connection = try Self.buildHandMadeWarehouse()
        let control = try connection.rows("SELECT * FROM fct_experiment_results WHERE metric_id = 'conv' AND analysis_mode = 'itt' AND variation_id = 'control'")[0]
        #expect(control["is_control"] == .integer(1))
        #expect(control["conversion_rate"] == .real(0.5))
        #expect(control["uplift_abs"] == .null && control["p_value_two_sided"] == .null && control["ci_low"] == .null)

        let binary = try connection.rows("SELECT * FROM fct_experiment_results WHERE metric_id = 'conv' AND analysis_mode = 'itt' AND variation_id = 'treatment'")[0]
        #expect(binary["n_users"] == .integer(4))
        #expect(binary["uplift_abs"] == .real(-0.25))
        #expect(binary["uplift_rel"] == .real(-0.5))
        // statsmodels: proportions_ztest([1, 2], [4, 4]) → p = 0.4652088184521418
        #expect(isClose(binary["p_value_two_sided"].double, 0.4652088184521418))
        let ciLow = try #require(binary["ci_low"].double), ciHigh = try #require(binary["ci_high"].double)
        let waldHalfWidth = 1.959963984540054 * (0.5 * 0.5 / 4 + 0.25 * 0.75 / 4).squareRoot()
        #expect(isClose(ciLow, -0.25 - waldHalfWidth) && isClose(ciHigh, -0.25 + waldHalfWidth))

        let continuous = try connection.rows("SELECT * FROM fct_experiment_results WHERE metric_id = 'rev' AND analysis_mode = 'itt' AND variation_id = 'treatment'")[0]
        #expect(continuous["metric_kind"] == .text("continuous"))
        #expect(continuous["mean_value"] == .real(5))
        #expect(continuous["uplift_abs"] == .real(-0.5))
        // scipy: ttest_ind_from_stats(5, sd_t, 4, 5.5, sd_c, 4, equal_var=False) → p = 0.9360878378408519
        #expect(isClose(continuous["p_value_two_sided"].double, 0.9360878378408519))

        let bothFull = try connection.rows("SELECT * FROM fct_experiment_results WHERE metric_id = 'conv' AND analysis_mode = 'exposed' AND variation_id = 'treatment'")[0]
        #expect(bothFull["uplift_abs"] == .real(0))
        #expect(bothFull["p_value_two_sided"] == .null)
    }

    @Test("dim_ai_allowed_assets exists with its columns; the model leaves it empty for the contract to fill")
    func allowedAssets() throws {
        let connection = try Self.buildHandMadeWarehouse()
        #expect(try connection.columnNames(of: "dim_ai_allowed_assets") == ["asset_name", "grain", "primary_key", "description", "owner", "column_names", "roles"])
        #expect(try connection.scalar("SELECT count(*) FROM dim_ai_allowed_assets") == .integer(0))
    }

    @Test("rebuilding is idempotent, and the contracts pass: exposure problems are flagged by the model, not by a broken contract")
    func rebuildAndChecks() throws {
        let connection = try Self.buildHandMadeWarehouse()
        let before = try TestSupport.values(connection, "SELECT * FROM fct_experiment_results ORDER BY 1, 2, 3, 4")
        try WarehouseBuild.analysed(TestSupport.semantic, configuration: Self.withoutCUPED).run(on: connection)
        #expect(try TestSupport.values(connection, "SELECT * FROM fct_experiment_results ORDER BY 1, 2, 3, 4") == before)
        let failing = DataCheckRunner().run(try TestSupport.semantic.dataChecks(), on: connection).filter { $0.status != .pass }.map(\.check.name)
        #expect(failing == [])
    }
}

func isClose(_ actual: Double?, _ expected: Double, relative: Double = 1e-9) -> Bool {
    guard let actual else { return false }
    return abs(actual - expected) <= relative * abs(expected)
}
