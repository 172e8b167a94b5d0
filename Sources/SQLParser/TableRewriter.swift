/// Rewrites every table reference in a query: the FROM entries (`.table`) and
/// the right side of `x IN table`, at any depth (CTE bodies, subqueries in
/// every clause, window frames, join constraints).
///
/// Used to put row-level policies in place of the tables they filter, and to
/// schema-qualify trusted policy SQL.
public struct TableRewriter {
    /// Called for each `.table` FROM entry; return a replacement or nil to keep it.
    public var table: (QualifiedName, Name?, IndexHint?) -> TableSource?
    /// Called for each `x IN table` (not table-valued functions); return a replacement or nil.
    public var inTable: (Expr, Bool, QualifiedName) -> Expr?
    /// Called for each subquery in FROM written without an alias; returns one to give it, or nil
    /// to leave it unnamed (PostgreSQL 15 requires a name; SQLite does not).
    public var unnamedSubquery: () -> Name?

    public init(
        table: @escaping (QualifiedName, Name?, IndexHint?) -> TableSource?,
        inTable: @escaping (Expr, Bool, QualifiedName) -> Expr? = { _, _, _ in nil },
        unnamedSubquery: @escaping () -> Name? = { nil }
    ) {
        self.table = table
        self.inTable = inTable
        self.unnamedSubquery = unnamedSubquery
    }

    /// The same query with every unnamed subquery in FROM named `readout_subquery_1`, `_2`, …
    /// (PostgreSQL 15 refuses `FROM (SELECT …)` without an alias). Nothing else changes: an
    /// unnamed subquery's columns are reached unqualified, and still are.
    public static func namingSubqueries(_ select: Select) -> Select {
        final class Counter { var next = 0 }
        let counter = Counter()
        let rewriter = TableRewriter(table: { _, _, _ in nil }, unnamedSubquery: {
            counter.next += 1
            return Name("readout_subquery_\(counter.next)")
        })
        return rewriter.select(select)
    }

    public func select(_ select: Select) -> Select {
        var copy = select
        if var with = copy.with {
            with.tables = with.tables.map { cte in
                var cte = cte
                cte.select = self.select(cte.select)
                return cte
            }
            copy.with = with
        }
        copy.cores = copy.cores.map(core)
        copy.orderBy = copy.orderBy.map(ordering)
        copy.limit = copy.limit.map(expression)
        copy.offset = copy.offset.map(expression)
        return copy
    }

    func core(_ core: SelectCore) -> SelectCore {
        switch core {
        case .values(let rows):
            return .values(rows.map { $0.map(expression) })
        case .select(var clause):
            clause.columns = clause.columns.map { column in
                if case .expression(let expr, let alias) = column { return .expression(expression(expr), alias: alias) }
                return column
            }
            clause.distinctOn = clause.distinctOn.map(expression)
            clause.from = clause.from.map(source)
            clause.whereClause = clause.whereClause.map(expression)
            clause.groupBy = clause.groupBy.map(expression)
            clause.having = clause.having.map(expression)
            clause.windows = clause.windows.map { ($0.name, window($0.definition)) }
            return .select(clause)
        }
    }

    func source(_ source: TableSource) -> TableSource {
        switch source {
        case .table(let name, let alias, let hint):
            return table(name, alias, hint) ?? source
        case .function(let name, let arguments, let alias):
            return .function(name, arguments: arguments.map(expression), alias: alias)
        case .subquery(let query, let alias):
            return .subquery(select(query), alias: alias ?? unnamedSubquery())
        case .group(let inner, let alias):
            return .group(self.source(inner), alias: alias)
        case .join(let left, let op, let right, let constraint):
            var rewritten = constraint
            if case .on(let condition) = constraint { rewritten = .on(expression(condition)) }
            return .join(self.source(left), op, self.source(right), rewritten)
        }
    }

    func ordering(_ term: OrderingTerm) -> OrderingTerm {
        var copy = term
        copy.expression = expression(term.expression)
        return copy
    }

    func window(_ definition: WindowDefinition) -> WindowDefinition {
        var copy = definition
        copy.partitionBy = definition.partitionBy.map(expression)
        copy.orderBy = definition.orderBy.map(ordering)
        if var frame = definition.frame {
            frame.start = bound(frame.start)
            frame.end = frame.end.map(bound)
            copy.frame = frame
        }
        return copy
    }

    func bound(_ bound: WindowFrame.Bound) -> WindowFrame.Bound {
        switch bound {
        case .preceding(let value): .preceding(expression(value))
        case .following(let value): .following(expression(value))
        default: bound
        }
    }

    func function(_ call: FunctionCall) -> FunctionCall {
        var copy = call
        copy.arguments = call.arguments.map(expression)
        copy.filter = call.filter.map(expression)
        if case .definition(let definition) = call.over { copy.over = .definition(window(definition)) }
        return copy
    }

    public func expression(_ expr: Expr) -> Expr {
        switch expr {
        case .literal, .parameter, .column, .raise:
            return expr
        case .unary(let op, let value): return .unary(op, expression(value))
        case .binary(let op, let left, let right): return .binary(op, expression(left), expression(right))
        case .function(let call): return .function(function(call))
        case .cast(let value, let type): return .cast(expression(value), type: type)
        case .collate(let value, let name): return .collate(expression(value), name)
        case .caseWhen(let base, let branches, let otherwise):
            return .caseWhen(
                base: base.map(expression),
                branches: branches.map { (expression($0.when), expression($0.then)) },
                otherwise: otherwise.map(expression)
            )
        case .between(let value, let not, let low, let high):
            return .between(expression(value), not: not, low: expression(low), high: expression(high))
        case .like(let value, let not, let op, let pattern, let escape):
            return .like(expression(value), not: not, op: op, pattern: expression(pattern), escape: escape.map(expression))
        case .isNull(let value, let not): return .isNull(expression(value), not: not)
        case .isComparison(let left, let not, let distinct, let right):
            return .isComparison(expression(left), not: not, distinct: distinct, expression(right))
        case .inList(let value, let not, let list): return .inList(expression(value), not: not, list.map(expression))
        case .inSelect(let value, let not, let query): return .inSelect(expression(value), not: not, select(query))
        case .inTable(let value, let not, let name, let arguments):
            let rewrittenValue = expression(value)
            if arguments == nil, let replacement = inTable(rewrittenValue, not, name) { return replacement }
            return .inTable(rewrittenValue, not: not, name, arguments: arguments?.map(expression))
        case .exists(let not, let query): return .exists(not: not, select(query))
        case .subquery(let query): return .subquery(select(query))
        case .row(let list): return .row(list.map(expression))
        }
    }
}
