public import Semantic
import Foundation
public import Warehouse
import SQLParser

/// One difference between the contract and a live warehouse.
public struct LintFinding: Sendable, Codable, Equatable {
    public enum Severity: String, Sendable, Codable { case error, warning }
    public var severity: Severity
    public var asset: String
    public var column: String?
    public var message: String
}

/// `readout contract lint`: checks the contract against a warehouse — every
/// asset and column exists with a matching type, every row policy runs — and
/// reports drift the other way (tables and columns the contract does not describe).
public enum ContractLint {
    public static func run(_ contract: SemanticContract, on connection: any WarehouseSession) throws -> [LintFinding] {
        var findings: [LintFinding] = []
        if contract.isEmpty {
            findings.append(LintFinding(severity: .error, asset: "-", message: "The contract is empty or missing, so every query is refused; add semantic/contract/index.yml and assets/."))
        }
        let postgres = connection.dialect == .postgresql
        let tables = Set(try connection.rows(
            postgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                : "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
        ).compactMap { $0[0].string })
        for asset in contract.assets.values.sorted(by: { $0.name < $1.name }) {
            guard tables.contains(asset.name) else {
                findings.append(LintFinding(severity: .error, asset: asset.name, message: "\(asset.file) describes \(asset.name), which the warehouse does not have. Run `readout build`, or remove the file."))
                continue
            }
            let info = try connection.rows(
                postgres
                    ? "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position"
                    : "SELECT name, type FROM pragma_table_info(?) ORDER BY cid",
                [asset.name]
            )
            var declared: [String: String] = [:]
            for row in info {
                if let name = row[0].string { declared[Name.fold(name)] = row[1].string ?? "" }
            }
            for column in asset.columns {
                guard let type = declared[Name.fold(column.name)] else {
                    findings.append(LintFinding(severity: .error, asset: asset.name, column: column.name, message: "\(asset.name).\(column.name) is in the contract but not in the warehouse."))
                    continue
                }
                let problem = postgres
                    ? postgresTypeProblem(column, declared: type, table: asset.name)
                    : try typeProblem(column, declared: type, table: asset.name, connection: connection)
                if let problem {
                    findings.append(LintFinding(severity: .error, asset: asset.name, column: column.name, message: problem))
                }
            }
            for (key, _) in declared.sorted(by: { $0.key < $1.key }) where asset.column(key) == nil {
                findings.append(LintFinding(severity: .warning, asset: asset.name, column: key, message: "\(asset.name).\(key) exists in the warehouse but not in the contract, so it is denied; describe it in \(asset.file)."))
            }
        }
        for table in tables.sorted() where contract.asset(Name.fold(table)) == nil {
            findings.append(LintFinding(severity: .warning, asset: table, message: "\(table) exists in the warehouse but has no contract file, so no role can read it; add assets/\(table).yml if it should be described."))
        }
        for role in contract.roles.values.sorted(by: { $0.name < $1.name }) {
            for (asset, condition) in role.rowPolicies.sorted(by: { $0.key < $1.key }) where tables.contains(asset) {
                do {
                    _ = try connection.scalar("SELECT count(*) FROM \(postgres ? "public" : "main").\"\(asset)\" WHERE (\(condition))")
                } catch {
                    findings.append(LintFinding(severity: .error, asset: asset, message: "The \(role.name) row policy on \(asset) does not run: \((error as? WarehouseError)?.message ?? "\(error)")"))
                }
            }
        }
        return findings
    }

    /// A contract type is compatible with the column's declared type affinity or,
    /// for columns declared without a type (computed model columns), with the
    /// storage classes of a sample of its values.
    static func typeProblem(_ column: Column, declared: String, table: String, connection: any WarehouseSession) throws -> String? {
        let affinity = self.affinity(declared)
        if let affinity {
            return compatible(column.type, affinity) ? nil : "\(table).\(column.name) is \(column.type) in the contract but declared \(declared) (\(affinity) affinity) in the warehouse."
        }
        let classes = try connection.rows("SELECT DISTINCT typeof(x) FROM (SELECT \"\(column.name)\" AS x FROM \"\(table)\" WHERE \"\(column.name)\" IS NOT NULL LIMIT 1000)").compactMap { $0[0].string }
        for storage in classes where !compatible(column.type, storage) {
            return "\(table).\(column.name) is \(column.type) in the contract but holds \(storage) values."
        }
        return nil
    }

    /// PostgreSQL declares every column's type; Readout reads integer types as integers, `real`,
    /// `double precision` and `numeric` as numbers (an integral `numeric` as an integer),
    /// booleans as 0/1, and text and dates as text.
    static func postgresTypeProblem(_ column: Column, declared: String, table: String) -> String? {
        let ok: Bool
        switch declared.lowercased() {
        case "smallint", "integer", "bigint", "boolean": ok = ["integer", "real", "numeric"].contains(column.type)
        case "real", "double precision": ok = ["real", "numeric"].contains(column.type)
        case "numeric": ok = ["integer", "real", "numeric"].contains(column.type)
        case "bytea": ok = column.type == "blob"
        default: ok = column.type == "text"
        }
        return ok ? nil : "\(table).\(column.name) is \(column.type) in the contract but \(declared) in the PostgreSQL warehouse."
    }

    static func affinity(_ declared: String) -> String? {
        let type = declared.uppercased()
        if type.isEmpty { return nil }
        if type.contains("INT") { return "integer" }
        if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { return "text" }
        if type.contains("BLOB") { return "blob" }
        if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { return "real" }
        return "numeric"
    }

    static func compatible(_ contract: String, _ actual: String) -> Bool {
        switch contract {
        case "integer": actual == "integer"
        case "real": actual == "real" || actual == "integer"
        case "numeric": actual == "numeric" || actual == "integer" || actual == "real"
        default: contract == actual
        }
    }
}
