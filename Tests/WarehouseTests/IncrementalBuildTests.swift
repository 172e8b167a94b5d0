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

    /// Every partitioned model of both dialects narrows its own SQL (the refresh reads only the
    /// affected experiments' rows); the markers are comments in a full build.
    @Test func partitionedModelsNarrowTheirOwnSQL() throws {
        for dialect in [SQLDialect.sqlite, .postgresql] {
            for model in try TestSupport.semantic.models(for: dialect) {
                guard case .partition = model.incremental, model.computation == nil else { continue }
                let narrowed = IncrementalBuild.narrowedToAffected(model.sql)
                #expect(narrowed != model.sql && !narrowed.contains("readout:affected"), "\(dialect) \(model.name) has no marker (or a malformed one)")
                #expect(narrowed.contains("experiment_id IN (SELECT experiment_id FROM readout_affected)"), "\(model.name)")
            }
        }
        #expect(IncrementalBuild.narrowedToAffected("SELECT 1 FROM t AS c /* readout:affected WHERE c.experiment_id */ GROUP BY 1")
                == "SELECT 1 FROM t AS c WHERE c.experiment_id IN (SELECT experiment_id FROM readout_affected) GROUP BY 1")
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
        let run = try IncrementalBuild.analysed(TestSupport.semantic).run(on: Connection(path: incremental))
        #expect(run.mode == "incremental")
        #expect(run.events == 54)
        #expect(run.experiments == ["exp_checkout_button", "exp_signup_flow"])
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
