/// Prints a syntax tree back as SQL: the normalised text the guard approves
/// and the executor runs.
///
/// Keywords are upper case, names are quoted only when they must be, and every
/// compound operand is parenthesised, so the printed text means exactly what
/// the tree means regardless of operator precedence.
public enum SQLFormatter {
    public static func select(_ select: Select) -> String {
        var out = ""
        if let with = select.with {
            out += with.recursive ? "WITH RECURSIVE " : "WITH "
            out += with.tables.map(cte).joined(separator: ", ")
            out += " "
        }
        for (index, core) in select.cores.enumerated() {
            if index > 0 { out += " " + select.operators[index - 1].rawValue + " " }
            out += self.core(core)
        }
        if !select.orderBy.isEmpty {
            out += " ORDER BY " + select.orderBy.map(ordering).joined(separator: ", ")
        }
        if let limit = select.limit {
            out += " LIMIT " + expression(limit)
            if let offset = select.offset { out += " OFFSET " + expression(offset) }
        }
        return out
    }

    static func cte(_ cte: CommonTableExpression) -> String {
        var out = name(cte.name)
        if !cte.columns.isEmpty { out += "(" + cte.columns.map(name).joined(separator: ", ") + ")" }
        out += " AS "
        if let materialized = cte.materialized { out += materialized ? "MATERIALIZED " : "NOT MATERIALIZED " }
        return out + "(" + select(cte.select) + ")"
    }

    static func core(_ core: SelectCore) -> String {
        switch core {
        case .values(let rows):
            return "VALUES " + rows.map { "(" + $0.map(expression).joined(separator: ", ") + ")" }.joined(separator: ", ")
        case .select(let clause):
            var out = clause.distinct ? "SELECT DISTINCT " : "SELECT "
            if !clause.distinctOn.isEmpty { out += "ON (" + clause.distinctOn.map(expression).joined(separator: ", ") + ") " }
            out += clause.columns.map(resultColumn).joined(separator: ", ")
            if let from = clause.from { out += " FROM " + source(from) }
            if let condition = clause.whereClause { out += " WHERE " + expression(condition) }
            if !clause.groupBy.isEmpty { out += " GROUP BY " + clause.groupBy.map(expression).joined(separator: ", ") }
            if let having = clause.having { out += " HAVING " + expression(having) }
            if !clause.windows.isEmpty {
                out += " WINDOW " + clause.windows.map { name($0.name) + " AS " + window($0.definition) }.joined(separator: ", ")
            }
            return out
        }
    }

    static func resultColumn(_ column: ResultColumn) -> String {
        switch column {
        case .all: return "*"
        case .allOf(let table): return name(table) + ".*"
        case .expression(let expr, let alias):
            return expression(expr) + (alias.map { " AS " + name($0) } ?? "")
        }
    }

    public static func source(_ source: TableSource) -> String {
        switch source {
        case .table(let table, let alias, let hint):
            var out = qualified(table) + (alias.map { " AS " + name($0) } ?? "")
            switch hint {
            case .indexedBy(let index): out += " INDEXED BY " + name(index)
            case .notIndexed: out += " NOT INDEXED"
            case nil: break
            }
            return out
        case .function(let function, let arguments, let alias):
            return qualified(function) + "(" + arguments.map(expression).joined(separator: ", ") + ")" + (alias.map { " AS " + name($0) } ?? "")
        case .subquery(let query, let alias):
            return "(" + select(query) + ")" + (alias.map { " AS " + name($0) } ?? "")
        case .group(let inner, let alias):
            return "(" + self.source(inner) + ")" + (alias.map { " AS " + name($0) } ?? "")
        case .join(let left, let op, let right, let constraint):
            var out = self.source(left)
            if op.kind == .comma {
                out += ", "
            } else {
                out += " " + (op.natural ? "NATURAL " : "") + op.kind.rawValue + " "
            }
            out += self.source(right)
            switch constraint {
            case .on(let condition): out += " ON " + expression(condition)
            case .using(let names): out += " USING (" + names.map(name).joined(separator: ", ") + ")"
            case nil: break
            }
            return out
        }
    }

    static func ordering(_ term: OrderingTerm) -> String {
        var out = expression(term.expression)
        if let ascending = term.ascending { out += ascending ? " ASC" : " DESC" }
        if let nullsFirst = term.nullsFirst { out += nullsFirst ? " NULLS FIRST" : " NULLS LAST" }
        return out
    }

    static func window(_ definition: WindowDefinition) -> String {
        var parts: [String] = []
        if let base = definition.base { parts.append(name(base)) }
        if !definition.partitionBy.isEmpty { parts.append("PARTITION BY " + definition.partitionBy.map(expression).joined(separator: ", ")) }
        if !definition.orderBy.isEmpty { parts.append("ORDER BY " + definition.orderBy.map(ordering).joined(separator: ", ")) }
        if let frame = definition.frame {
            var text = frame.unit.rawValue + " "
            if let end = frame.end {
                text += "BETWEEN " + bound(frame.start) + " AND " + bound(end)
            } else {
                text += bound(frame.start)
            }
            if let exclude = frame.exclude { text += " EXCLUDE " + exclude }
            parts.append(text)
        }
        return "(" + parts.joined(separator: " ") + ")"
    }

    static func bound(_ bound: WindowFrame.Bound) -> String {
        switch bound {
        case .unboundedPreceding: "UNBOUNDED PRECEDING"
        case .preceding(let value): expression(value) + " PRECEDING"
        case .currentRow: "CURRENT ROW"
        case .following(let value): expression(value) + " FOLLOWING"
        case .unboundedFollowing: "UNBOUNDED FOLLOWING"
        }
    }

    // MARK: Expressions

    public static func expression(_ expr: Expr) -> String {
        switch expr {
        case .literal(let literal):
            switch literal {
            case .number(let text), .blob(let text), .current(let text): return text
            case .string(let text): return string(text)
            case .null: return "NULL"
            }
        case .parameter(let text):
            return text
        case .column(nil, nil, let column, _) where column.key == "true" || column.key == "false":
            // Bare TRUE/FALSE: a column if one has that name, else a boolean, exactly as written.
            return column.text
        case .column(let schema, let table, let column, _):
            return [schema, table, column].compactMap { $0 }.map(name).joined(separator: ".")
        case .unary(let op, let value):
            if op == "NOT" { return "NOT " + operand(value, above: .and) }
            // A nested prefix operator is separated by a space, so `- -x` never becomes a `--` comment.
            if case .unary(let inner, _) = value, inner != "NOT" { return op + " " + expression(value) }
            return op + prefixOperand(value)
        case .binary(let op, let left, let right):
            let level = precedence(of: expr)
            return operand(left, atLeast: level) + " " + op + " " + operand(right, above: level)
        case .function(let call):
            var out = name(call.name) + "("
            if call.star {
                out += "*"
            } else {
                if call.distinct { out += "DISTINCT " }
                out += call.arguments.map(expression).joined(separator: ", ")
            }
            out += ")"
            if let filter = call.filter { out += " FILTER (WHERE " + expression(filter) + ")" }
            switch call.over {
            case .named(let window): out += " OVER " + name(window)
            case .definition(let definition): out += " OVER " + window(definition)
            case nil: break
            }
            return out
        case .cast(let value, let type):
            return "CAST(" + expression(value) + " AS " + type + ")"
        case .collate(let value, let collation):
            return operand(value, atLeast: .collate) + " COLLATE " + name(collation)
        case .caseWhen(let base, let branches, let otherwise):
            var out = "CASE"
            if let base { out += " " + expression(base) }
            for branch in branches { out += " WHEN " + expression(branch.when) + " THEN " + expression(branch.then) }
            if let otherwise { out += " ELSE " + expression(otherwise) }
            return out + " END"
        case .between(let value, let not, let low, let high):
            return operand(value, atLeast: .equality) + (not ? " NOT BETWEEN " : " BETWEEN ") + operand(low, above: .equality) + " AND " + operand(high, above: .equality)
        case .like(let value, let not, let op, let pattern, let escape):
            return operand(value, atLeast: .equality) + (not ? " NOT " : " ") + op + " " + operand(pattern, above: .equality) + (escape.map { " ESCAPE " + operand($0, above: .escape) } ?? "")
        case .isNull(let value, let not):
            return operand(value, atLeast: .equality) + (not ? " IS NOT NULL" : " IS NULL")
        case .isComparison(let left, let not, let distinct, let right):
            let op = distinct ? (not ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") : (not ? " IS NOT " : " IS ")
            return operand(left, atLeast: .equality) + op + operand(right, above: .equality)
        case .inList(let value, let not, let list):
            return operand(value, atLeast: .equality) + (not ? " NOT IN (" : " IN (") + list.map(expression).joined(separator: ", ") + ")"
        case .inSelect(let value, let not, let query):
            return operand(value, atLeast: .equality) + (not ? " NOT IN (" : " IN (") + select(query) + ")"
        case .inTable(let value, let not, let table, let arguments):
            return operand(value, atLeast: .equality) + (not ? " NOT IN " : " IN ") + qualified(table) + (arguments.map { "(" + $0.map(expression).joined(separator: ", ") + ")" } ?? "")
        case .exists(let not, let query):
            return (not ? "NOT EXISTS (" : "EXISTS (") + select(query) + ")"
        case .subquery(let query):
            return "(" + select(query) + ")"
        case .row(let list):
            return "(" + list.map(expression).joined(separator: ", ") + ")"
        case .raise(let text):
            return text
        }
    }

    /// How tightly an expression's outermost operator binds; atomic expressions bind tightest.
    static func precedence(of expr: Expr) -> Precedence {
        switch expr {
        case .binary(let op, _, _):
            switch op {
            case "OR": return .or
            case "AND": return .and
            default: return Parser.binaryPrecedence[op] ?? .equality
            }
        case .unary("NOT", _): return .not
        case .collate: return .collate
        case .isNull, .isComparison, .between, .like, .inList, .inSelect, .inTable: return .equality
        case .literal(.number(let text)) where text.hasPrefix("-"): return .equality
        default: return .atom
        }
    }

    /// A left operand: parenthesised only when it binds more loosely than its operator.
    static func operand(_ expr: Expr, atLeast level: Precedence) -> String {
        precedence(of: expr) >= level ? expression(expr) : "(" + expression(expr) + ")"
    }

    /// A right operand: parenthesised unless it binds strictly tighter (operators are left-associative).
    static func operand(_ expr: Expr, above level: Precedence) -> String {
        precedence(of: expr) > level ? expression(expr) : "(" + expression(expr) + ")"
    }

    /// The operand of `-`, `+` or `~`, which bind tighter than any infix operator.
    static func prefixOperand(_ expr: Expr) -> String {
        precedence(of: expr) == .atom ? expression(expr) : "(" + expression(expr) + ")"
    }

    static func qualified(_ table: QualifiedName) -> String {
        (table.schema.map { name($0) + "." } ?? "") + name(table.name)
    }

    /// A name, bare when SQLite would read it back as the same name, else double-quoted.
    public static func name(_ name: Name) -> String {
        let text = name.text
        let bytes = text.utf8
        let plain = !bytes.isEmpty && bytes.allSatisfy { $0 < 0x80 && isIdentifierPart($0) && $0 != 0x24 }
            && !isDigit(bytes.first ?? 0)
            && Keyword.lookup(bytes) == nil
            && !postgreSQLReserved.contains(name.key)
            && name.key != "true" && name.key != "false"
        if plain { return text }
        return Quoting.wrapped(text, in: "\"")
    }

    /// Words PostgreSQL reserves that SQLite does not: quoted, so the printed SQL reads the same on both.
    static let postgreSQLReserved: Set<String> = [
        "analyse", "array", "asymmetric", "both", "current_catalog", "current_role", "current_schema",
        "current_user", "fetch", "ilike", "lateral", "leading", "localtime", "localtimestamp", "only",
        "placing", "session_user", "similar", "symmetric", "trailing", "user", "variadic", "verbose",
    ]

    static func string(_ text: String) -> String {
        Quoting.wrapped(text, in: "'")
    }
}
