public import SQLParser
import Analysis
import ArgumentParser
import Foundation
import Governance
import PostgresWarehouse
import Warehouse

extension Readout {
    /// `readout build`: apply migrations and rebuild every model.
    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending migrations and rebuild every model, in dependency order.",
            discussion: """
                Models are the SQL files in semantic/models/; each declares its grain and \
                dependencies in a header. The build runs in one transaction: if any model fails, \
                every table stays as it was.
                """
        )

        @OptionGroup var options: WarehouseOptions

        @Option(help: "Output format for the per-model report.")
        var format: OutputFormat = .table

        @Flag(help: "Process only events after the last build's watermark (recomputing the units and experiments they touch).")
        var incremental = false

        func run() async throws {
            let semantic = try options.semanticDirectory()
            let connection: any WritableWarehouseSession
            switch try options.location {
            case .sqlite(let path): connection = try Connection(path: path)
            case .postgres: connection = try options.openSession()
            }
            let analysis = try Settings.resolve(warehouse: options).analysis
            if incremental {
                // The contract is needed only on PostgreSQL (grants on rebuilt tables): read it there
                // before anything is built, and not at all for SQLite (a tenth of a small refresh).
                let contract = connection is PostgresSession ? try options.contract() : nil
                try Migrator(migrations: try semantic.migrations(for: connection.dialect)).migrate(connection)
                let run = try IncrementalBuild.analysed(semantic, configuration: analysis).run(on: connection)
                if run.rebuiltTables, let postgres = connection as? PostgresSession, let contract { try PostgresContract.apply(contract, on: postgres) }
                let table = ResultTable(columns: ["run_id", "mode", "events", "watermark", "experiments"], rows: [[
                    .integer(run.runID), .text(run.mode), .integer(Int64(run.events)), .integer(run.watermark), .text(run.experiments.joined(separator: ", ")),
                ]])
                print(table.rendered(as: format), terminator: "")
                return
            }
            let contract = try options.contract()
            let report = try WarehouseBuild.analysed(semantic, configuration: analysis).run(on: connection)
            try IncrementalBuild.recordFull(connection)
            let assets = try AllowedAssets.materialise(contract, into: connection)
            // On PostgreSQL the database enforces the contract too; the rebuilt tables need their grants again.
            if let postgres = connection as? PostgresSession { try PostgresContract.apply(contract, on: postgres) }
            for migration in report.appliedMigrations where format == .table {
                print("Applied migration \(migration.version) \(migration.name)")
            }
            if format == .table {
                print("dim_ai_allowed_assets: \(assets) assets from the semantic contract")
            }
            let table = ResultTable(
                columns: ["model", "rows", "seconds"],
                rows: report.models.map { [.text($0.model), .integer(Int64($0.rows)), .real(($0.seconds * 1000).rounded() / 1000)] }
            )
            print(table.rendered(as: format), terminator: "")
        }
    }
}
