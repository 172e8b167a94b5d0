import Testing
@testable import Warehouse

@Suite("Data checks")
struct DataCheckTests {
    /// A warehouse with the hand-made data, where each test breaks one thing.
    func warehouse() throws -> Connection {
        try ModelBuildTests.buildHandMadeWarehouse()
    }

    func failures(_ check: DataCheck, on connection: Connection) -> DataCheckResult {
        DataCheckRunner().run(check, on: connection)
    }

    @Test("every check passes on the hand-made data before it is broken")
    func baseline() throws {
        let connection = try warehouse()
        #expect(DataCheckRunner().run(try TestSupport.semantic.dataChecks(), on: connection).allSatisfy { $0.status == .pass })
    }

    @Test("unique fails on a duplicated key and shows it")
    func unique() throws {
        let connection = try warehouse()
        try connection.execute("INSERT INTO fct_experiment_cohort SELECT * FROM fct_experiment_cohort WHERE unit_id = 'u1'")
        let result = failures(DataCheck(table: "fct_experiment_cohort", kind: .unique(columns: ["experiment_id", "unit_id"]), origin: "t"), on: connection)
        #expect(result.status == .fail && result.failures == 1)
        #expect(result.sample.first?.values == [.text("exp_t"), .text("u1"), .integer(2)])
    }

    @Test("not_null fails on a NULL")
    func notNull() throws {
        let connection = try warehouse()
        try connection.execute("UPDATE fct_experiment_cohort SET cohort_entry_at = NULL WHERE unit_id = 'u3'")
        let result = failures(DataCheck(table: "fct_experiment_cohort", kind: .notNull(column: "cohort_entry_at"), origin: "t"), on: connection)
        #expect(result.status == .fail && result.failures == 1)
        #expect(result.sample.first?["unit_id"] == .text("u3"))
    }

    @Test("accepted_values fails on an unknown value and lists it with its count")
    func acceptedValues() throws {
        let connection = try warehouse()
        try connection.execute("UPDATE int_experiment_exposure_validation SET validation_status = 'bogus' WHERE unit_id IN ('u1', 'u2')")
        let result = failures(DataCheck(table: "int_experiment_exposure_validation", kind: .acceptedValues(column: "validation_status", values: [.text("valid"), .text("no_exposure")]), origin: "t"), on: connection)
        #expect(result.failures == 5)  // bogus, pre_assignment, mismatch, multi_variation, outside_window
        #expect(result.sample.contains { $0.values == [.text("bogus"), .integer(2)] })
    }

    @Test("accepted_values compares unquoted numbers as numbers")
    func acceptedNumbers() throws {
        let connection = try warehouse()
        let passing = failures(DataCheck(table: "experiment_variants", kind: .acceptedValues(column: "is_control", values: [.number("0"), .number("1")]), origin: "t"), on: connection)
        #expect(passing.status == .pass)
        let failing = failures(DataCheck(table: "experiment_variants", kind: .acceptedValues(column: "is_control", values: [.number("0")]), origin: "t"), on: connection)
        #expect(failing.failures == 1)
    }

    @Test("relationships fails on an orphan, on one column or several")
    func relationships() throws {
        let connection = try warehouse()
        try connection.execute("INSERT INTO fct_experiment_assignments VALUES ('exp_t', 'u9', 'treatment_z', '2026-10-02 10:00:00')")
        let compound = failures(DataCheck(table: "fct_experiment_assignments", kind: .relationships(columns: ["experiment_id", "variation_id"], table: "experiment_variants", fields: ["experiment_id", "variation_id"]), origin: "t"), on: connection)
        #expect(compound.failures == 1 && compound.sample.first?["unit_id"] == .text("u9"))
        try connection.execute("PRAGMA foreign_keys = OFF")  // as a raw bulk load would
        try connection.execute("INSERT INTO experiment_decisions VALUES ('d1', 'exp_nope', 'ship', NULL, 'team-a', '2026-10-12 00:00:00')")
        let single = failures(DataCheck(table: "experiment_decisions", kind: .relationships(columns: ["experiment_id"], table: "experiments", fields: ["experiment_id"]), origin: "t"), on: connection)
        #expect(single.failures == 1)
    }

    @Test("canonical_timestamp fails on ISO 'T' separators, dates without time and numbers")
    func canonicalTimestamp() throws {
        let connection = try warehouse()
        try connection.execute("PRAGMA ignore_check_constraints = 1")
        try connection.executeScript("""
            INSERT INTO fct_events (event_name, unit_id, occurred_at) VALUES
              ('click', 'u1', '2026-10-02T10:00:00Z'), ('click', 'u1', '2026-10-02'), ('click', 'u1', 1790000000);
            """)
        let result = failures(DataCheck(table: "fct_events", kind: .canonicalTimestamp(column: "occurred_at"), origin: "t"), on: connection)
        #expect(result.failures == 3)
    }

    @Test("expression_is_true fails on rows where the predicate is false or NULL")
    func expression() throws {
        let connection = try warehouse()
        try connection.execute("UPDATE agg_experiment_metric_by_variant SET n_converted = n_users + 1 WHERE metric_id = 'conv' AND analysis_mode = 'itt'")
        let result = failures(DataCheck(table: "agg_experiment_metric_by_variant", kind: .expressionIsTrue("n_converted <= n_users"), origin: "t"), on: connection)
        #expect(result.failures == 2)
    }

    @Test("exposure_timing fails when a status disagrees with the timestamps")
    func exposureTiming() throws {
        let connection = try warehouse()
        let check = DataCheck(table: "int_experiment_exposure_validation", kind: .exposureTiming, origin: "t")
        #expect(failures(check, on: connection).status == .pass)
        try connection.executeScript("""
            UPDATE int_experiment_exposure_validation SET validation_status = 'valid' WHERE unit_id IN ('u4', 'u7');
            UPDATE int_experiment_exposure_validation SET validation_status = 'no_exposure' WHERE unit_id = 'u1';
            """)
        let result = failures(check, on: connection)
        #expect(result.failures == 3)
        #expect(Set(result.sample.compactMap { $0["unit_id"].string }) == ["u1", "u4", "u7"])
    }

    @Test("a check on a missing table is an error, not a pass")
    func missingTable() throws {
        let connection = try warehouse()
        let result = failures(DataCheck(table: "nope", kind: .notNull(column: "x"), origin: "t"), on: connection)
        #expect(result.status == .error)
        #expect(result.error?.contains("no such table: nope") == true)
    }

    @Test("shows at most five failing rows but counts them all")
    func sampleLimit() throws {
        let connection = try warehouse()
        try connection.execute("UPDATE fct_experiment_cohort SET cohort_entry_at = NULL")
        let result = failures(DataCheck(table: "fct_experiment_cohort", kind: .notNull(column: "cohort_entry_at"), origin: "t"), on: connection)
        #expect(result.failures == 8 && result.sample.count == 5)
    }
}

@Suite("Data check files")
struct DataCheckFileTests {
    @Test("parses column and table checks with their origin line")
    func parses() throws {
        let yaml = """
            tables:
              t:
                columns:
                  a: [unique, not_null]
                  b:
                    - accepted_values: [x, "1", 2]
                    - relationships: {to: p, field: id}
                checks:
                  - unique: [a, b]
                  - exposure_timing
            """
        let checks = try DataCheckFile.parse(yaml: yaml, file: "c.yml")
        #expect(checks.map(\.kind) == [
            .unique(columns: ["a"]), .notNull(column: "a"),
            .acceptedValues(column: "b", values: [.text("x"), .text("1"), .number("2")]),
            .relationships(columns: ["b"], table: "p", fields: ["id"]),
            .unique(columns: ["a", "b"]), .exposureTiming,
        ])
        #expect(checks[2].origin == "c.yml:6")
    }

    @Test("errors name file, line, column and the fix", arguments: [
        ("tables:\n  t:\n    columns:\n      a: [uniq]", "c.yml:4:11: unknown column check 'uniq' on t.a; use one of: unique, not_null, canonical_timestamp, accepted_values, relationships."),
        ("tables:\n  t:\n    colums:\n      a: [unique]", "c.yml:3:5: unknown key 'colums' under table t; use 'columns:' or 'checks:'."),
        ("tables:\n  t:\n    checks:\n      - unique", "c.yml:4:9: a table-level unique takes a list of columns, e.g. unique: [experiment_id, unit_id]."),
        ("tables:\n  t:\n    columns:\n      a:\n        - accepted_values: []", "c.yml:5:11: accepted_values takes a non-empty list, e.g. accepted_values: [draft, running]."),
        ("nope: 1", "c.yml:1:1: expected a top-level 'tables:' mapping of table name → checks."),
    ])
    func errors(yaml: String, message: String) {
        let error = #expect(throws: WarehouseError.self) { _ = try DataCheckFile.parse(yaml: yaml, file: "c.yml") }
        #expect(error?.message == message)
        #expect(error?.code == .checkFile)
    }

    @Test("every model's grain becomes a uniqueness check")
    func grainChecks() throws {
        let checks = try TestSupport.semantic.dataChecks()
        #expect(checks.contains { $0.table == "fct_experiment_results" && $0.kind == .unique(columns: ["experiment_id", "metric_id", "variation_id", "analysis_mode"]) })
    }
}
