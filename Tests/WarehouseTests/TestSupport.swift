import ReadoutTesting
import Foundation
import Warehouse

/// Paths and scratch space for the warehouse tests.
enum TestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let semantic = SemanticDirectory(root: repositoryRoot.appendingPathComponent("semantic"))

    /// A fresh directory under the system temp folder.
    static func temporaryDirectory() throws -> URL {
        let url = TestScratch.directory("warehouse")
        return url
    }

    /// A new on-disk warehouse with every migration applied and no data.
    static func migratedWarehouse() throws -> (Connection, URL) {
        let path = try temporaryDirectory().appendingPathComponent("warehouse.db")
        let connection = try Connection(path: path.path)
        try Migrator(migrations: try semantic.migrations()).migrate(connection)
        return (connection, path)
    }

    /// Every row of a query as plain Swift values, for compact expectations.
    static func values(_ connection: Connection, _ sql: String) throws -> [[DatabaseValue]] {
        try connection.rows(sql).map(\.values)
    }
}
