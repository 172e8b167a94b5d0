public import SQLParser
import Foundation

/// What `readout build` did.
public struct BuildReport: Sendable {
    public var appliedMigrations: [Migration]
    public var models: [ModelRunReport]
}

/// Migrates a warehouse and rebuilds every model: what `readout build` runs.
public struct WarehouseBuild: Sendable {
    public let semantic: SemanticDirectory
    /// The Swift computations the models' `-- compute:` headers name.
    public let computations: [any ModelComputation]

    public init(semantic: SemanticDirectory, computations: [any ModelComputation]) {
        self.semantic = semantic
        self.computations = computations
    }

    /// Applies pending migrations, then materialises all models in one transaction.
    public func run(on connection: any WritableWarehouseSession, progress: (ModelRunReport) -> Void = { _ in }) throws -> BuildReport {
        let applied = try Migrator(migrations: try semantic.migrations(for: connection.dialect)).migrate(connection)
        let runner = try ModelRunner(models: try semantic.models(for: connection.dialect), computations: computations)
        let reports = try runner.run(on: connection, progress: progress)
        return BuildReport(appliedMigrations: applied, models: reports)
    }
}

/// Creates a complete demo warehouse file: schema, generated data, built models.
///
/// Everything is written to a `.partial` file beside the target and moved
/// into place only when done, so an interrupted run never leaves a
/// half-written warehouse behind (and never damages an existing one).
public enum DemoWarehouse {
    public enum Phase: Sendable {
        case generating(usersDone: Int, usersTotal: Int)
        case building(ModelRunReport)
    }

    public struct Report: Sendable {
        public var data: DemoSummary
        public var build: BuildReport

        public init(data: DemoSummary, build: BuildReport) {
            self.data = data
            self.build = build
        }
    }

    public static func create(at path: String, configuration: DemoConfiguration, build: WarehouseBuild, progress: (Phase) -> Void = { _ in }) throws -> Report {
        let partial = path + ".partial"
        let fileManager = FileManager.default
        for sidecar in ["", "-wal", "-shm", "-journal"] {
            try? fileManager.removeItem(atPath: partial + sidecar)
        }
        let report: Report
        do {
            report = try populate(partial, configuration: configuration, build: build, progress: progress)
        } catch {
            for sidecar in ["", "-wal", "-shm", "-journal"] { try? fileManager.removeItem(atPath: partial + sidecar) }
            throw error
        }
        for sidecar in ["-wal", "-shm", "-journal"] {
            try? fileManager.removeItem(atPath: path + sidecar)
        }
        if rename(partial, path) != 0 {
            throw WarehouseError(code: .io, message: "Built the demo in \(partial) but could not move it to \(path): \(String(cString: strerror(errno))).")
        }
        return report
    }

    private static func populate(_ path: String, configuration: DemoConfiguration, build builder: WarehouseBuild, progress: (Phase) -> Void) throws -> Report {
        let connection = try Connection(path: path)
        // A brand-new file that is discarded on failure needs no journal while loading.
        try connection.execute("PRAGMA journal_mode = OFF")
        // Larger pages: fewer B-tree levels and page writes for multi-million-row tables.
        try connection.execute("PRAGMA page_size = 16384")
        try connection.execute("VACUUM")  // applies the page size (the file is still empty, so this is instant)
        try connection.execute("PRAGMA synchronous = OFF")
        try connection.execute("PRAGMA cache_size = -262144")
        try connection.execute("PRAGMA temp_store = MEMORY")
        try Migrator(migrations: try builder.semantic.migrations()).migrate(connection)
        // Secondary indexes are cheaper to build once after a bulk load than to maintain row by row.
        let deferredIndexes = try connection.rows(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        ).compactMap { row -> (name: String, sql: String)? in
            guard let name = row[0].string, let sql = row[1].string else { return nil }
            return (name, sql)
        }
        for index in deferredIndexes { try connection.execute("DROP INDEX \(SQL.identifier(index.name))") }
        let data = try DemoGenerator(configuration: configuration).generate(into: connection) {
            progress(.generating(usersDone: $0, usersTotal: configuration.users))
        }
        for index in deferredIndexes { try connection.execute(index.sql) }
        let build = try builder.run(on: connection) { progress(.building($0)) }
        // Sampled statistics: planner-quality in a fraction of a full ANALYZE's time.
        try connection.execute("PRAGMA analysis_limit = 1000")
        try connection.execute("ANALYZE")
        try connection.execute("PRAGMA journal_mode = WAL")
        return Report(data: data, build: build)
    }
}
