import Analysis
import Foundation
import Testing
@testable import Warehouse

@Suite("Demo generator")
struct DemoGeneratorTests {
    /// A fingerprint of every data table's full contents (bookkeeping tables excluded).
    static func contentDigest(of path: String) throws -> [String: String] {
        let connection = try Connection(path: path, mode: .readOnly)
        let tables = try connection.rows("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'readout_%' ORDER BY name").compactMap { $0[0].string }
        var digests: [String: String] = [:]
        for table in tables {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            let statement = try connection.prepare("SELECT * FROM \"\(table)\" ORDER BY 1, 2, 3, 4")
            while try statement.step() {
                for index in 0..<statement.columnCount {
                    for byte in "\(statement.value(at: index))|".utf8 {
                        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                    }
                }
            }
            digests[table] = String(hash, radix: 16)
        }
        return digests
    }

    @Test("the same seed writes identical tables; another seed does not")
    func determinism() throws {
        let directory = try TestSupport.temporaryDirectory()
        var digests: [[String: String]] = []
        for (name, seed) in [("a", UInt64(7)), ("b", 7), ("c", 8)] {
            let path = directory.appendingPathComponent("\(name).db").path
            _ = try DemoWarehouse.create(at: path, configuration: DemoConfiguration(users: 3000, seed: seed), build: .analysed(TestSupport.semantic))
            digests.append(try Self.contentDigest(of: path))
        }
        #expect(digests[0].count == 24)  // every table but readout_migrations (api_keys and tracked_events came with 0002 and 0003, alerts and alert_state with 0005, results_history with 0006)
        #expect(digests[0] == digests[1])
        #expect(digests[0]["fct_events"] != digests[2]["fct_events"])
        #expect(digests[0]["experiments"] == digests[2]["experiments"])
    }

    @Test("an invalid size is refused and leaves no file behind")
    func invalidSize() throws {
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("none.db").path
        let error = #expect(throws: WarehouseError.self) {
            _ = try DemoWarehouse.create(at: path, configuration: DemoConfiguration(users: 0), build: .analysed(TestSupport.semantic))
        }
        #expect(error?.message == "--users must be between 1 and 50,000,000 (got 0).")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test("a failed demo leaves an existing warehouse untouched")
    func failureKeepsExisting() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("keep.db").path
        _ = try DemoWarehouse.create(at: path, configuration: DemoConfiguration(users: 200), build: .analysed(TestSupport.semantic))
        let before = try Self.contentDigest(of: path)
        let brokenSemantic = directory.appendingPathComponent("semantic")
        try FileManager.default.createDirectory(at: brokenSemantic.appendingPathComponent("models"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.semantic.migrationsDirectory, to: brokenSemantic.appendingPathComponent("migrations"))
        try "-- grain: id\n-- depends_on: fct_events\nSELECT missing_column AS id FROM fct_events".write(to: brokenSemantic.appendingPathComponent("models/broken.sql"), atomically: true, encoding: .utf8)
        #expect(throws: WarehouseError.self) {
            _ = try DemoWarehouse.create(at: path, configuration: DemoConfiguration(users: 200), build: .analysed(SemanticDirectory(root: brokenSemantic)))
        }
        #expect(try Self.contentDigest(of: path) == before)
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }
}

/// The default demo (50,000 users, seed 42) shows every scenario the docs promise.
@Suite("Demo scenarios at the default size", .serialized)
struct DemoScenarioTests {
    static let warehouse: Result<String, any Error> = Result {
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("demo.db").path
        _ = try DemoWarehouse.create(at: path, configuration: DemoConfiguration(), build: .analysed(TestSupport.semantic))
        return path
    }

    func connection() throws -> Connection {
        try Connection(path: try Self.warehouse.get(), mode: .readOnly)
    }

    func result(_ connection: Connection, _ experiment: String, _ variation: String, metric: String = "conversion_7d", mode: String = "itt") throws -> Row {
        try #require(try connection.rows(
            "SELECT * FROM fct_experiment_results WHERE experiment_id = ? AND variation_id = ? AND metric_id = ? AND analysis_mode = ?",
            [experiment, variation, metric, mode]
        ).first)
    }

    @Test("every data check passes on the demo")
    func checksPass() throws {
        let failing = DataCheckRunner().run(try TestSupport.semantic.dataChecks(), on: try connection()).filter { $0.status != .pass }
        #expect(failing.map(\.check.name) == [])
    }

    @Test("exp_checkout_button is a clear win of about +10% relative")
    func checkout() throws {
        let row = try result(try connection(), "exp_checkout_button", "treatment")
        let lift = try #require(row["uplift_rel"].double), p = try #require(row["p_value_two_sided"].double)
        #expect(lift > 0.05 && lift < 0.15 && p < 0.01)
    }

    @Test("exp_pricing_page's treatment loses significantly")
    func pricing() throws {
        let row = try result(try connection(), "exp_pricing_page", "treatment")
        #expect(try #require(row["uplift_rel"].double) < 0)
        #expect(try #require(row["p_value_two_sided"].double) < 0.05)
    }

    @Test("exp_onboarding_email shows no significant effect and is in readout")
    func onboarding() throws {
        let connection = try connection()
        #expect(try #require(try result(connection, "exp_onboarding_email", "treatment")["p_value_two_sided"].double) > 0.05)
        #expect(try connection.scalar("SELECT status FROM experiments WHERE experiment_id = 'exp_onboarding_email'") == .text("readout"))
    }

    @Test("exp_search_ranking is assigned about 53/47 though configured 50/50")
    func searchSRM() throws {
        let connection = try connection()
        let share = try #require(try connection.scalar("SELECT avg(variation_id = 'control') FROM fct_experiment_assignments WHERE experiment_id = 'exp_search_ranking'").double)
        #expect(share > 0.52 && share < 0.54)
        #expect(try connection.scalar("SELECT group_concat(allocation) FROM experiment_variants WHERE experiment_id = 'exp_search_ranking'") == .text("0.5,0.5"))
    }

    @Test("exp_recs_model_v2: treatment_b wins on conversion but is over 25% slower")
    func recs() throws {
        let connection = try connection()
        #expect(try connection.scalar("SELECT group_concat(variation_id) FROM experiment_variants WHERE experiment_id = 'exp_recs_model_v2'") == .text("control,treatment,treatment_b"))
        let conversion = try result(connection, "exp_recs_model_v2", "treatment_b")
        #expect(try #require(conversion["uplift_rel"].double) > 0 && (try #require(conversion["p_value_two_sided"].double)) < 0.05)
        let latency = try result(connection, "exp_recs_model_v2", "treatment_b", metric: "latency_ms", mode: "exposed")
        #expect(try #require(latency["uplift_rel"].double) > 0.25)
    }

    @Test("exp_signup_flow: exposure rate drops on two days; pre-assignment and mismatch exposures appear")
    func signup() throws {
        let connection = try connection()
        let low = try connection.rows("SELECT date_day FROM fct_experiment_exposure_quality_daily WHERE experiment_id = 'exp_signup_flow' AND exposure_rate < 0.5").compactMap { $0[0].string }
        #expect(low == ["2026-10-08", "2026-10-09"])
        let statuses = Set(try connection.rows("SELECT DISTINCT validation_status FROM int_experiment_exposure_validation WHERE experiment_id = 'exp_signup_flow'").compactMap { $0[0].string })
        #expect(statuses.isSuperset(of: ["pre_assignment", "mismatch", "multi_variation", "no_exposure", "valid"]))
        let others = try connection.scalar("SELECT min(exposure_rate) FROM fct_experiment_exposure_quality_daily WHERE experiment_id <> 'exp_signup_flow'")
        #expect(try #require(others.double) > 0.85)
    }

    @Test("exp_dark_mode is a draft with no data; exp_free_shipping shipped with a recorded decision")
    func lifecycle() throws {
        let connection = try connection()
        #expect(try connection.scalar("SELECT status || ':' || (started_at IS NULL) FROM experiments WHERE experiment_id = 'exp_dark_mode'") == .text("draft:1"))
        #expect(try connection.scalar("SELECT count(*) FROM fct_experiment_assignments WHERE experiment_id = 'exp_dark_mode'") == .integer(0))
        #expect(try connection.scalar("SELECT e.status || ':' || d.decision FROM experiments e JOIN experiment_decisions d USING (experiment_id) WHERE experiment_id = 'exp_free_shipping'") == .text("shipped:ship"))
        #expect(try connection.scalar("SELECT count(*) FROM int_experiment_exposure_validation WHERE experiment_id = 'exp_free_shipping' AND validation_status = 'outside_window'").int64 ?? 0 > 0)
    }

    @Test("users hold fake emails on reserved example domains")
    func users() throws {
        let connection = try connection()
        #expect(try connection.scalar("SELECT count(*) FROM users") == .integer(50_000))
        #expect(try connection.scalar("SELECT count(*) FROM users WHERE email NOT LIKE '%@example.%'") == .integer(0))
    }
}
