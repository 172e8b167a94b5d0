import ArgumentParser
import Foundation
import Warehouse

/// Options every warehouse command shares: where the database and the semantic folder are.
struct WarehouseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Path of the warehouse SQLite file (default: $READOUT_DB, else readout.yaml's warehouse, else ./readout.db).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Folder holding migrations/ and models/ (default: $READOUT_SEMANTIC_DIR, else ./semantic, else the checkout's).", valueName: "path"))
    var semantic: String?

    /// The database path (``Settings``: the flag, `READOUT_DB`, readout.yaml's `warehouse`, ./readout.db).
    var databasePath: String {
        ((try? Settings.resolve(warehouse: self))?.warehouse.value) ?? db ?? "./readout.db"
    }

    func validate() throws {
        _ = try Settings.resolve(warehouse: self)
    }

    func semanticDirectory() throws -> SemanticDirectory {
        try SemanticDirectory.locate(explicit: try Settings.resolve(warehouse: self).semantic.value)
    }

    /// Opens an existing warehouse, with a clear error when there is none.
    func openExisting(mode: Connection.OpenMode = .readWrite) throws -> Connection {
        let path = databasePath
        guard FileManager.default.fileExists(atPath: path) else {
            throw WarehouseError(code: .io, message: "No warehouse at \(path). Create one with `readout demo --db \(path)` or point --db / READOUT_DB at an existing file.")
        }
        return try Connection(path: path, mode: mode)
    }

    /// An existing warehouse, read-write, with pending migrations applied (e.g. `api_keys`).
    func openMigrated() throws -> Connection {
        let connection = try openExisting()
        try Migrator(migrations: try semanticDirectory().migrations()).migrate(connection)
        return connection
    }
}

/// How a command prints data.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}
