import Analysis
import ArgumentParser
import Gateway
import SQLParser
import Foundation
import PostgresWarehouse
import Warehouse

/// Options every warehouse command shares: where the database and the semantic folder are.
struct WarehouseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The warehouse: a SQLite file, or a PostgreSQL URL postgresql://user@host:port/db (default: $READOUT_WAREHOUSE, $READOUT_DB, readout.yaml's warehouse, ./readout.db).", valueName: "path|url"))
    var warehouse: String?

    @Option(name: .long, help: ArgumentHelp("Path of the warehouse SQLite file (same as --warehouse PATH).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Folder holding migrations/ and models/ (default: $READOUT_SEMANTIC_DIR, else ./semantic, else the checkout's).", valueName: "path"))
    var semantic: String?

    /// The database path (``Settings``: the flag, `READOUT_DB`, readout.yaml's `warehouse`, ./readout.db).
    var databasePath: String {
        ((try? Settings.resolve(warehouse: self))?.warehouse.value) ?? warehouse ?? db ?? "./readout.db"
    }

    /// Where the warehouse is: a SQLite file or a PostgreSQL server.
    var location: WarehouseLocation {
        get throws { try WarehouseLocation(databasePath) }
    }

    func validate() throws {
        if warehouse != nil, db != nil { throw ValidationError("Give the warehouse once: --warehouse or --db, not both.") }
        _ = try Settings.resolve(warehouse: self)
        _ = try location
    }

    /// Opens the warehouse on either engine, for the commands that run on both.
    func openSession(mode: Connection.OpenMode = .readWrite) throws -> any WritableWarehouseSession {
        switch try location {
        case .sqlite: return try openExisting(mode: mode)
        case .postgres(let url): return try PostgresSession(url: url)
        }
    }

    /// The SQLite file, for commands that do not run on PostgreSQL yet (a clear error otherwise).
    func sqlitePath(for command: String) throws -> String {
        if case .postgres(let url) = try location {
            throw ValidationError("`readout \(command)` runs on SQLite warehouses only for now (\(url) is PostgreSQL). Every other command runs on PostgreSQL too; see docs/postgresql.md.")
        }
        return databasePath
    }

    func semanticDirectory() throws -> SemanticDirectory {
        try SemanticDirectory.locate(explicit: try Settings.resolve(warehouse: self).semantic.value)
    }

    /// Opens an existing warehouse, with a clear error when there is none.
    func openExisting(mode: Connection.OpenMode = .readWrite) throws -> Connection {
        let path = try sqlitePath(for: "this command")
        guard FileManager.default.fileExists(atPath: path) else {
            throw WarehouseError(code: .io, message: "No warehouse at \(path). Create one with `readout demo --db \(path)` or point --db / READOUT_DB at an existing file.")
        }
        return try Connection(path: path, mode: mode)
    }

    /// An existing warehouse on either engine, read-write, with pending migrations applied (e.g. `api_keys`).
    func openMigrated() throws -> any WritableWarehouseSession {
        let session = try openSession()
        try Migrator(migrations: try semanticDirectory().migrations(for: session.dialect)).migrate(session)
        return session
    }

    /// The service side (keys, tracking, the experiment workflow) on this warehouse, either engine:
    /// a migrated read-write session, a second one for analyses, and a way to open a health probe.
    func workflow(analysis: AnalysisConfiguration) throws -> Workflow {
        let writer = try openMigrated()
        let location = try location
        return try Workflow(writer: writer, tracker: try location.open(name: "readout-tracking"),
                            reader: try location.open(.readOnly), analysis: analysis) {
            try location.open(.readOnly, name: "readout-health", connectTimeoutSeconds: 2)
        }
    }
}

/// How a command prints data.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// A warehouse address: a SQLite file path, or a `postgresql://` URL.
enum WarehouseLocation: CustomStringConvertible, Sendable {
    case sqlite(String)
    case postgres(PostgresURL)

    init(_ text: String) throws {
        if PostgresURL.isPostgres(text) {
            do {
                self = .postgres(try PostgresURL(parsing: text))
            } catch let error as WarehouseError {
                throw ValidationError(error.message)
            }
        } else {
            self = .sqlite(text)
        }
    }

    /// A new session: a SQLite connection in `mode`, or a PostgreSQL connection named `name` in
    /// the server's activity view (PostgreSQL sessions have no read-only mode of their own; the
    /// governed queries run in read-only transactions).
    func open(_ mode: Connection.OpenMode = .readWrite, name: String = "readout", connectTimeoutSeconds: Int = 10) throws -> any WritableWarehouseSession {
        switch self {
        case .sqlite(let path): try Connection(path: path, mode: mode)
        case .postgres(let url): try PostgresSession(url: url, connectTimeoutSeconds: connectTimeoutSeconds, applicationName: name)
        }
    }

    /// For messages: the path, or the URL without its password.
    var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.description
        }
    }
}
