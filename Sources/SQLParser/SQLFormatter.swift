/// Prints a syntax tree back as SQL: the normalised text the guard approves
/// and the executor runs.
///
/// Keywords are upper case, names are quoted only when they must be, and every
/// compound operand is parenthesised, so the printed text means exactly what
/// the tree means regardless of operator precedence. Everything is appended to
/// one string (``SQLWriter``), not built from pieces.
public enum SQLFormatter {
    public static func select(_ select: Select) -> String {
        var writer = SQLWriter()
        writer.select(select)
        return writer.out.string
    }

    public static func source(_ source: TableSource) -> String {
        var writer = SQLWriter()
        writer.source(source)
        return writer.out.string
    }

    public static func expression(_ expr: Expr) -> String {
        var writer = SQLWriter()
        writer.expression(expr)
        return writer.out.string
    }

    /// How tightly an expression's outermost operator binds; atomic expressions bind tightest.
    static func precedence(of expr: Expr) -> Precedence {
        switch expr {
        case .binary(let op, _, _): return op.precedence
        case .unary(.not, _): return .not
        case .collate: return .collate
        case .isNull, .isComparison, .between, .like, .inList, .inSelect, .inTable: return .equality
        case .literal(.number(let text)) where text.hasPrefix("-"): return .equality
        default: return .atom
        }
    }

    /// A name, bare when SQLite would read it back as the same name, else double-quoted.
    public static func name(_ name: Name) -> String {
        var writer = SQLWriter()
        writer.name(name)
        return writer.out.string
    }

    /// Whether SQLite (and PostgreSQL) would read a name, given as UTF-8, back as the same name bare:
    /// ASCII letters, digits and `_`, not starting with a digit, and not a keyword (SQLite's,
    /// PostgreSQL's reserved words, `true`, `false`). One pass checks the bytes and takes the keyword
    /// hash.
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, !isDigit(first) else { return false }
        var hash = Keyword.hashSeed
        for byte in bytes {
            guard byte < 0x80, isIdentifierPart(byte), byte != 0x24 else { return false }
            hash = Keyword.hashStep(hash, byte)
        }
        return Keyword.lookup(hash: hash, bytes) == nil && !isPostgreSQLReserved(bytes) && !isBoolean(bytes)
    }

    /// Words PostgreSQL reserves that SQLite does not: quoted, so the printed SQL reads the same on both.
    static let postgreSQLReserved: [String] = [
        "analyse", "array", "asymmetric", "both", "current_catalog", "current_role", "current_schema",
        "current_user", "fetch", "ilike", "lateral", "leading", "localtime", "localtimestamp", "only",
        "placing", "session_user", "similar", "symmetric", "trailing", "user", "variadic", "verbose",
    ]

    /// The reserved words by length, as bytes: a name is compared only with the words of its length.
    private static let reservedByLength: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 17)
        for word in postgreSQLReserved { table[word.utf8.count].append(Array(word.utf8)) }
        return table
    }()

    /// Whether ASCII `bytes` spell a reserved word, ignoring ASCII case.
    static func isPostgreSQLReserved(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count < reservedByLength.count else { return false }
        return reservedByLength[bytes.count].contains { word in Name.folds(bytes, to: word) }
    }

    /// `true` or `false` in any case: printed quoted when they name a column.
    static func isBoolean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        Name.folds(bytes, to: trueBytes) || Name.folds(bytes, to: falseBytes)
    }

    private static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)
}

/// UTF-8 bytes, appended with `+=` (static text) or `append` (text made at run time): each piece is
/// copied in once (a `String` append goes through the runtime's general path, several times slower
/// for pieces this small).
struct SQLBuffer {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(512)
    }

    /// Keywords and punctuation: text known at compile time, copied from where the literal lies.
    static func += (buffer: inout SQLBuffer, text: StaticString) {
        text.withUTF8Buffer { buffer.append($0) }
    }

    /// Text made at run time (numbers, operators, type names).
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Short pieces (most: keywords, names, punctuation) byte by byte, which costs less than the
    /// general copy's set-up; longer ones in one copy.
    @inline(__always) mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        if text.count <= 16 {
            for byte in text { bytes.append(byte) }
        } else {
            bytes.append(contentsOf: text)
        }
    }

    /// `text` quoted as ``Quoting`` quotes it.
    mutating func quoted(_ text: String, in quote: Unicode.Scalar) {
        Quoting.append(text, in: quote, to: &bytes)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// The formatter's output, appended to in order.
struct SQLWriter {
    var out = SQLBuffer()

    /// `items` separated by `", "`.
    private mutating func list<T>(_ items: [T], _ write: (inout SQLWriter, T) -> Void) {
        for (index, item) in items.enumerated() {
            if index > 0 { out += ", " }
            write(&self, item)
        }
    }

    private mutating func alias(_ alias: Name?) {
        if let alias {
            out += " AS "
            name(alias)
        }
    }

    /// A name, bare when it reads back as itself, else double-quoted; the bytes are checked and
    /// copied in the same visit.
    mutating func name(_ name: Name) {
        var text = name.text
        let plain = text.withUTF8 { bytes in
            // A catalog spelling was checked in full when the catalog was built; a plain word (as the
            // lexer read it) is plain unless PostgreSQL reserves it or it is a boolean.
            let isPlain = name.number >= 0 || (name.isPlainWord ? !SQLFormatter.isPostgreSQLReserved(bytes) && !SQLFormatter.isBoolean(bytes) : SQLFormatter.isPlain(bytes))
            guard isPlain else { return false }
            out.append(bytes)
            return true
        }
        if !plain { out.quoted(name.text, in: "\"") }
    }

    mutating func select(_ select: Select) {
        if let with = select.with {
            out += with.recursive ? "WITH RECURSIVE " : "WITH "
            list(with.tables) { $0.cte($1) }
            out += " "
        }
        for (index, core) in select.cores.enumerated() {
            if index > 0 {
                out += " "
                out.append(select.operators[index - 1].rawValue)
                out += " "
            }
            self.core(core)
        }
        if !select.orderBy.isEmpty {
            out += " ORDER BY "
            list(select.orderBy) { $0.ordering($1) }
        }
        if let limit = select.limit {
            out += " LIMIT "
            expression(limit)
            if let offset = select.offset {
                out += " OFFSET "
                expression(offset)
            }
        }
    }

    mutating func cte(_ cte: CommonTableExpression) {
        name(cte.name)
        if !cte.columns.isEmpty {
            out += "("
            list(cte.columns) { $0.name($1) }
            out += ")"
        }
        out += " AS "
        if let materialized = cte.materialized { out += materialized ? "MATERIALIZED " : "NOT MATERIALIZED " }
        out += "("
        select(cte.select)
        out += ")"
    }

    mutating func core(_ core: SelectCore) {
        switch core {
        case .values(let rows):
            out += "VALUES "
            list(rows) { writer, row in
                writer.out += "("
                writer.list(row) { $0.expression($1) }
                writer.out += ")"
            }
        case .select(let clause):
            out += clause.distinct ? "SELECT DISTINCT " : "SELECT "
            if !clause.distinctOn.isEmpty {
                out += "ON ("
                list(clause.distinctOn) { $0.expression($1) }
                out += ") "
            }
            list(clause.columns) { $0.resultColumn($1) }
            if let from = clause.from {
                out += " FROM "
                source(from)
            }
            if let condition = clause.whereClause {
                out += " WHERE "
                expression(condition)
            }
            if !clause.groupBy.isEmpty {
                out += " GROUP BY "
                list(clause.groupBy) { $0.expression($1) }
            }
            if let having = clause.having {
                out += " HAVING "
                expression(having)
            }
            if !clause.windows.isEmpty {
                out += " WINDOW "
                list(clause.windows) { writer, window in
                    writer.name(window.name)
                    writer.out += " AS "
                    writer.window(window.definition)
                }
            }
        }
    }

    mutating func resultColumn(_ column: ResultColumn) {
        switch column {
        case .all: out += "*"
        case .allOf(let table):
            name(table)
            out += ".*"
        case .expression(let expr, let alias):
            expression(expr)
            self.alias(alias)
        }
    }

    mutating func source(_ source: TableSource) {
        switch source {
        case .table(let table, let alias, let hint):
            qualified(table)
            self.alias(alias)
            switch hint {
            case .indexedBy(let index):
                out += " INDEXED BY "
                name(index)
            case .notIndexed: out += " NOT INDEXED"
            case nil: break
            }
        case .function(let function, let arguments, let alias):
            qualified(function)
            out += "("
            list(arguments) { $0.expression($1) }
            out += ")"
            self.alias(alias)
        case .subquery(let query, let alias):
            out += "("
            select(query)
            out += ")"
            self.alias(alias)
        case .group(let inner, let alias):
            out += "("
            self.source(inner)
            out += ")"
            self.alias(alias)
        case .join(let left, let op, let right, let constraint):
            self.source(left)
            if op.kind == .comma {
                out += ", "
            } else {
                out += " "
                if op.natural { out += "NATURAL " }
                out.append(op.kind.rawValue)
                out += " "
            }
            self.source(right)
            switch constraint {
            case .on(let condition):
                out += " ON "
                expression(condition)
            case .using(let names):
                out += " USING ("
                list(names) { $0.name($1) }
                out += ")"
            case nil: break
            }
        }
    }

    mutating func ordering(_ term: OrderingTerm) {
        expression(term.expression)
        if let ascending = term.ascending { out += ascending ? " ASC" : " DESC" }
        if let nullsFirst = term.nullsFirst { out += nullsFirst ? " NULLS FIRST" : " NULLS LAST" }
    }

    mutating func window(_ definition: WindowDefinition) {
        out += "("
        var first = true
        func part(_ writer: inout SQLWriter) {
            if !first { writer.out += " " }
            first = false
        }
        if let base = definition.base {
            part(&self)
            name(base)
        }
        if !definition.partitionBy.isEmpty {
            part(&self)
            out += "PARTITION BY "
            list(definition.partitionBy) { $0.expression($1) }
        }
        if !definition.orderBy.isEmpty {
            part(&self)
            out += "ORDER BY "
            list(definition.orderBy) { $0.ordering($1) }
        }
        if let frame = definition.frame {
            part(&self)
            out.append(frame.unit.rawValue)
            out += " "
            if let end = frame.end {
                out += "BETWEEN "
                bound(frame.start)
                out += " AND "
                bound(end)
            } else {
                bound(frame.start)
            }
            if let exclude = frame.exclude {
                out += " EXCLUDE "
                out.append(exclude)
            }
        }
        out += ")"
    }

    mutating func bound(_ bound: WindowFrame.Bound) {
        switch bound {
        case .unboundedPreceding: out += "UNBOUNDED PRECEDING"
        case .preceding(let value):
            expression(value)
            out += " PRECEDING"
        case .currentRow: out += "CURRENT ROW"
        case .following(let value):
            expression(value)
            out += " FOLLOWING"
        case .unboundedFollowing: out += "UNBOUNDED FOLLOWING"
        }
    }

    // MARK: Expressions

    mutating func expression(_ expr: Expr) {
        switch expr {
        case .literal(let literal):
            switch literal {
            case .number(let text), .blob(let text), .current(let text): out.append(text)
            case .string(let text): out.quoted(text, in: "'")
            case .null: out += "NULL"
            }
        case .parameter(let text):
            out.append(text)
        case .column(nil, nil, let column, _) where column.isPlainWord && (column.key == "true" || column.key == "false"):
            // Bare TRUE/FALSE: a column if one has that name, else a boolean, exactly as written. (Written
            // quoted, it is a name and stays quoted: bare, PostgreSQL would read the boolean instead.)
            out.append(column.text)
        case .column(let schema, let table, let column, _):
            if let schema {
                name(schema)
                out += "."
            }
            if let table {
                name(table)
                out += "."
            }
            name(column)
        case .unary(let op, let value):
            if op == .not {
                out += "NOT "
                operand(value, above: .and)
                return
            }
            out.append(op.rawValue)
            // A nested prefix operator is separated by a space, so `- -x` never becomes a `--` comment.
            if case .unary(let inner, _) = value, inner != .not {
                out += " "
                expression(value)
                return
            }
            prefixOperand(value)
        case .binary(let op, let left, let right):
            let level = SQLFormatter.precedence(of: expr)
            operand(left, atLeast: level)
            out += " "
            out.append(op.rawValue)
            out += " "
            operand(right, above: level)
        case .function(let call):
            name(call.name)
            out += "("
            if call.star {
                out += "*"
            } else {
                if call.distinct { out += "DISTINCT " }
                list(call.arguments) { $0.expression($1) }
            }
            out += ")"
            if let filter = call.filter {
                out += " FILTER (WHERE "
                expression(filter)
                out += ")"
            }
            switch call.over {
            case .named(let window):
                out += " OVER "
                name(window)
            case .definition(let definition):
                out += " OVER "
                window(definition)
            case nil: break
            }
        case .cast(let value, let type):
            out += "CAST("
            expression(value)
            out += " AS "
            out.append(type)
            out += ")"
        case .collate(let value, let collation):
            operand(value, atLeast: .collate)
            out += " COLLATE "
            name(collation)
        case .caseWhen(let base, let branches, let otherwise):
            out += "CASE"
            if let base {
                out += " "
                expression(base)
            }
            for branch in branches {
                out += " WHEN "
                expression(branch.when)
                out += " THEN "
                expression(branch.then)
            }
            if let otherwise {
                out += " ELSE "
                expression(otherwise)
            }
            out += " END"
        case .between(let value, let not, let low, let high):
            operand(value, atLeast: .equality)
            out += not ? " NOT BETWEEN " : " BETWEEN "
            operand(low, above: .equality)
            out += " AND "
            operand(high, above: .equality)
        case .like(let value, let not, let op, let pattern, let escape):
            operand(value, atLeast: .equality)
            out += not ? " NOT " : " "
            out.append(op)
            out += " "
            operand(pattern, above: .equality)
            if let escape {
                out += " ESCAPE "
                operand(escape, above: .escape)
            }
        case .isNull(let value, let not):
            operand(value, atLeast: .equality)
            out += not ? " IS NOT NULL" : " IS NULL"
        case .isComparison(let left, let not, let distinct, let right):
            operand(left, atLeast: .equality)
            out += distinct ? (not ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") : (not ? " IS NOT " : " IS ")
            operand(right, above: .equality)
        case .inList(let value, let not, let items):
            operand(value, atLeast: .equality)
            out += not ? " NOT IN (" : " IN ("
            list(items) { $0.expression($1) }
            out += ")"
        case .inSelect(let value, let not, let query):
            operand(value, atLeast: .equality)
            out += not ? " NOT IN (" : " IN ("
            select(query)
            out += ")"
        case .inTable(let value, let not, let table, let arguments):
            operand(value, atLeast: .equality)
            out += not ? " NOT IN " : " IN "
            qualified(table)
            if let arguments {
                out += "("
                list(arguments) { $0.expression($1) }
                out += ")"
            }
        case .exists(let not, let query):
            out += not ? "NOT EXISTS (" : "EXISTS ("
            select(query)
            out += ")"
        case .subquery(let query):
            out += "("
            select(query)
            out += ")"
        case .row(let items):
            out += "("
            list(items) { $0.expression($1) }
            out += ")"
        case .raise(let text):
            out.append(text)
        }
    }

    private mutating func parenthesised(_ expr: Expr, _ bare: Bool) {
        if bare {
            expression(expr)
        } else {
            out += "("
            expression(expr)
            out += ")"
        }
    }

    /// A left operand: parenthesised only when it binds more loosely than its operator.
    mutating func operand(_ expr: Expr, atLeast level: Precedence) {
        parenthesised(expr, SQLFormatter.precedence(of: expr) >= level)
    }

    /// A right operand: parenthesised unless it binds strictly tighter (operators are left-associative).
    mutating func operand(_ expr: Expr, above level: Precedence) {
        parenthesised(expr, SQLFormatter.precedence(of: expr) > level)
    }

    /// The operand of `-`, `+` or `~`, which bind tighter than any infix operator.
    mutating func prefixOperand(_ expr: Expr) {
        parenthesised(expr, SQLFormatter.precedence(of: expr) == .atom)
    }

    mutating func qualified(_ table: QualifiedName) {
        if let schema = table.schema {
            name(schema)
            out += "."
        }
        name(table.name)
    }
}
