import Semantic
import SQLParser
import Warehouse

/// The database's own check, independent of the guard: SQLite's authorizer asks it about
/// every table, column and function a prepared statement touches, and it answers from the
/// contract alone (not from the guard's parse). Only SELECT, reads the role may make and
/// allowlisted functions pass; anything else fails the prepare.
struct ContractAuthorizer {
    let contract: SemanticContract
    /// Every table and view in the file (ASCII-lowercased), read before the authorizer is installed.
    let physicalTables: Set<String>

    func decide(_ request: AuthorizerRequest, role: String) -> AuthorizerDecision {
        switch request {
        case .select, .recursive:
            return .allow
        case .read(let schema, let table, let column):
            let key = Name.fold(table)
            // Eponymous virtual tables (json_each, json_tree) report their own columns as reads.
            if FunctionAllowlist.tableValued.contains(key) { return .allow }
            // SQLite reports a table read without columns (count(*)) with no schema, and a
            // recursive CTE the same way: a name that is not a real table is a CTE, whose
            // own tables are authorised on their own. Real tables need the role's permission.
            if schema.isEmpty && !physicalTables.contains(key) && !key.hasPrefix("sqlite_") { return .allow }
            guard schema == "main" || schema.isEmpty else { return .deny }
            guard let readable = contract.roles[role]?.assets, readable.contains(key) else { return .deny }
            if column.isEmpty { return .allow }
            return contract.allows(role: role, table: key, column: column) ? .allow : .deny
        case .function(let name):
            let key = Name.fold(name)
            return FunctionAllowlist.all.contains(key) || FunctionAllowlist.tableValued.contains(key) ? .allow : .deny
        case .other:
            return .deny
        }
    }
}
