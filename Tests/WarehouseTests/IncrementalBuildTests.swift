import Semantic
import Analysis
import Foundation
import SQLParser
import Testing
@testable import Warehouse

/// A full rebuild and an incremental one, after the same tracked events, produce the same tables.
@Suite("Incremental builds", .serialized)
struct IncrementalBuildTests {
    /// Every model table's rows, sorted, with reals rounded to 9 significant digits
    /// (a recomputed partition may sum in another order).
    static func snapshot(_ path: String) throws -> [String: [String]] {
        let connection = try Connection(path: path, mode: .readOnly)
        var tables: [String: [String]] = [:]
        for model in try TestSupport.semantic.models() {
            let rows = try connection.rows("SELECT * FROM \"\(model.name)\"").map { row in
                row.values.map { value -> String in
                    switch value {
                    case .real(let x): return String(format: "%.9g", x)
                    default: return "\(value)"
                    }
                }.joined(separator: "|")
            }
            tables[model.name] = rows.sorted()
        }
        return tables
    }

    func trackSome(_ path: String) throws {
        let tracker = try EventTracker(connection: Connection(path: path))
        let now = Date(timeIntervalSince1970: 1_760_000_000)
        for index in 0..<40 {
            let experiment = index % 2 == 0 ? "exp_checkout_button" : "exp_signup_flow"
            let variant = index % 4 < 2 ? "control" : "treatment"
            let user = "inc-\(index)"
            let time = "2026-10-1\(index % 9) 10:00:00"
            _ = tracker.track(TrackedEvent(experimentID: experiment, variantID: variant, userKey: user, kind: .exposure, occurredAt: time), now: now)
            if index % 3 == 0 {
                _ = tracker.track(TrackedEvent(experimentID: experiment, variantID: variant, userKey: user, kind: .conversion, occurredAt: "2026-10-1\(index % 9) 12:00:00", value: 25), now: now)
            }
        }
    }

    /// New events for two units already in two experiments each, reaching rows a refresh by unit
    /// must find: for the first unit, a conversion naming no experiment (its outcomes in both) and an
    /// exposure to the wrong arm of its first experiment (that experiment's exposure validation); for
    /// the second, only a purchase naming its first experiment, dated before its assignments (the
    /// other experiment's pre-period: reached only by the rule for events before an assignment).
    /// Returns the experiments touched.
    func eventsForExistingUnits(_ path: String) throws -> [String] {
        let connection = try Connection(path: path)
        let units = try connection.rows("""
            SELECT unit_id FROM fct_experiment_assignments GROUP BY unit_id HAVING count(*) >= 2 ORDER BY unit_id LIMIT 2
            """).compactMap { $0[0].string }
        try #require(units.count == 2)
        var touched: [String] = []
        for (index, unit) in units.enumerated() {
            let assignments = try connection.rows("SELECT experiment_id, variation_id, assigned_at FROM fct_experiment_assignments WHERE unit_id = ? ORDER BY experiment_id", [unit])
            let first = assignments[0]
            touched += assignments.compactMap { $0[0].string }
            if index == 0 {
                let otherArm = try #require(try connection.rows("SELECT variation_id FROM experiment_variants WHERE experiment_id = ? AND variation_id <> ? LIMIT 1",
                                                                [first[0], first[1]]).first?[0].string)
                try connection.execute("""
                    INSERT INTO fct_events (event_name, unit_id, experiment_id, variation_id, value, occurred_at, props) VALUES
                      ('purchase', ?1, NULL, NULL, 40, datetime(?2, '+1 day'), NULL),
                      ('exposure', ?1, ?3, ?4, NULL, datetime(?2, '+1 hour'), NULL)
                    """, [unit, first[2], first[0], otherArm])
            } else {
                try connection.execute("""
                    INSERT INTO fct_events (event_name, unit_id, experiment_id, variation_id, value, occurred_at, props)
                    VALUES ('purchase', ?1, ?2, NULL, 15, datetime(?3, '-2 days'), NULL)
                    """, [unit, first[0], first[2]])
            }
        }
        return Array(Set(touched)).sorted()
    }

    /// Every partitioned model of both dialects narrows its own SQL (the refresh reads only the
    /// affected experiments' rows); the markers are comments in a full build.
    @Test func partitionedModelsNarrowTheirOwnSQL() throws {
        var unitPartitioned: Set<String> = []
        for dialect in [SQLDialect.sqlite, .postgresql] {
            for model in try TestSupport.semantic.models(for: dialect) where model.computation == nil {
                let narrowed = IncrementalBuild.narrowedToAffected(model.sql)
                switch model.incremental {
                case .partition:
                    #expect(narrowed != model.sql && !narrowed.contains("readout:affected"), "\(dialect) \(model.name) has no marker (or a malformed one)")
                    #expect(narrowed.contains("experiment_id IN (SELECT experiment_id FROM readout_affected)"), "\(model.name)")
                case .unitPartition:
                    unitPartitioned.insert(model.name)
                    #expect(narrowed != model.sql && !narrowed.contains("readout:affected"), "\(dialect) \(model.name) has no marker (or a malformed one)")
                    #expect(narrowed.contains("unit_id) IN (SELECT experiment_id, unit_id FROM readout_affected_units)"), "\(model.name)")
                    #expect(!narrowed.contains("FROM readout_affected)"), "\(model.name) mixes experiment and unit markers")
                default: break
                }
            }
        }
        // The models with a row per unit are refreshed unit by unit.
        #expect(unitPartitioned == ["int_experiment_exposure_validation", "fct_experiment_cohort", "int_experiment_metric_outcomes__conversion", "int_experiment_pre_period"])
        #expect(IncrementalBuild.narrowedToAffected("SELECT 1 FROM t AS c /* readout:affected WHERE c.experiment_id */ GROUP BY 1")
                == "SELECT 1 FROM t AS c WHERE c.experiment_id IN (SELECT experiment_id FROM readout_affected) GROUP BY 1")
        #expect(IncrementalBuild.narrowedToAffected("SELECT 1 FROM t AS c /* readout:affected AND c.experiment_id c.unit_id */")
                == "SELECT 1 FROM t AS c AND (c.experiment_id, c.unit_id) IN (SELECT experiment_id, unit_id FROM readout_affected_units)")
        // Anything else in such a comment is left alone (a comment), never spliced into the SQL.
        let odd = "SELECT 1 /* readout:affected WHERE x; DROP TABLE t */"
        #expect(IncrementalBuild.narrowedToAffected(odd) == odd)
    }

    @Test func incrementalEqualsFullRebuild() throws {
        let directory = try TestSupport.temporaryDirectory()
        let incremental = directory.appendingPathComponent("inc.db").path
        let full = directory.appendingPathComponent("full.db").path
        _ = try DemoWarehouse.create(at: incremental, configuration: DemoConfiguration(users: 3_000, seed: 11), build: .analysed(TestSupport.semantic))
        try IncrementalBuild.recordFull(Connection(path: incremental))
        try FileManager.default.copyItem(atPath: incremental, toPath: full)
        let before = try Self.snapshot(incremental)

        try trackSome(incremental)
        try trackSome(full)
        let touched = try eventsForExistingUnits(incremental)
        #expect(try eventsForExistingUnits(full) == touched)
        let run = try IncrementalBuild.analysed(TestSupport.semantic).run(on: Connection(path: incremental))
        #expect(run.mode == "incremental")
        #expect(run.events == 57)
        #expect(Set(run.experiments) == Set(["exp_checkout_button", "exp_signup_flow"] + touched))
        try WarehouseBuild.analysed(TestSupport.semantic).run(on: Connection(path: full))

        let after = try Self.snapshot(incremental)
        let rebuilt = try Self.snapshot(full)
        #expect(after != before)
        for model in rebuilt.keys.sorted() where model != "dim_ai_allowed_assets" {
            #expect(after[model] == rebuilt[model], "\(model) differs")
        }
        // A second incremental run with nothing new records a run and changes nothing.
        let idle = try IncrementalBuild.analysed(TestSupport.semantic).run(on: Connection(path: incremental))
        #expect(idle.events == 0)
        #expect(try Self.snapshot(incremental) == after)
        let runs = try Connection(path: incremental, mode: .readOnly).rows("SELECT mode, events FROM readout_runs ORDER BY run_id")
        #expect(runs.map { $0[0].string } == ["full", "incremental", "incremental"])
    }
}

/// Group commit keeps failures with the request that caused them: requests written together in
/// one transaction are written again one by one when the database refuses the group.
@Suite("Tracking queue")
struct TrackingQueueTests {
    @Test func aRefusedRequestDoesNotSinkTheOthers() async throws {
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("queue.db").path
        _ = try DemoWarehouse.create(at: path, configuration: DemoConfiguration(users: 500), build: .analysed(TestSupport.semantic))
        let queue = try TrackingQueue(session: try Connection(path: path))
        defer { queue.close() }
        func event(_ user: String, props: String? = nil) -> Result<TrackedEvent, TrackError> {
            .success(TrackedEvent(experimentID: "exp_checkout_button", variantID: "control", userKey: user, kind: .exposure, props: props, occurredAt: nil, value: nil))
        }
        // A large batch keeps the queue's thread busy while the three single requests line up behind it.
        let big = (0..<5_000).map { event("queue-big-\($0)") }
        async let first = queue.track(big)
        try await Task.sleep(for: .milliseconds(5))
        async let good = queue.track([event("queue-good-1")])
        async let bad = queue.track([event("queue-bad", props: "{not json")])  // the table's CHECK (json_valid) refuses it
        async let alsoGood = queue.track([event("queue-good-2")])
        #expect(try await first.allSatisfy { if case .accepted = $0 { true } else { false } })
        #expect(try await good.first.map { if case .accepted = $0 { true } else { false } } == true)
        #expect(try await alsoGood.first.map { if case .accepted = $0 { true } else { false } } == true)
        let refused: Bool
        do {
            _ = try await bad
            refused = false
        } catch {
            refused = true
        }
        #expect(refused)
        let connection = try Connection(path: path, mode: .readOnly)
        #expect(try connection.scalar("SELECT count(*) FROM tracked_events WHERE unit_id LIKE 'queue-good-%'").int64 == 2)
        #expect(try connection.scalar("SELECT count(*) FROM fct_events WHERE unit_id = 'queue-bad'").int64 == 0)
    }
}
