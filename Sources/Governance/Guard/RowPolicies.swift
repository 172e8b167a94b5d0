import Semantic
import SQLParser

/// A role's row-level policies, ready to put in place of the tables they filter.
///
/// Each reference to a filtered physical table becomes a derived table,
/// `(SELECT <its allowed columns> FROM main.t WHERE <condition>) AS t`, so no
/// query shape — joins, subqueries, CTEs, `IN t` — can see rows around it.
/// Tables inside the policy's own SQL are pinned to the warehouse's schema (`main.`
/// on SQLite, `public.` on PostgreSQL), so a user's CTE named like a table cannot
/// stand in for it.
struct RowPolicies: Sendable {
    private var filtered: [String: Select] = [:]

    init(contract: SemanticContract, role: String, dialect: SQLDialect = .sqlite) {
        guard let policies = contract.roles[role]?.rowPolicies else { return }
        let schema = dialect.defaultSchema
        let pin = TableRewriter(
            table: { name, alias, hint in
                .table(QualifiedName(schema: Name(schema), name: name.name, offset: name.offset), alias: alias, indexedBy: hint)
            },
            inTable: { value, not, name in
                .inTable(value, not: not, QualifiedName(schema: Name(schema), name: name.name, offset: name.offset), arguments: nil)
            }
        )
        for (table, condition) in policies {
            guard let asset = contract.asset(table) else { continue }
            let columns = asset.readableColumns.map { SQLFormatter.name(Name($0.name)) }.joined(separator: ", ")
            let text = "SELECT \(columns) FROM \(schema).\(SQLFormatter.name(Name(table))) WHERE (\(condition))"
            // The contract loader already checked that the condition parses; a policy that
            // somehow fails here filters out every row rather than none.
            let parsed = try? Parser.parse(text)
            if case .success(.select(let select))? = parsed?.first, parsed?.count == 1 {
                filtered[table] = pin.select(select)
            } else if case .success(.select(let fallback))? = try? Parser.parse("SELECT \(columns) FROM \(schema).\(SQLFormatter.name(Name(table))) WHERE 1 = 0").first {
                filtered[table] = fallback
            }
        }
    }

    var isEmpty: Bool { filtered.isEmpty }

    /// - Parameter references: the physical table named at each source offset (the resolver's
    ///   ``QueryAnalysis/physicalReferences``).
    func apply(to select: Select, references: [(offset: Int, table: String)]) -> Select {
        let references = Dictionary(references, uniquingKeysWith: { _, last in last })
        let rewriter = TableRewriter(
            table: { name, alias, _ in
                guard let table = references[name.offset], let policy = filtered[table] else { return nil }
                return .subquery(policy, alias: alias ?? name.name)
            },
            inTable: { value, not, name in
                guard let table = references[name.offset], let policy = filtered[table] else { return nil }
                return .inSelect(value, not: not, policy)
            }
        )
        return rewriter.select(select)
    }
}
