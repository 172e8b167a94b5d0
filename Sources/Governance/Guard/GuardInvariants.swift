public import Semantic

/// The guard's safety properties for one SQL text, checked for every role: an approved
/// query reads only tables and columns the role may read, and its normalised SQL is
/// approved again and reads the same tables. The fuzzer (`readout-fuzz`) checks every input
/// with it; the findings it once made are replayed from `fixtures/fuzz/` by a test.
public enum GuardInvariants {
    /// What is broken for `sql`, or nil when every property holds.
    public static func violation(of sql: String, guard queryGuard: QueryGuard, contract: SemanticContract, roles: [String]) -> String? {
        for role in roles {
            let decision = queryGuard.check(sql, role: role)
            guard decision.isApproved, let normalised = decision.sql else { continue }
            let readable = contract.roles[role]?.assets ?? []
            for table in decision.tables {
                if !readable.contains(table) { return "approved a read of \(table) for \(role): \(sql)" }
                for column in decision.columns[table] ?? [] where !contract.allows(role: role, table: table, column: column) {
                    return "approved a read of \(table).\(column) for \(role): \(sql)"
                }
            }
            let again = queryGuard.check(normalised, role: role)
            if !again.isApproved { return "normalised SQL was blocked (\(again.reasons.map(\.code.rawValue))): \(sql) → \(normalised)" }
            if contract.roles[role]?.rowPolicies.isEmpty != false && Set(again.tables) != Set(decision.tables) {
                return "normalised SQL reads other tables: \(sql) → \(normalised)"
            }
        }
        return nil
    }
}
