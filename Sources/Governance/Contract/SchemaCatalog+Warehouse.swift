public import Semantic
public import SQLParser
public import Warehouse

extension SchemaCatalog {
    /// The contract's assets plus every table and view the warehouse holds, with
    /// the warehouse's own column lists, so a column the contract does not
    /// declare still resolves (and is then refused by name).
    public static func from(_ contract: SemanticContract, warehouse connection: any WarehouseSession) throws -> SchemaCatalog {
        var catalog = from(contract)
        let names = try connection.rows("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name").compactMap { $0[0].string }
        var tables = try names.map { Table(name: $0, columns: try connection.columnNames(of: $0)) }
        for sqliteTable in ["sqlite_schema", "sqlite_master", "sqlite_temp_schema", "sqlite_temp_master"] {
            tables.append(Table(name: sqliteTable, columns: ["type", "name", "tbl_name", "rootpage", "sql"]))
        }
        catalog.add(tables)
        return catalog
    }
}
