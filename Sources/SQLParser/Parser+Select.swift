extension Parser {
    // MARK: SELECT

    mutating func select() throws(SQLSyntaxError) -> Select {
        try enter()
        defer { leave() }
        var with: With?
        if accept(.with) {
            let recursive = accept(.recursive)
            with = With(recursive: recursive, tables: try commonTableExpressions(recursive: recursive))
        }
        var cores = [try selectCore()]
        var operators: [CompoundOperator] = []
        while let op = compoundOperator() {
            operators.append(op)
            cores.append(try selectCore())
        }
        var orderBy: [OrderingTerm] = []
        if accept(.order) {
            try expect(.by)
            orderBy = try orderingTerms()
        }
        var limit: Expr?
        var offset: Expr?
        if dialect == .postgresql {
            (limit, offset) = try postgreSQLLimitAndOffset()
        } else if accept(.limit) {
            let first = try expression()
            if accept(.offset) {
                limit = first
                offset = try expression()
            } else if accept(symbol: .comma) {
                offset = first  // LIMIT offset, count
                limit = try expression()
            } else {
                limit = first
            }
        }
        return Select(with: with, cores: cores, operators: operators, orderBy: orderBy, limit: limit, offset: offset)
    }

    mutating func commonTableExpressions(recursive: Bool) throws(SQLSyntaxError) -> [CommonTableExpression] {
        var tables: [CommonTableExpression] = []
        repeat {
            let name = try name()
            var columns: [Name] = []
            if accept(symbol: .openParen) {
                repeat { columns.append(try self.name()) } while accept(symbol: .comma)
                try expect(symbol: .closeParen)
            }
            try expect(.as)
            var materialized: Bool?
            if accept(.materialized) {
                materialized = true
            } else if current.isKeyword(.not), peek().isKeyword(.materialized) {
                index += 2
                materialized = false
            }
            try expect(symbol: .openParen)
            if dialect == .postgresql, let keyword = current.keyword, [.insert, .update, .delete].contains(keyword) {
                writeKind = "\(keyword.rawValue) inside WITH"
            } else if dialect == .postgresql, isWord(current, "merge") {
                writeKind = "MERGE inside WITH"
            }
            let body = try select()
            try expect(symbol: .closeParen)
            tables.append(CommonTableExpression(name: name, columns: columns, materialized: materialized, select: body))
        } while accept(symbol: .comma)
        return tables
    }

    mutating func compoundOperator() -> CompoundOperator? {
        if accept(.union) { return accept(.all) ? .unionAll : .union }
        if accept(.intersect) { return .intersect }
        if accept(.except) { return .except }
        return nil
    }

    mutating func selectCore() throws(SQLSyntaxError) -> SelectCore {
        if accept(.values) {
            var rows: [[Expr]] = []
            repeat {
                try expect(symbol: .openParen)
                rows.append(try expressionList())
                try expect(symbol: .closeParen)
            } while accept(symbol: .comma)
            return .values(rows)
        }
        try expect(.select)
        var distinct = false
        var distinctOn: [Expr] = []
        if accept(.distinct) {
            distinct = true
            if dialect == .postgresql, accept(.on) {
                try expect(symbol: .openParen)
                distinctOn = try expressionList()
                try expect(symbol: .closeParen)
            }
        } else {
            _ = accept(.all)
        }
        var columns: [ResultColumn] = []
        columns.reserveCapacity(8)  // one allocation for most lists instead of one per doubling
        repeat { columns.append(try resultColumn()) } while accept(symbol: .comma)
        if dialect == .postgresql, current.isKeyword(.into) {
            writeKind = "SELECT … INTO (creates a table)"
            throw unexpected("FROM")
        }
        var from: TableSource?
        if accept(.from) { from = try tableSource() }
        var whereClause: Expr?
        if accept(.where) { whereClause = try expression() }
        var groupBy: [Expr] = []
        var having: Expr?
        if accept(.group) {
            try expect(.by)
            groupBy = try expressionList()
        }
        if accept(.having) { having = try expression() }
        var windows: [(name: Name, definition: WindowDefinition)] = []
        if current.isKeyword(.window), isName(peek()), peek(2).isKeyword(.as) {
            index += 1
            repeat {
                let name = try name()
                try expect(.as)
                windows.append((name, try windowDefinition()))
            } while accept(symbol: .comma)
        }
        return .select(SelectClause(distinct: distinct, distinctOn: distinctOn, columns: columns, from: from, whereClause: whereClause, groupBy: groupBy, having: having, windows: windows))
    }

    mutating func resultColumn() throws(SQLSyntaxError) -> ResultColumn {
        if accept(symbol: .star) { return .all }
        if isName(current), peek().isSymbol(.dot), peek(2).isSymbol(.star) {
            let table = advancedName()
            index += 2
            return .allOf(table: table)
        }
        let expression = try expression()
        return .expression(expression, alias: try alias())
    }

    // MARK: FROM

    mutating func tableSource() throws(SQLSyntaxError) -> TableSource {
        var source = try singleSource()
        while let op = try joinOperator() {
            let right = try singleSource()
            var constraint: JoinConstraint?
            if accept(.on) {
                constraint = .on(try expression())
            } else if accept(.using) {
                try expect(symbol: .openParen)
                var names: [Name] = []
                repeat { names.append(try name()) } while accept(symbol: .comma)
                try expect(symbol: .closeParen)
                constraint = .using(names)
            }
            source = .join(source, op, right, constraint)
        }
        return source
    }

    mutating func joinOperator() throws(SQLSyntaxError) -> JoinOperator? {
        if accept(symbol: .comma) { return JoinOperator(kind: .comma, natural: false) }
        let natural = accept(.natural)
        var kind = JoinOperator.Kind.inner
        if accept(.left) {
            _ = accept(.outer); kind = .left
        } else if accept(.right) {
            _ = accept(.outer); kind = .right
        } else if accept(.full) {
            _ = accept(.outer); kind = .full
        } else if accept(.inner) {
            kind = .inner
        } else if accept(.cross) {
            kind = .cross
        } else if !natural && !current.isKeyword(.join) {
            return nil
        }
        try expect(.join)
        return JoinOperator(kind: kind, natural: natural)
    }

    mutating func singleSource() throws(SQLSyntaxError) -> TableSource {
        try enter()
        defer { leave() }
        if accept(symbol: .openParen) {
            if current.isKeyword(.select) || current.isKeyword(.with) || current.isKeyword(.values) {
                let query = try select()
                try expect(symbol: .closeParen)
                return .subquery(query, alias: try alias())
            }
            let inner = try tableSource()
            try expect(symbol: .closeParen)
            return .group(inner, alias: try alias())
        }
        let name = try qualifiedName()
        if accept(symbol: .openParen) {
            var arguments: [Expr] = []
            if !current.isSymbol(.closeParen) { arguments = try expressionList() }
            try expect(symbol: .closeParen)
            return .function(name, arguments: arguments, alias: try alias())
        }
        let alias = try alias()
        var hint: IndexHint?
        if dialect == .postgresql, current.isKeyword(.indexed) || (current.isKeyword(.not) && peek().isKeyword(.indexed)) {
            throw SQLSyntaxError(.syntax, "INDEXED BY is SQLite syntax; PostgreSQL chooses indexes itself.", at: current.start)
        }
        if accept(.indexed) {
            try expect(.by)
            hint = .indexedBy(try self.name())
        } else if current.isKeyword(.not), peek().isKeyword(.indexed) {
            index += 2
            hint = .notIndexed
        }
        return .table(name, alias: alias, indexedBy: hint)
    }

    // MARK: ORDER BY and windows

    mutating func orderingTerms() throws(SQLSyntaxError) -> [OrderingTerm] {
        var terms: [OrderingTerm] = []
        terms.reserveCapacity(4)
        repeat {
            let expression = try expression()
            var ascending: Bool?
            if accept(.asc) { ascending = true } else if accept(.desc) { ascending = false }
            var nullsFirst: Bool?
            if accept(.nulls) {
                if accept(.first) { nullsFirst = true } else { try expect(.last); nullsFirst = false }
            }
            terms.append(OrderingTerm(expression: expression, ascending: ascending, nullsFirst: nullsFirst))
        } while accept(symbol: .comma)
        return terms
    }

    mutating func windowDefinition() throws(SQLSyntaxError) -> WindowDefinition {
        try expect(symbol: .openParen)
        let base = windowBaseName()
        let partitionBy = try partitionClause()
        let orderBy = try orderByClause()
        let frame = try windowFrame()
        try expect(symbol: .closeParen)
        return WindowDefinition(base: base, partitionBy: partitionBy, orderBy: orderBy, frame: frame)
    }

    /// The name of a window this one extends, `OVER (w ORDER BY x)`.
    mutating func windowBaseName() -> Name? {
        guard isName(current, allowString: false) else { return nil }
        switch current.kind {
        case .keyword(.partition), .keyword(.order), .keyword(.rows), .keyword(.range), .keyword(.groups):
            return nil
        default:
            return advancedName()
        }
    }

    mutating func partitionClause() throws(SQLSyntaxError) -> [Expr] {
        guard accept(.partition) else { return [] }
        try expect(.by)
        return try expressionList()
    }

    mutating func orderByClause() throws(SQLSyntaxError) -> [OrderingTerm] {
        guard accept(.order) else { return [] }
        try expect(.by)
        return try orderingTerms()
    }

    mutating func windowFrame() throws(SQLSyntaxError) -> WindowFrame? {
        let unit: WindowFrame.Unit
        if accept(.rows) {
            unit = .rows
        } else if accept(.range) {
            unit = .range
        } else if accept(.groups) {
            unit = .groups
        } else {
            return nil
        }
        let start: WindowFrame.Bound
        var end: WindowFrame.Bound?
        if accept(.between) {
            start = try frameBound()
            try expect(.and)
            end = try frameBound()
        } else {
            start = try frameBound()
        }
        return WindowFrame(unit: unit, start: start, end: end, exclude: try frameExclusion())
    }

    mutating func frameExclusion() throws(SQLSyntaxError) -> String? {
        guard accept(.exclude) else { return nil }
        if accept(.no) {
            try expect(.others)
            return "NO OTHERS"
        }
        if accept(.current) {
            try expect(.row)
            return "CURRENT ROW"
        }
        if accept(.group) { return "GROUP" }
        try expect(.ties)
        return "TIES"
    }

    mutating func frameBound() throws(SQLSyntaxError) -> WindowFrame.Bound {
        if accept(.unbounded) {
            if accept(.preceding) { return .unboundedPreceding }
            try expect(.following)
            return .unboundedFollowing
        }
        if current.isKeyword(.current), peek().isKeyword(.row) {
            index += 2
            return .currentRow
        }
        let value = try expression(above: .comparison)
        if accept(.preceding) { return .preceding(value) }
        try expect(.following)
        return .following(value)
    }
}
