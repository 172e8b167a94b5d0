import Foundation
import Semantic

/// One schema migration: a named SQL file, applied once, never edited.
public struct Migration: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A stable fingerprint of the SQL (FNV-1a 64), to catch edits to shipped migrations.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// Applies migrations in version order, each in its own transaction, and
/// records them in `readout_migrations`.
///
/// Running it twice is harmless: applied versions are skipped. A migration
/// whose file changed after it was applied is refused, because the database
/// and the files would then disagree about the schema.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies what is missing; returns the migrations applied by this call.
    @discardableResult
    public func migrate(_ connection: any WritableWarehouseSession) throws -> [Migration] {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS readout_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                checksum   TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """)
        var applied: [Int: (name: String, checksum: String)] = [:]
        for row in try connection.rows("SELECT version, name, checksum FROM readout_migrations") {
            applied[Int(row[0].int64 ?? 0)] = (row[1].string ?? "", row[2].string ?? "")
        }
        var newlyApplied: [Migration] = []
        for migration in migrations {
            if let existing = applied[migration.version] {
                guard existing.checksum == migration.checksum else {
                    throw WarehouseError(
                        code: .migration,
                        message: "Migration \(migration.version) (\(migration.name)) was changed after it was applied to \(connection.location). Shipped migrations are append-only: restore the file and add a new migration instead."
                    )
                }
                continue
            }
            do {
                try connection.transaction {
                    try connection.executeScript(migration.sql)
                    try connection.execute(
                        "INSERT INTO readout_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                        [migration.version, migration.name, migration.checksum, Timestamp.format(Int64(Date().timeIntervalSince1970))]
                    )
                }
            } catch let error as WarehouseError {
                throw WarehouseError(code: .migration, message: "Migration \(migration.version) (\(migration.name)) failed: \(error.message)", sqliteCode: error.sqliteCode, sql: error.sql)
            }
            newlyApplied.append(migration)
        }
        return newlyApplied
    }
}
