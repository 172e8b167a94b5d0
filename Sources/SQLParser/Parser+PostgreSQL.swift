/// PostgreSQL's query syntax where it differs from SQLite's, read into the same tree:
/// `x::type` and `CAST(x AS type)` with PostgreSQL's type names, `INTERVAL '7 days'`
/// and other typed literals (as casts), `EXTRACT(field FROM x)` (as `date_part`),
/// `ILIKE`, and `LIMIT ALL` / `OFFSET n ROWS` / `FETCH FIRST n ROWS ONLY` (as
/// LIMIT and OFFSET). `DISTINCT ON` is read in `selectCore()`.
///
/// What is not read here is refused, never guessed: array types and subscripts,
/// other operators, `SIMILAR TO`, interval field qualifiers, and casts to types
/// outside ``postgreSQLTypes`` (`regclass` and the other catalog types among them).
extension Parser {
    /// The types a PostgreSQL cast may name (lowercased, multi-word names with single spaces).
    static let postgreSQLTypes: Set<String> = [
        "smallint", "integer", "int", "int2", "int4", "int8", "bigint", "numeric", "decimal", "real", "float",
        "float4", "float8", "double precision", "text", "varchar", "character varying", "char", "character",
        "boolean", "bool", "date", "time", "timestamp", "timestamptz", "interval",
        "timestamp with time zone", "timestamp without time zone", "time with time zone", "time without time zone",
    ]

    /// Typed literals: `DATE '2026-10-01'`, `INTERVAL '7 days'`.
    static let postgreSQLTypedLiterals: Set<String> = ["date", "time", "timestamp", "timestamptz", "interval"]

    /// Fields `EXTRACT` and `date_part` take.
    static let postgreSQLDateFields: Set<String> = [
        "century", "day", "decade", "dow", "doy", "epoch", "hour", "isodow", "isoyear", "microseconds",
        "millennium", "milliseconds", "minute", "month", "quarter", "second", "timezone", "timezone_hour",
        "timezone_minute", "week", "year",
    ]

    /// A PostgreSQL type name after `::` or `AS` in CAST: one of ``postgreSQLTypes``, with an optional
    /// `(precision[, scale])`. Returned upper-cased, as the formatter prints it.
    mutating func postgreSQLTypeName() throws(SQLSyntaxError) -> String {
        let start = current.start
        guard isName(current, allowString: false), current.kind != .quotedIdentifier else { throw unexpected("a type name") }
        var words = [Name.fold(advancedText())]
        switch words[0] {
        case "double":
            guard isWord(current, "precision") else { throw unexpected("PRECISION") }
            words.append(Name.fold(advancedText()))
        case "character", "char":
            if isWord(current, "varying") { words.append(Name.fold(advancedText())) }
        default:
            break
        }
        var sizes: [String] = []
        if current.isSymbol(.openParen) {
            index += 1
            repeat {
                guard current.kind == .number else { throw unexpected("a number") }
                sizes.append(advancedText())
            } while accept(symbol: .comma)
            try expect(symbol: .closeParen)
        }
        if words[0] == "timestamp" || words[0] == "time", current.isKeyword(.with) || current.isKeyword(.without),
           isWord(peek(), "time"), isWord(peek(2), "zone") {
            words.append(Name.fold(advancedText()))
            words.append(Name.fold(advancedText()))
            words.append(Name.fold(advancedText()))
        }
        let type = words.joined(separator: " ")
        guard Self.postgreSQLTypes.contains(type) else {
            throw SQLSyntaxError(.syntax, "Casting to \(type) is not supported; cast to a number, text, boolean, date, time, timestamp or interval type.", at: start)
        }
        return type.uppercased() + (sizes.isEmpty ? "" : "(" + sizes.joined(separator: ", ") + ")")
    }

    /// `expr::type`, repeated: binds tighter than any other operator, as in PostgreSQL.
    mutating func postgreSQLCasts(_ value: Expr) throws(SQLSyntaxError) -> Expr {
        var value = value
        while accept(symbol: .doubleColon) {
            value = .cast(value, type: try postgreSQLTypeName())
        }
        return value
    }

    /// `DATE '…'`, `INTERVAL '…'`, …: a cast of the string, when the word is followed by one.
    mutating func postgreSQLTypedLiteral() throws(SQLSyntaxError) -> Expr? {
        guard current.kind != .quotedIdentifier, peek().kind == .string else { return nil }
        let word = folded(current)
        guard Self.postgreSQLTypedLiterals.contains(word) else { return nil }
        index += 1
        let value = advancedText()
        if word == "interval", current.kind == .identifier || current.kind.isKeywordLike,
           ["year", "month", "day", "hour", "minute", "second"].contains(folded(current)) {
            throw SQLSyntaxError(.syntax, "Interval field qualifiers are not supported; write the unit inside the string, e.g. INTERVAL '7 days'.", at: current.start)
        }
        return .cast(.literal(.string(value)), type: word.uppercased())
    }

    /// `EXTRACT(field FROM value)`, read as `date_part('field', value)` (the same value).
    mutating func postgreSQLExtract() throws(SQLSyntaxError) -> Expr {
        let nameToken = advance()
        try expect(symbol: .openParen)
        let fieldToken = current
        guard isName(fieldToken) else { throw unexpected("a date field such as year, month or day") }
        index += 1
        let field = folded(fieldToken)
        guard Self.postgreSQLDateFields.contains(field) else {
            throw SQLSyntaxError(.syntax, "EXTRACT does not know the field \(text(fieldToken)); use year, quarter, month, week, day, dow, doy, hour, minute, second or epoch.", at: fieldToken.start)
        }
        try expect(.from)
        let value = try expression()
        try expect(symbol: .closeParen)
        return .function(FunctionCall(name: Name("date_part"), offset: nameToken.start, distinct: false, star: false,
                                      arguments: [.literal(.string(field)), value], filter: nil, over: nil))
    }

    /// PostgreSQL's LIMIT and OFFSET in either order, `LIMIT ALL`, `OFFSET n ROWS` and
    /// `FETCH FIRST|NEXT [n] ROW|ROWS ONLY`.
    mutating func postgreSQLLimitAndOffset() throws(SQLSyntaxError) -> (limit: Expr?, offset: Expr?) {
        var limit: Expr?
        var offset: Expr?
        var sawLimit = false
        var sawOffset = false
        while true {
            if !sawLimit, accept(.limit) {
                sawLimit = true
                if !accept(.all) { limit = try expression() }
            } else if !sawOffset, accept(.offset) {
                sawOffset = true
                offset = try expression()
                if current.isKeyword(.row) || current.isKeyword(.rows) { index += 1 }
            } else if !sawLimit, isWord(current, "fetch") {
                sawLimit = true
                index += 1
                guard current.isKeyword(.first) || isWord(current, "next") else { throw unexpected("FIRST or NEXT") }
                index += 1
                if current.isKeyword(.row) || current.isKeyword(.rows) {
                    limit = .literal(.number("1"))
                } else {
                    limit = try expression(above: .additive)
                }
                guard current.isKeyword(.row) || current.isKeyword(.rows) else { throw unexpected("ROWS") }
                index += 1
                guard isWord(current, "only") else { throw unexpected("ONLY (WITH TIES is not supported)") }
                index += 1
            } else {
                return (limit, offset)
            }
        }
    }
}

extension Token.Kind {
    /// A keyword, which PostgreSQL may read as a plain word in this position.
    var isKeywordLike: Bool {
        if case .keyword = self { return true }
        return false
    }
}
