import SQLParser
import Foundation
public import Warehouse

/// `readout demo --warehouse postgresql://…`: the same demo as SQLite's, in a PostgreSQL database.
///
/// Everything happens in one transaction (PostgreSQL's DDL is transactional): Readout's own tables
/// from an earlier demo are dropped, the dialect's migrations applied, the generated rows streamed
/// with COPY, every model built — and only then committed, so a reader never sees half a demo and a
/// failure leaves the database as it was. Tables Readout does not know are never touched.
public enum PostgresDemo {
    public static func create(
        at url: PostgresURL, configuration: DemoConfiguration, build: WarehouseBuild, progress: (DemoWarehouse.Phase) -> Void = { _ in }
    ) throws -> DemoWarehouse.Report {
        let session = try PostgresSession(url: url)
        defer { session.close() }
        let report = try session.transaction { () throws -> DemoWarehouse.Report in
            for table in try ownTables(build.semantic) {
                try session.execute("DROP TABLE IF EXISTS \(SQL.identifier(table)) CASCADE")
            }
            try Migrator(migrations: try build.semantic.migrations(for: .postgresql)).migrate(session)
            let data = try DemoGenerator(configuration: configuration).generate(into: session, loader: PostgresDemoLoader(session: session)) {
                progress(.generating(usersDone: $0, usersTotal: configuration.users))
            }
            // The planner's statistics for the build's joins.
            try session.execute("ANALYZE")
            let built = try build.run(on: session) { progress(.building($0)) }
            return DemoWarehouse.Report(data: data, build: built)
        }
        try session.execute("ANALYZE")
        return report
    }

    /// The tables Readout creates: every model, every table of the PostgreSQL migrations, the migration log.
    static func ownTables(_ semantic: SemanticDirectory) throws -> [String] {
        var tables = try semantic.models(for: .postgresql).map(\.name)
        for migration in try semantic.migrations(for: .postgresql) {
            let pattern = try NSRegularExpression(pattern: #"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([A-Za-z_][A-Za-z0-9_]*)"?"#, options: [.caseInsensitive])
            let text = migration.sql as NSString
            for match in pattern.matches(in: migration.sql, range: NSRange(location: 0, length: text.length)) {
                tables.append(text.substring(with: match.range(at: 1)))
            }
        }
        return tables.reversed() + ["readout_migrations"]
    }
}
