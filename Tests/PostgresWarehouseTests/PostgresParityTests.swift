import Analysis
import Foundation
import PostgresWarehouse
import ReadoutTesting
import Testing
import Warehouse

/// The same demo seed on SQLite and on PostgreSQL gives the same warehouse: identical source rows
/// (event ids included) and every model's rows equal, numbers to 1e-9.
@Suite("PostgreSQL parity with SQLite")
struct PostgresParityTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let semantic = SemanticDirectory(root: repositoryRoot.appendingPathComponent("semantic"))

    @Test("demo seed 42, 3,000 users: source tables and every model agree")
    func demoParity() throws {
        let configuration = DemoConfiguration(users: 3_000, seed: 42)
        let path = TestScratch.file("parity.db")
        let sqliteReport = try DemoWarehouse.create(at: path, configuration: configuration, build: .analysed(Self.semantic))
        let url = try PostgresURL(parsing: try PostgresServer.shared().newDatabase("parity"))
        let postgresReport = try PostgresDemo.create(at: url, configuration: configuration, build: .analysed(Self.semantic))
        #expect(postgresReport.data == sqliteReport.data)
        #expect(postgresReport.build.models.map(\.model) == sqliteReport.build.models.map(\.model))
        #expect(postgresReport.build.models.map(\.rows) == sqliteReport.build.models.map(\.rows))

        let sqlite = try Connection(path: path, mode: .readOnly)
        let postgres = try PostgresSession(url: url)
        let sourceTables = ["experiments", "experiment_variants", "metrics", "experiment_decisions", "users", "fct_experiment_assignments", "fct_events"]
        let models = try Self.semantic.models().map(\.name).filter { $0 != "dim_ai_allowed_assets" }
        for table in sourceTables + models {
            let columns = try sqlite.columnNames(of: table)
            #expect(try postgres.columnNames(of: table) == columns, "columns of \(table)")
            let order = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let ours = try sqlite.rows("SELECT \(order) FROM \"\(table)\" ORDER BY \(order)")
            let theirs = try postgres.rows("SELECT \(order) FROM \"\(table)\" ORDER BY \(order)")
            #expect(ours.count == theirs.count, "rows of \(table)")
            var differences: [String] = []
            for (a, b) in zip(ours, theirs) where !Self.equal(a.values, b.values) {
                differences.append("\(a.values) vs \(b.values)")
                if differences.count == 3 { break }
            }
            #expect(differences.isEmpty, "\(table): \(differences.joined(separator: "; "))")
        }
        #expect(try sqlite.scalar("SELECT count(*) FROM fct_experiment_results WHERE is_significant = 1").int64 ?? 0 > 0)
    }

    /// Equal values, reals to 1e-9 (relative to their size); an integer equals the same real.
    static func equal(_ a: [DatabaseValue], _ b: [DatabaseValue]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in
            switch (x, y) {
            case (.real(let p), .real(let q)): return abs(p - q) <= 1e-9 * max(1, abs(p), abs(q)) || (p.isNaN && q.isNaN)
            case (.integer(let p), .real(let q)), (.real(let q), .integer(let p)): return abs(Double(p) - q) <= 1e-9 * max(1, abs(q))
            default: return x == y
            }
        }
    }
}

extension PostgresParityTests {
    @Test("An incremental refresh after new events gives the same tables on both engines, and equals a full rebuild")
    func incrementalParity() throws {
        let configuration = DemoConfiguration(users: 2_000, seed: 7)
        let path = TestScratch.file("incremental.db")
        _ = try DemoWarehouse.create(at: path, configuration: configuration, build: .analysed(Self.semantic))
        let url = try PostgresURL(parsing: try PostgresServer.shared().newDatabase("incremental"))
        _ = try PostgresDemo.create(at: url, configuration: configuration, build: .analysed(Self.semantic))
        let sqlite = try Connection(path: path)
        let postgres = try PostgresSession(url: url)
        for session in [sqlite as any WritableWarehouseSession, postgres] {
            try IncrementalBuild.recordFull(session)
            // New purchases by units of two experiments, after their assignment.
            let units = try session.rows("SELECT unit_id, assigned_at FROM fct_experiment_assignments WHERE experiment_id IN ('exp_checkout_button', 'exp_pricing_page') ORDER BY experiment_id, unit_id LIMIT 60")
            try session.transaction {
                for (index, unit) in units.enumerated() {
                    try session.execute("INSERT INTO fct_events (event_name, unit_id, value, occurred_at) VALUES ('purchase', ?, ?, ?)",
                                        [unit[0], Double(index) + 0.25, unit[1]])
                }
            }
            let run = try IncrementalBuild.analysed(Self.semantic).run(on: session)
            #expect(run.events == 60)
            #expect(run.experiments.contains("exp_checkout_button"))
        }
        let order = "experiment_id, analysis_mode, metric_id, variation_id"
        let incrementalSQLite = try sqlite.rows("SELECT * FROM fct_experiment_results ORDER BY \(order)")
        let incrementalPostgres = try postgres.rows("SELECT * FROM fct_experiment_results ORDER BY \(order)")
        #expect(incrementalSQLite.count == incrementalPostgres.count)
        #expect(zip(incrementalSQLite, incrementalPostgres).allSatisfy { Self.equal($0.values, $1.values) })
        _ = try WarehouseBuild.analysed(Self.semantic).run(on: postgres)
        let fullPostgres = try postgres.rows("SELECT * FROM fct_experiment_results ORDER BY \(order)")
        #expect(zip(incrementalPostgres, fullPostgres).allSatisfy { Self.equal($0.values, $1.values) })
    }
}
