import Analysis
import Testing
@testable import Warehouse

@Suite("Model files and their dependency graph")
struct ModelGraphTests {
    func model(_ name: String, dependsOn: String, sql: String = "SELECT 1 AS id") throws -> SemanticModel {
        try SemanticModel.parse(name: name, text: "-- grain: id\n-- depends_on: \(dependsOn)\n\(sql)", file: "models/\(name).sql")
    }

    @Test("parses the header: grain, dependencies, indexes, computation, multi-line description")
    func header() throws {
        let text = """
            -- grain: experiment_id, unit_id
            -- depends_on: a, b
            -- index: unit_id
            -- index: experiment_id, unit_id
            -- index: experiment_id WHERE converted = 1 OR value <> 0
            -- compute: experiment_results
            -- description: First line
            --   continues here.
            SELECT 1;
            """
        let parsed = try SemanticModel.parse(name: "m", text: text, file: "m.sql")
        #expect(parsed.grain == ["experiment_id", "unit_id"])
        #expect(parsed.dependencies == ["a", "b"])
        #expect(parsed.indexes == [
            SemanticModel.Index(columns: ["unit_id"]), SemanticModel.Index(columns: ["experiment_id", "unit_id"]),
            SemanticModel.Index(columns: ["experiment_id"], condition: "converted = 1 OR value <> 0"),
        ])
        #expect(parsed.computation == "experiment_results")
        #expect(parsed.description == "First line continues here.")
        #expect(parsed.sql.hasSuffix("SELECT 1"))
    }

    @Test("a header without grain, or with an unknown key, is refused with file and line")
    func badHeaders() {
        let noGrain = #expect(throws: WarehouseError.self) { _ = try SemanticModel.parse(name: "m", text: "-- depends_on: a\nSELECT 1", file: "models/m.sql") }
        #expect(noGrain?.message == "models/m.sql: missing '-- grain: col, …' header. Every model declares the columns that identify one row.")
        let typo = #expect(throws: WarehouseError.self) { _ = try SemanticModel.parse(name: "m", text: "-- grain: id\n-- depend_on: a\nSELECT 1", file: "models/m.sql") }
        #expect(typo?.message == "models/m.sql:2: unknown header key 'depend_on'. Use one of: compute, depends_on, description, grain, incremental, index.")
        let noDependencies = #expect(throws: WarehouseError.self) { _ = try SemanticModel.parse(name: "m", text: "-- grain: id\nSELECT 1", file: "models/m.sql") }
        #expect(noDependencies?.code == .modelFile)
    }

    @Test("orders models after their dependencies, ties by name")
    func ordering() throws {
        let graph = try ModelGraph(models: [
            try model("c", dependsOn: "b, a", sql: "SELECT * FROM b JOIN a"),
            try model("b", dependsOn: "a, src", sql: "SELECT * FROM a, src"),
            try model("a", dependsOn: "src", sql: "SELECT * FROM src"),
            try model("z", dependsOn: "src", sql: "SELECT * FROM src"),
        ])
        #expect(graph.ordered.map(\.name) == ["a", "z", "b", "c"])
        #expect(graph.sourceDependencies == ["src"])
    }

    @Test("refuses a model that reads another model without declaring it")
    func undeclared() throws {
        let error = #expect(throws: WarehouseError.self) {
            _ = try ModelGraph(models: [
                try model("a", dependsOn: "src"),
                try model("b", dependsOn: "src", sql: "SELECT * FROM src JOIN a USING (id) -- a comment naming c"),
                try model("c", dependsOn: "src"),
            ])
        }
        #expect(error?.message == "models/b.sql: model b reads a but does not declare it; add it to '-- depends_on:'.")
    }

    @Test("ignores model names inside comments and string literals")
    func namesInCommentsAndStrings() throws {
        let graph = try ModelGraph(models: [
            try model("a", dependsOn: "src"),
            try model("b", dependsOn: "src", sql: "SELECT 'a' AS label /* a */ FROM src"),
        ])
        #expect(graph.ordered.count == 2)
    }

    @Test("reports a cycle with its path")
    func cycle() throws {
        let error = #expect(throws: WarehouseError.self) {
            _ = try ModelGraph(models: [
                try model("a", dependsOn: "c", sql: "SELECT * FROM c"),
                try model("b", dependsOn: "a", sql: "SELECT * FROM a"),
                try model("c", dependsOn: "b", sql: "SELECT * FROM b"),
            ])
        }
        #expect(error?.message == "Models depend on each other in a cycle: a → c → b → a. Break it by removing one dependency.")
    }

    @Test("the shipped models form a valid graph ending in results")
    func shipped() throws {
        let graph = try ModelGraph(models: try TestSupport.semantic.models())
        let names = graph.ordered.map(\.name)
        #expect(names.count == 12)
        let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        for model in graph.ordered {
            for dependency in model.dependencies {
                if let before = position[dependency] { #expect(before < position[model.name]!) }
            }
        }
        #expect(graph.sourceDependencies == ["experiment_variants", "experiments", "fct_events", "fct_experiment_assignments", "metrics"])
    }

    @Test("a failing model leaves every table as it was")
    func atomicBuild() throws {
        let (connection, _) = try TestSupport.migratedWarehouse()
        try WarehouseBuild.analysed(TestSupport.semantic).run(on: connection)
        let broken = try SemanticModel.parse(name: "stg_experiment_exposures", text: "-- grain: event_id\n-- depends_on: fct_events\nSELECT no_such_column FROM fct_events", file: "broken.sql")
        let runner = try ModelRunner(models: [broken], computations: [])
        let error = #expect(throws: WarehouseError.self) { try runner.run(on: connection) }
        #expect(error?.message.hasPrefix("Model stg_experiment_exposures (broken.sql) failed: SQLite error 1") == true)
        #expect(try connection.columnNames(of: "stg_experiment_exposures").contains("occurred_at"))
    }
}

@Suite("Migrations")
struct MigratorTests {
    @Test("applies each migration once and records it")
    func idempotent() throws {
        let (connection, _) = try TestSupport.migratedWarehouse()
        let again = try Migrator(migrations: try TestSupport.semantic.migrations()).migrate(connection)
        #expect(again.isEmpty)
        #expect(try connection.scalar("SELECT count(*) FROM readout_migrations") == .integer(Int64(try TestSupport.semantic.migrations().count)))
        #expect(try connection.tableExists("fct_events"))
    }

    @Test("refuses a migration edited after it was applied")
    func editedMigration() throws {
        let (connection, _) = try TestSupport.migratedWarehouse()
        var edited = try TestSupport.semantic.migrations()
        edited[0].sql += "\n-- edited"
        let error = #expect(throws: WarehouseError.self) { try Migrator(migrations: edited).migrate(connection) }
        #expect(error?.code == .migration)
        #expect(error?.message.contains("was changed after it was applied") == true)
    }

    @Test("a failing migration is rolled back and not recorded")
    func failingMigration() throws {
        let (connection, _) = try TestSupport.migratedWarehouse()
        let bad = Migration(version: 99, name: "bad", sql: "CREATE TABLE half (x); INSERT INTO missing VALUES (1);")
        let error = #expect(throws: WarehouseError.self) { try Migrator(migrations: try TestSupport.semantic.migrations() + [bad]).migrate(connection) }
        #expect(error?.message.hasPrefix("Migration 99 (bad) failed:") == true)
        #expect(try !connection.tableExists("half"))
        #expect(try connection.scalar("SELECT count(*) FROM readout_migrations WHERE version = 99") == .integer(0))
    }
}
