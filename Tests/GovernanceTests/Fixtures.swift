import ReadoutTesting
import Semantic
import Analysis
import Foundation
@testable import Governance
import SQLParser
import Warehouse

/// Shared test fixtures: the shipped contract and a small real demo warehouse.
enum Fixtures {
    static let semantic: SemanticDirectory = {
        do { return try SemanticDirectory.locate(explicit: nil) } catch { fatalError("\(error)") }
    }()

    static let contract: SemanticContract = {
        do { return try ContractLoader.load(directory: semantic.root.appendingPathComponent("contract")) } catch { fatalError("\(error)") }
    }()

    /// A 3,000-user demo warehouse with dim_ai_allowed_assets filled, built once per test process.
    static let warehouse: String = {
        let path = TestScratch.file("governance.db")
        do {
            _ = try DemoWarehouse.create(at: path, configuration: DemoConfiguration(users: 3_000, seed: 7), build: .analysed(semantic))
            try AllowedAssets.materialise(contract, into: Connection(path: path))
        } catch {
            fatalError("Cannot build the demo warehouse: \(error)")
        }
        return path
    }()

    static func warehouseGuard(maxRows: Int = 1_000) throws -> QueryGuard {
        let connection = try Connection(path: warehouse, mode: .readOnly)
        return QueryGuard(contract: contract, catalog: try SchemaCatalog.from(contract, warehouse: connection), configuration: GuardConfiguration(maxRows: maxRows))
    }

    struct Approve: Decodable { var sql: String; var tables: [String] }
    struct Attack: Decodable { var sql: String; var code: String; var note: String }

    static func corpus<T: Decodable>(_ name: String, as type: T.Type) throws -> [T] {
        let url = semantic.root.deletingLastPathComponent().appendingPathComponent("fixtures/guard/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }

    static func temporaryPath(_ name: String) -> String {
        let path = TestScratch.file("\(name).db")
        return path
    }
}
