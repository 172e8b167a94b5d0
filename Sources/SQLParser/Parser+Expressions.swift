/// Binding strength of SQLite's operators, loosest first (parse.y's `%left` lines).
enum Precedence: Int, Comparable {
    case lowest = 0
    case or, and, not
    /// `=`, `==`, `!=`, `<>`, IS, IN, LIKE, GLOB, MATCH, REGEXP, BETWEEN, ISNULL, NOTNULL.
    case equality
    /// `<`, `<=`, `>`, `>=`.
    case comparison
    case escape
    case bitwise
    case additive
    case multiplicative
    /// `||`, `->`, `->>`.
    case concatenation
    case collate
    /// Literals, names, calls, CASE, CAST, subqueries: never need parentheses.
    case atom

    static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rawValue < rhs.rawValue }

    var next: Precedence { Precedence(rawValue: rawValue + 1) ?? .atom }
}

extension Parser {
    mutating func expression() throws(SQLSyntaxError) -> Expr {
        try expression(above: .lowest)
    }

    mutating func expressionList() throws(SQLSyntaxError) -> [Expr] {
        var list: [Expr] = []
        list.reserveCapacity(4)  // one allocation for most lists instead of one per doubling
        repeat { list.append(try expression()) } while accept(symbol: .comma)
        return list
    }

    /// Parses an expression whose operators all bind tighter than `minimum`.
    mutating func expression(above minimum: Precedence) throws(SQLSyntaxError) -> Expr {
        try enter()
        defer { leave() }
        var left = try operand()
        while let extended = try infix(left, minimum: minimum) {
            left = extended.1
        }
        return left
    }

    /// Tries to extend `left` with one infix or postfix operator that binds tighter than `minimum`.
    private mutating func infix(_ left: Expr, minimum: Precedence) throws(SQLSyntaxError) -> (Precedence, Expr)? {
        let token = current
        switch token.kind {
        case .symbol(let symbol):
            guard let op = Self.binaryOperator(symbol), op.precedence > minimum else { return nil }
            index += 1
            return (op.precedence, .binary(op, left, try expression(above: op.precedence)))
        case .identifier where dialect == .postgresql && isWord(token, "ilike"):
            guard Precedence.equality > minimum else { return nil }
            index += 1
            return (.equality, try likeOperator("ILIKE", left: left, not: false))
        case .identifier where dialect == .postgresql && isWord(token, "similar"):
            throw SQLSyntaxError(.syntax, "SIMILAR TO is not supported; use LIKE or ILIKE.", at: token.start)
        case .keyword(let keyword):
            if dialect == .postgresql, [.glob, .regexp, .match].contains(keyword) {
                throw SQLSyntaxError(.syntax, "\(keyword.rawValue) is SQLite syntax; use LIKE or ILIKE in PostgreSQL.", at: token.start)
            }
            switch keyword {
            case .or, .and:
                let precedence: Precedence = keyword == .or ? .or : .and
                guard precedence > minimum else { return nil }
                index += 1
                return (precedence, .binary(keyword == .or ? .or : .and, left, try expression(above: precedence)))
            case .collate:
                guard Precedence.collate > minimum else { return nil }
                index += 1
                return (.collate, .collate(left, try name()))
            case .isnull, .notnull:
                guard Precedence.equality > minimum else { return nil }
                index += 1
                return (.equality, .isNull(left, not: keyword == .notnull))
            case .is:
                guard Precedence.equality > minimum else { return nil }
                index += 1
                let not = accept(.not)
                var distinct = false
                if accept(.distinct) {
                    try expect(.from)
                    distinct = true
                }
                let right = try expression(above: .equality)
                if !distinct, case .literal(.null) = right { return (.equality, .isNull(left, not: not)) }
                return (.equality, .isComparison(left, not: not, distinct: distinct, right))
            case .not, .like, .glob, .regexp, .match, .between, .in:
                guard Precedence.equality > minimum else { return nil }
                var not = false
                if keyword == .not {
                    let following = peek()
                    if following.isKeyword(.null) {
                        index += 2
                        return (.equality, .isNull(left, not: true))
                    }
                    if dialect == .postgresql, following.kind == .identifier, isWord(following, "ilike") {
                        index += 2
                        return (.equality, try likeOperator("ILIKE", left: left, not: true))
                    }
                    guard let next = following.keyword, [.like, .glob, .regexp, .match, .between, .in].contains(next) else {
                        return nil
                    }
                    if dialect == .postgresql, next != .like, next != .between, next != .in {
                        throw SQLSyntaxError(.syntax, "\(next.rawValue) is SQLite syntax; use LIKE or ILIKE in PostgreSQL.", at: following.start)
                    }
                    index += 1
                    not = true
                }
                let op = advance().keyword ?? .like
                return (.equality, try equalityOperator(op, left: left, not: not))
            default:
                return nil
            }
        default:
            return nil
        }
    }

    private mutating func equalityOperator(_ op: Keyword, left: Expr, not: Bool) throws(SQLSyntaxError) -> Expr {
        switch op {
        case .between:
            let low = try expression(above: .equality)
            try expect(.and)
            let high = try expression(above: .equality)
            return .between(left, not: not, low: low, high: high)
        case .in:
            return try inExpression(left, not: not)
        default:
            return try likeOperator(op.rawValue, left: left, not: not)
        }
    }

    /// The pattern (and ESCAPE) after LIKE, GLOB, REGEXP, MATCH or ILIKE.
    private mutating func likeOperator(_ op: String, left: Expr, not: Bool) throws(SQLSyntaxError) -> Expr {
        let pattern = try expression(above: .equality)
        var escape: Expr?
        if accept(.escape) { escape = try expression(above: .escape) }
        return .like(left, not: not, op: op, pattern: pattern, escape: escape)
    }

    private mutating func inExpression(_ left: Expr, not: Bool) throws(SQLSyntaxError) -> Expr {
        if accept(symbol: .openParen) {
            if current.isKeyword(.select) || current.isKeyword(.with) || current.isKeyword(.values) {
                let query = try select()
                try expect(symbol: .closeParen)
                return .inSelect(left, not: not, query)
            }
            var list: [Expr] = []
            if !current.isSymbol(.closeParen) { list = try expressionList() }
            try expect(symbol: .closeParen)
            return .inList(left, not: not, list)
        }
        let table = try qualifiedName()
        if accept(symbol: .openParen) {
            var arguments: [Expr] = []
            if !current.isSymbol(.closeParen) { arguments = try expressionList() }
            try expect(symbol: .closeParen)
            return .inTable(left, not: not, table, arguments: arguments)
        }
        return .inTable(left, not: not, table, arguments: nil)
    }

    /// The operator a symbol stands for before an operand (`-`, `+`, `~`), nil for any other.
    static func prefixOperator(_ symbol: Symbol) -> UnaryOperator? {
        switch symbol {
        case .minus: .minus
        case .plus: .plus
        case .tilde: .bitNot
        default: nil
        }
    }

    /// The operator a symbol stands for between two operands, nil for punctuation.
    static func binaryOperator(_ symbol: Symbol) -> BinaryOperator? {
        switch symbol {
        case .equals, .doubleEquals: .equals
        case .notEquals, .lessGreater: .notEquals
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        case .bitAnd: .bitAnd
        case .bitOr: .bitOr
        case .shiftLeft: .shiftLeft
        case .shiftRight: .shiftRight
        case .plus: .plus
        case .minus: .minus
        case .star: .multiply
        case .slash: .divide
        case .percent: .modulo
        case .concatenate: .concatenate
        case .arrow: .arrow
        case .doubleArrow: .doubleArrow
        case .openParen, .closeParen, .comma, .semicolon, .dot, .tilde, .doubleColon: nil
        }
    }

    // MARK: Operands

    /// A prefix operator and its operand, or a primary expression.
    ///
    /// `-`, `+` and `~` bind tightest; a prefix `NOT` takes everything up to the
    /// next AND or OR, wherever it appears (as SQLite's `%right NOT` does).
    mutating func operand() throws(SQLSyntaxError) -> Expr {
        let token = current
        if token.isKeyword(.not) {
            index += 1
            return .unary(.not, try expression(above: .and))
        }
        if case .symbol(let symbol) = token.kind, let op = Self.prefixOperator(symbol) {
            index += 1
            try enter()
            defer { leave() }
            return .unary(op, try operand())
        }
        if dialect == .postgresql { return try postgreSQLCasts(try primary()) }
        return try primary()
    }

    mutating func primary() throws(SQLSyntaxError) -> Expr {
        let token = current
        switch token.kind {
        case .number:
            index += 1
            return .literal(.number(text(token)))
        case .blob:
            index += 1
            return .literal(.blob(text(token)))
        case .parameter:
            index += 1
            return .parameter(text(token))
        case .string:
            if peek().isSymbol(.dot), isName(peek(2)) { return try columnReference() }
            index += 1
            return .literal(.string(text(token)))
        case .symbol(.openParen):
            index += 1
            if current.isKeyword(.select) || current.isKeyword(.with) || current.isKeyword(.values) {
                let query = try select()
                try expect(symbol: .closeParen)
                return .subquery(query)
            }
            let list = try expressionList()
            try expect(symbol: .closeParen)
            return list.count == 1 ? list[0] : .row(list)
        case .keyword(.null):
            index += 1
            return .literal(.null)
        case .keyword(.current_date), .keyword(.current_time), .keyword(.current_timestamp):
            index += 1
            return .literal(.current(token.keyword?.rawValue ?? "CURRENT_TIMESTAMP"))
        case .keyword(.cast) where peek().isSymbol(.openParen):
            return try cast()
        case .keyword(.case):
            return try caseExpression()
        case .keyword(.exists):
            index += 1
            try expect(symbol: .openParen)
            let query = try select()
            try expect(symbol: .closeParen)
            return .exists(not: false, query)
        case .keyword(.raise) where peek().isSymbol(.openParen):
            throw SQLSyntaxError(.syntax, "RAISE() is only valid inside a trigger.", at: token.start)
        default:
            guard isName(token, allowString: false) else { throw unexpected("an expression") }
            if dialect == .postgresql {
                if let literal = try postgreSQLTypedLiteral() { return literal }
                if token.kind == .identifier, isWord(token, "extract"), peek().isSymbol(.openParen) { return try postgreSQLExtract() }
            }
            if peek().isSymbol(.openParen) { return .function(try functionCall()) }
            return try columnReference()
        }
    }

    /// `column`, `table.column` or `schema.table.column`.
    mutating func columnReference() throws(SQLSyntaxError) -> Expr {
        let first = namePart()
        guard let second = dottedNamePart() else { return .column(schema: nil, table: nil, column: first.name, offset: first.offset) }
        guard let third = dottedNamePart() else { return .column(schema: nil, table: first.name, column: second.name, offset: second.offset) }
        return .column(schema: first.name, table: second.name, column: third.name, offset: third.offset)
    }

    /// The name at the current token and where it starts, moving past it.
    private mutating func namePart() -> (name: Name, offset: Int) {
        defer { index += 1 }
        return (name(of: current), current.start)
    }

    /// `.name` after a name: the name and where it starts, moving past both; nil (and nothing read)
    /// when no such part follows.
    private mutating func dottedNamePart() -> (name: Name, offset: Int)? {
        guard current.isSymbol(.dot), isName(peek()) else { return nil }
        index += 1
        return namePart()
    }

    mutating func functionCall() throws(SQLSyntaxError) -> FunctionCall {
        let nameToken = advance()
        try expect(symbol: .openParen)
        var call = FunctionCall(name: name(of: nameToken), offset: nameToken.start, distinct: false, star: false, arguments: [], filter: nil, over: nil)
        if accept(symbol: .star) {
            call.star = true
        } else if !current.isSymbol(.closeParen) {
            if accept(.distinct) { call.distinct = true } else { _ = accept(.all) }
            call.arguments = try expressionList()
        }
        try expect(symbol: .closeParen)
        if current.isKeyword(.filter), peek().isSymbol(.openParen) {
            index += 2
            try expect(.where)
            call.filter = try expression()
            try expect(symbol: .closeParen)
        }
        if current.isKeyword(.over) {
            index += 1
            if current.isSymbol(.openParen) {
                call.over = .definition(try windowDefinition())
            } else {
                call.over = .named(try name(allowString: false))
            }
        }
        return call
    }

    mutating func cast() throws(SQLSyntaxError) -> Expr {
        index += 2
        let value = try expression()
        try expect(.as)
        if dialect == .postgresql {
            let type = try postgreSQLTypeName()
            try expect(symbol: .closeParen)
            return .cast(value, type: type)
        }
        var words: [String] = []
        while isName(current, allowString: false), current.kind != .quotedIdentifier {
            words.append(advancedText().uppercased())
        }
        guard !words.isEmpty else { throw unexpected("a type name") }
        var type = words.joined(separator: " ")
        if accept(symbol: .openParen) {
            var sizes: [String] = []
            repeat {
                var sign = ""
                if accept(symbol: .minus) { sign = "-" } else { _ = accept(symbol: .plus) }
                guard current.kind == .number else { throw unexpected("a number") }
                sizes.append(sign + advancedText())
            } while accept(symbol: .comma)
            try expect(symbol: .closeParen)
            type += "(" + sizes.joined(separator: ", ") + ")"
        }
        try expect(symbol: .closeParen)
        return .cast(value, type: type)
    }

    mutating func caseExpression() throws(SQLSyntaxError) -> Expr {
        index += 1
        var base: Expr?
        if !current.isKeyword(.when) { base = try expression() }
        var branches: [(when: Expr, then: Expr)] = []
        while accept(.when) {
            let condition = try expression()
            try expect(.then)
            branches.append((condition, try expression()))
        }
        guard !branches.isEmpty else { throw unexpected("WHEN") }
        var otherwise: Expr?
        if accept(.else) { otherwise = try expression() }
        try expect(.end)
        return .caseWhen(base: base, branches: branches, otherwise: otherwise)
    }
}
