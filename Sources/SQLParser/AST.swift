/// The syntax tree of one SQL statement.
///
/// Only SELECT is modelled in full; every other statement kind is recognised
/// and named so that the guard can refuse it precisely.
public enum Statement: Sendable {
    case select(Select)
    /// Anything that is not a query, e.g. `INSERT`, `PRAGMA`, `EXPLAIN`.
    case other(kind: String, offset: Int)
}

/// A full query: optional WITH, one or more compounded cores, ORDER BY, LIMIT.
public struct Select: Sendable {
    public var with: With?
    public var cores: [SelectCore]
    /// The operators between `cores` (`cores.count - 1` of them).
    public var operators: [CompoundOperator]
    public var orderBy: [OrderingTerm]
    public var limit: Expr?
    public var offset: Expr?

    public init(with: With?, cores: [SelectCore], operators: [CompoundOperator], orderBy: [OrderingTerm], limit: Expr?, offset: Expr?) {
        self.with = with
        self.cores = cores
        self.operators = operators
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
    }
}

public struct With: Sendable {
    public var recursive: Bool
    public var tables: [CommonTableExpression]
}

public struct CommonTableExpression: Sendable {
    public var name: Name
    public var columns: [Name]
    /// `AS MATERIALIZED` (true), `AS NOT MATERIALIZED` (false) or neither.
    public var materialized: Bool?
    public var select: Select
}

public enum CompoundOperator: String, Sendable {
    case union = "UNION"
    case unionAll = "UNION ALL"
    case intersect = "INTERSECT"
    case except = "EXCEPT"
}

public enum SelectCore: Sendable {
    case select(SelectClause)
    case values([[Expr]])
}

public struct SelectClause: Sendable {
    public var distinct: Bool
    /// PostgreSQL's `DISTINCT ON (…)`: one row per distinct value of these (`distinct` is then true).
    public var distinctOn: [Expr]
    public var columns: [ResultColumn]
    public var from: TableSource?
    public var whereClause: Expr?
    public var groupBy: [Expr]
    public var having: Expr?
    public var windows: [(name: Name, definition: WindowDefinition)]

    public init(distinct: Bool, distinctOn: [Expr] = [], columns: [ResultColumn], from: TableSource?, whereClause: Expr?, groupBy: [Expr], having: Expr?, windows: [(name: Name, definition: WindowDefinition)]) {
        self.distinct = distinct
        self.distinctOn = distinctOn
        self.columns = columns
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.windows = windows
    }
}

public enum ResultColumn: Sendable {
    /// `*`
    case all
    /// `t.*`
    case allOf(table: Name)
    case expression(Expr, alias: Name?)
}

/// A schema-qualified name such as `main.experiments`.
public struct QualifiedName: Sendable {
    public var schema: Name?
    public var name: Name
    /// Byte offset of the name in the source.
    public var offset: Int

    public init(schema: Name?, name: Name, offset: Int) {
        self.schema = schema
        self.name = name
        self.offset = offset
    }
}

public indirect enum TableSource: Sendable {
    case table(QualifiedName, alias: Name?, indexedBy: IndexHint?)
    case function(QualifiedName, arguments: [Expr], alias: Name?)
    case subquery(Select, alias: Name?)
    case join(TableSource, JoinOperator, TableSource, JoinConstraint?)
    /// A parenthesised join list, `( a JOIN b ON … )`.
    case group(TableSource, alias: Name?)
}

public enum IndexHint: Sendable {
    case indexedBy(Name)
    case notIndexed
}

public struct JoinOperator: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// `,` and plain `JOIN`/`INNER JOIN`.
        case inner = "JOIN"
        case comma = ","
        case cross = "CROSS JOIN"
        case left = "LEFT JOIN"
        case right = "RIGHT JOIN"
        case full = "FULL JOIN"
    }
    public var kind: Kind
    public var natural: Bool
}

public enum JoinConstraint: Sendable {
    case on(Expr)
    case using([Name])
}

public struct OrderingTerm: Sendable {
    public var expression: Expr
    /// true ASC, false DESC, nil unspecified.
    public var ascending: Bool?
    /// true NULLS FIRST, false NULLS LAST, nil unspecified.
    public var nullsFirst: Bool?
}

public struct WindowDefinition: Sendable {
    public var base: Name?
    public var partitionBy: [Expr]
    public var orderBy: [OrderingTerm]
    public var frame: WindowFrame?
}

public struct WindowFrame: Sendable {
    public enum Unit: String, Sendable { case rows = "ROWS", range = "RANGE", groups = "GROUPS" }
    public enum Bound: Sendable {
        case unboundedPreceding
        case preceding(Expr)
        case currentRow
        case following(Expr)
        case unboundedFollowing
    }
    public var unit: Unit
    public var start: Bound
    /// nil for the one-bound form (`ROWS 3 PRECEDING`).
    public var end: Bound?
    /// `EXCLUDE …` text, e.g. `NO OTHERS`, `CURRENT ROW`, `GROUP`, `TIES`.
    public var exclude: String?
}

public enum Literal: Sendable, Equatable {
    /// Number as written.
    case number(String)
    case string(String)
    /// Blob as written, `X'…'`.
    case blob(String)
    case null
    /// CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP.
    case current(String)
}

public struct FunctionCall: Sendable {
    public var name: Name
    public var offset: Int
    public var distinct: Bool
    /// `count(*)`.
    public var star: Bool
    public var arguments: [Expr]
    public var filter: Expr?
    public var over: Over?

    public enum Over: Sendable {
        case named(Name)
        case definition(WindowDefinition)
    }
}

public indirect enum Expr: Sendable {
    case literal(Literal)
    case parameter(String)
    /// `[schema.][table.]column`; `offset` points at the column name.
    case column(schema: Name?, table: Name?, column: Name, offset: Int)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case function(FunctionCall)
    case cast(Expr, type: String)
    case collate(Expr, Name)
    case caseWhen(base: Expr?, branches: [(when: Expr, then: Expr)], otherwise: Expr?)
    case between(Expr, not: Bool, low: Expr, high: Expr)
    /// `LIKE`, `GLOB`, `REGEXP`, `MATCH`, and PostgreSQL's `ILIKE`.
    case like(Expr, not: Bool, op: String, pattern: Expr, escape: Expr?)
    /// `x ISNULL`, `x NOTNULL`, `x NOT NULL`, `x IS NULL` are all `isNull`.
    case isNull(Expr, not: Bool)
    /// `IS`, `IS NOT`, `IS [NOT] DISTINCT FROM`.
    case isComparison(Expr, not: Bool, distinct: Bool, Expr)
    case inList(Expr, not: Bool, [Expr])
    case inSelect(Expr, not: Bool, Select)
    /// `x IN table` or `x IN table_function(args)`.
    case inTable(Expr, not: Bool, QualifiedName, arguments: [Expr]?)
    case exists(not: Bool, Select)
    case subquery(Select)
    /// `(a, b)`: a row value.
    case row([Expr])
    case raise(String)
}

/// A prefix operator; its raw value is how it is written.
public enum UnaryOperator: String, Sendable {
    case not = "NOT"
    case minus = "-"
    case plus = "+"
    case bitNot = "~"
}

/// An infix operator, as written out (`==` is read as `=`, `<>` as `!=`).
public enum BinaryOperator: String, Sendable {
    case or = "OR"
    case and = "AND"
    case equals = "="
    case notEquals = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case bitAnd = "&"
    case bitOr = "|"
    case shiftLeft = "<<"
    case shiftRight = ">>"
    case plus = "+"
    case minus = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case concatenate = "||"
    case arrow = "->"
    case doubleArrow = "->>"

    /// How tightly it binds (parse.y's `%left` lines).
    var precedence: Precedence {
        switch self {
        case .or: .or
        case .and: .and
        case .equals, .notEquals: .equality
        case .less, .lessOrEqual, .greater, .greaterOrEqual: .comparison
        case .bitAnd, .bitOr, .shiftLeft, .shiftRight: .bitwise
        case .plus, .minus: .additive
        case .multiply, .divide, .modulo: .multiplicative
        case .concatenate, .arrow, .doubleArrow: .concatenation
        }
    }
}
