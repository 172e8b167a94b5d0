/// A recursive-descent parser for SQLite's SQL, modelled on SQLite's own
/// grammar (`parse.y`, 3.40), that also reads PostgreSQL's query syntax where it
/// differs (`::` casts, `ILIKE`, `DISTINCT ON`, typed literals such as
/// `INTERVAL '7 days'`, `EXTRACT`, `FETCH FIRST`, dollar-quoted strings): see
/// `Parser+PostgreSQL.swift`.
///
/// SELECT statements (with WITH, compounds, joins, window functions and every
/// expression form) are parsed into a tree; every other statement kind is
/// recognised by its first keyword and returned as ``Statement/other(kind:offset:)``.
/// Depth, length and token limits make hostile input fail fast with a position.
public struct Parser {
    var tokens: [Token]
    /// The UTF-8 source the tokens are ranges of.
    let source: [UInt8]
    var index = 0
    var depth = 0
    let limits: ParserLimits
    let dialect: SQLDialect
    /// Set when a query turns out to write or lock (`SELECT … INTO`, `FOR UPDATE`, a data-modifying
    /// CTE): the statement is then reported as that kind instead of as a syntax error.
    var writeKind: String?
    /// Names made once that a plain word may be (a catalog's): see ``name(of:)``.
    let names: NameTable

    init(tokens: [Token], source: [UInt8], dialect: SQLDialect = .sqlite, limits: ParserLimits, names: NameTable = NameTable()) {
        self.tokens = tokens
        self.source = source
        self.dialect = dialect
        self.limits = limits
        self.names = names
    }

    /// Parses every statement in `sql`, each on its own: a statement that
    /// fails to parse does not hide the kinds of the others.
    ///
    /// - Parameter names: a catalog's names (``SchemaCatalog/names``): a name written as declared
    ///   is taken from there, numbered, instead of built; the tree is the same either way.
    /// - Throws: ``SQLSyntaxError`` with `.tooLong` or `.tooDeep`, or `.syntax`
    ///   for lexical errors (which leave no safe place to resume).
    public static func parse(_ sql: String, dialect: SQLDialect = .sqlite, limits: ParserLimits = .default, names: NameTable = NameTable()) throws(SQLSyntaxError) -> [Result<Statement, SQLSyntaxError>] {
        let bytes = Array(sql.utf8)
        if bytes.count > limits.maxLength {
            throw SQLSyntaxError(.tooLong, "The query is \(bytes.count) bytes long; the limit is \(limits.maxLength).", at: limits.maxLength)
        }
        let tokens = try Lexer.tokenize(bytes, dialect: dialect, limits: limits)
        var parser = Parser(tokens: tokens, source: bytes, dialect: dialect, limits: limits, names: names)
        return try parser.statements()
    }

    /// Parses one expression and nothing after it (used for trusted fragments such as row policies).
    public static func parseExpression(_ sql: String, dialect: SQLDialect = .sqlite, limits: ParserLimits = .default) throws(SQLSyntaxError) -> Expr {
        let bytes = Array(sql.utf8)
        let tokens = try Lexer.tokenize(bytes, dialect: dialect, limits: limits)
        var parser = Parser(tokens: tokens, source: bytes, dialect: dialect, limits: limits)
        let expression = try parser.expression()
        guard parser.current.kind == .end else { throw parser.unexpected("the end of the expression") }
        return expression
    }

    // MARK: Statements

    mutating func statements() throws(SQLSyntaxError) -> [Result<Statement, SQLSyntaxError>] {
        var results: [Result<Statement, SQLSyntaxError>] = []
        while true {
            while current.isSymbol(.semicolon) { index += 1 }
            if current.kind == .end { return results }
            let start = current.start
            writeKind = nil
            do throws(SQLSyntaxError) {
                let statement = try statement()
                if dialect == .postgresql, current.isKeyword(.for) {
                    writeKind = "SELECT … FOR UPDATE/SHARE (row locks)"
                }
                guard current.isSymbol(.semicolon) || current.kind == .end else {
                    throw unexpected("the end of the statement")
                }
                results.append(.success(statement))
            } catch {
                if error.code != .syntax { throw error }
                if let writeKind {
                    results.append(.success(.other(kind: writeKind, offset: start)))
                } else {
                    results.append(.failure(error))
                }
                depth = 0
                while !current.isSymbol(.semicolon) && current.kind != .end { index += 1 }
            }
        }
    }

    mutating func statement() throws(SQLSyntaxError) -> Statement {
        let start = current
        if dialect == .postgresql, start.kind != .quotedIdentifier, !start.isKeyword(.select), !start.isKeyword(.with),
           Self.postgreSQLStatementKinds.contains(folded(start)) {
            skipStatement()
            return .other(kind: text(start).uppercased(), offset: start.start)
        }
        switch start.kind {
        case .keyword(.select), .keyword(.values):
            return .select(try select())
        case .keyword(.with):
            // WITH also prefixes INSERT, UPDATE, DELETE and REPLACE.
            let saved = index
            index += 1
            if current.isKeyword(.recursive) { index += 1 }
            _ = try commonTableExpressions(recursive: false)
            if let keyword = current.keyword, [.insert, .update, .delete, .replace].contains(keyword) {
                let kind = keyword.rawValue
                skipStatement()
                return .other(kind: kind, offset: start.start)
            }
            index = saved
            return .select(try select())
        case .keyword(let keyword) where Self.otherStatementKinds.contains(keyword):
            skipStatement()
            return .other(kind: keyword == .end ? "COMMIT" : keyword.rawValue, offset: start.start)
        case .end:
            throw SQLSyntaxError(.syntax, "Empty statement.", at: start.start)
        case .keyword(.table) where dialect == .postgresql:
            // `TABLE name` is PostgreSQL's `SELECT * FROM name`: read it as that.
            index += 1
            let name = try qualifiedName()
            let clause = SelectClause(distinct: false, columns: [.all], from: .table(name, alias: nil, indexedBy: nil), whereClause: nil, groupBy: [], having: nil, windows: [])
            return .select(Select(with: nil, cores: [.select(clause)], operators: [], orderBy: [], limit: nil, offset: nil))
        default:
            throw SQLSyntaxError(.syntax, "A statement cannot start with \(describe(start)); queries start with SELECT, WITH or VALUES.", at: start.start)
        }
    }

    static let otherStatementKinds: Set<Keyword> = [
        .insert, .update, .delete, .replace, .create, .drop, .alter, .attach, .detach, .pragma, .vacuum,
        .reindex, .analyze, .begin, .commit, .end, .rollback, .savepoint, .release, .explain,
    ]

    /// PostgreSQL statements that are not queries and that SQLite has no keyword for.
    static let postgreSQLStatementKinds: Set<String> = [
        "abort", "call", "checkpoint", "close", "cluster", "comment", "copy", "deallocate", "declare", "discard",
        "do", "execute", "fetch", "grant", "import", "listen", "load", "lock", "merge", "move", "notify",
        "prepare", "reassign", "refresh", "reset", "revoke", "security", "set", "show", "start", "truncate",
        "unlisten",
    ]

    private mutating func skipStatement() {
        while !current.isSymbol(.semicolon) && current.kind != .end { index += 1 }
    }

    // MARK: Token helpers

    var current: Token { tokens[index] }

    /// A token's value (``Token/text(in:)``), made only when the parser keeps or compares it.
    func text(_ token: Token) -> String { token.text(in: source) }

    @inline(__always) func peek(_ offset: Int = 1) -> Token {
        tokens[min(index + offset, tokens.count - 1)]
    }

    @inline(__always) mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// The current token's value, moving past it. (One step, not `text(advance())`: that would
    /// copy the whole parser to call `text` on it before `advance()` changes it.)
    mutating func advancedText() -> String {
        let token = advance()
        return text(token)
    }

    /// The token's value folded as PostgreSQL folds an unquoted name (ASCII letters only, as
    /// ``Name/fold(_:)``), to compare with a word PostgreSQL has and SQLite does not.
    func folded(_ token: Token) -> String { Name.fold(text(token)) }

    /// Whether the token is the bare word `word` (lowercase ASCII), in any ASCII case: a word
    /// PostgreSQL has and SQLite does not, compared on the source bytes without making a `String`.
    /// Quoted, it is a name or a string, never that word (as in PostgreSQL).
    func isWord(_ token: Token, _ word: StaticString) -> Bool {
        switch token.kind {
        case .identifier, .keyword:
            guard token.start >= 0, token.start <= token.end, token.end <= source.count else { return false }
            return source.withUnsafeBufferPointer { bytes in
                word.withUTF8Buffer { Name.folds(UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), to: $0) }
            }
        default:
            return false
        }
    }

    /// The name a token spells, carrying what the lexer knows about printing it bare; a plain word
    /// spelled as the catalog declares it is the catalog's name, already made.
    func name(of token: Token) -> Name {
        if token.isPlainWord, let known = names.lookup(source, token.start, token.end) { return known }
        return Name(text(token), isPlainWord: token.isPlainWord)
    }

    /// The current token as a name, moving past it.
    mutating func advancedName() -> Name {
        let token = advance()
        return name(of: token)
    }

    @inline(__always) mutating func accept(_ keyword: Keyword) -> Bool {
        if current.isKeyword(keyword) { index += 1; return true }
        return false
    }

    @inline(__always) mutating func accept(symbol: Symbol) -> Bool {
        if current.isSymbol(symbol) { index += 1; return true }
        return false
    }

    mutating func expect(_ keyword: Keyword) throws(SQLSyntaxError) {
        guard accept(keyword) else { throw unexpected(keyword.rawValue) }
    }

    mutating func expect(symbol: Symbol) throws(SQLSyntaxError) {
        guard accept(symbol: symbol) else { throw unexpected("'\(symbol.rawValue)'") }
    }

    func unexpected(_ expected: String) -> SQLSyntaxError {
        SQLSyntaxError(.syntax, "Expected \(expected) but found \(describe(current)) at byte \(current.start).", at: current.start)
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: "the end of the input"
        case .keyword(let keyword): keyword.rawValue
        case .string: "the string '\(text(token).prefix(40))'"
        case .identifier, .quotedIdentifier: "the name \(text(token).prefix(40))"
        default: "'\(text(token).prefix(40))'"
        }
    }

    mutating func enter() throws(SQLSyntaxError) {
        depth += 1
        if depth > limits.maxDepth {
            throw SQLSyntaxError(.tooDeep, "The query nests deeper than \(limits.maxDepth) levels; flatten it.", at: current.start)
        }
    }

    mutating func leave() { depth -= 1 }

    // MARK: Names

    /// `nm`: an identifier, quoted identifier, string literal, join keyword or
    /// a keyword SQLite lets stand as a name.
    func isName(_ token: Token, allowString: Bool = true) -> Bool {
        switch token.kind {
        case .identifier, .quotedIdentifier: true
        case .string: allowString
        case .keyword(let keyword): keyword.canBeName || keyword.isJoinKeyword || keyword == .indexed
        default: false
        }
    }

    mutating func name(allowString: Bool = true) throws(SQLSyntaxError) -> Name {
        guard isName(current, allowString: allowString) else { throw unexpected("a name") }
        return advancedName()
    }

    /// An alias written without AS: only `ID` or `STRING` in SQLite's grammar
    /// (which includes fallback keywords, but not join keywords).
    func isBareAlias(_ token: Token) -> Bool {
        let candidate = switch token.kind {
        case .identifier, .quotedIdentifier, .string: true
        case .keyword(let keyword):
            switch keyword {
            case .window, .over, .filter, .like, .glob, .regexp, .match: false
            default: keyword.canBeName
            }
        default: false
        }
        guard candidate else { return false }
        return dialect != .postgresql || token.kind == .quotedIdentifier || !Self.postgreSQLReservedAfterName.contains(folded(token))
    }

    /// Words PostgreSQL reserves that SQLite would take as an alias written without AS.
    static let postgreSQLReservedAfterName: Set<String> = [
        "for", "fetch", "offset", "limit", "ilike", "similar", "returning", "into", "only", "lateral", "tablesample",
    ]

    mutating func alias() throws(SQLSyntaxError) -> Name? {
        if accept(.as) { return try name() }
        if isBareAlias(current) { return advancedName() }
        return nil
    }

    mutating func qualifiedName() throws(SQLSyntaxError) -> QualifiedName {
        let offset = current.start
        let first = try name()
        if current.isSymbol(.dot), isName(peek()) {
            index += 1
            let offset = current.start
            return QualifiedName(schema: first, name: try name(), offset: offset)
        }
        return QualifiedName(schema: nil, name: first, offset: offset)
    }
}
