public import Semantic
public import SQLParser

/// Settings of the guard.
public struct GuardConfiguration: Sendable {
    /// Most rows an approved query may return; a larger or missing LIMIT is clamped to it.
    public var maxRows: Int
    public var parserLimits: ParserLimits
    /// The warehouse's SQL: what the parser reads, which schema and functions are allowed.
    public var dialect: SQLDialect

    public init(maxRows: Int = 1_000, parserLimits: ParserLimits = .default, dialect: SQLDialect = .sqlite) {
        self.maxRows = maxRows
        self.parserLimits = parserLimits
        self.dialect = dialect
    }
}

/// The one gate every SQL text passes before it reaches the warehouse: parse,
/// resolve every name, check tables, columns and functions against the
/// semantic contract for the caller's role, then return normalised SQL with
/// the row limit and the role's row policies in place.
///
/// Every refusal carries all its reasons, each with a stable code.
public struct QueryGuard: Sendable {
    public let contract: SemanticContract
    public let catalog: SchemaCatalog
    public let configuration: GuardConfiguration

    /// The contract's column rules per asset, built once: a decision looks columns up here instead
    /// of copying `Asset`s out of the contract.
    private let rules: [String: AssetRules]
    /// What each role may read, resolved once: a decision looks its role up once.
    private let roles: [String: RoleView]
    /// `LIMIT maxRows`'s value, made once (a decision without a LIMIT gets this one).
    private let maxRowsLiteral: Expr

    struct RoleView: Sendable {
        /// The assets the role may read.
        var readable: Set<String>
        /// Every asset's rules, and whether this role may read it: one lookup per table read.
        var assets: [String: (rules: AssetRules, readable: Bool)]
        /// The role's row policies, parsed once (not for every decision).
        var policies: RowPolicies
    }

    struct AssetRules: Sendable {
        /// Folded column name → (personal data, allowed).
        var columns: [String: (pii: Bool, allowed: Bool)]

        /// Whether the contract lets any role read `column`: declared, allowed and not personal data.
        func isReadable(_ column: String) -> Bool {
            columns[Name.fold(column)].map { $0.allowed && !$0.pii } ?? false
        }
        /// The first column no role may read, if any.
        var firstDenied: String?
        var hasPII: Bool
        /// The positions of the columns that may be read in the catalog's table of the same name
        /// (positions as ``QueryAnalysis/TableRead`` records them), and how many columns that table
        /// has; nil when the catalog has no table of exactly this name.
        var readable: (positions: ColumnSet, of: Int)?
    }

    /// - Parameter catalog: every physical table and its columns; defaults to
    ///   the contract's own assets (enough when no warehouse file is at hand).
    public init(contract: SemanticContract, catalog: SchemaCatalog? = nil, configuration: GuardConfiguration = GuardConfiguration()) {
        self.contract = contract
        self.catalog = catalog ?? SchemaCatalog.from(contract)
        self.configuration = configuration
        self.maxRowsLiteral = .literal(.number(String(configuration.maxRows)))
        let catalog = self.catalog
        self.rules = contract.assets.mapValues { asset in
            var rules = AssetRules(
                columns: Dictionary(asset.columns.map { (Name.fold($0.name), (pii: $0.pii, allowed: $0.allowed)) }, uniquingKeysWith: { first, _ in first }),
                firstDenied: asset.columns.first(where: { !$0.isReadable })?.name,
                hasPII: asset.columns.contains(where: \.pii)
            )
            if let table = catalog.table(named: Name(asset.name)), table.name == asset.name {
                var positions = ColumnSet()
                for (position, column) in table.columns.enumerated() where rules.isReadable(column) {
                    positions.insert(position)
                }
                rules.readable = (positions, table.columns.count)
            }
            return rules
        }
        let rules = self.rules
        self.roles = Dictionary(uniqueKeysWithValues: contract.roles.map { name, role in
            (name, RoleView(
                readable: role.assets,
                assets: Dictionary(uniqueKeysWithValues: rules.map { asset, rules in (asset, (rules, role.assets.contains(asset))) }),
                policies: RowPolicies(contract: contract, role: name, dialect: configuration.dialect)
            ))
        })
    }

    public func check(_ sql: String, role: String) -> GuardDecision {
        var reasons = Reasons()
        let view = roles[role]
        if contract.isEmpty {
            reasons.add(.roleNotAllowed, "No semantic contract is loaded, so every query is refused (deny by default). Point --semantic at a folder with contract/index.yml.")
        } else if view == nil {
            reasons.add(.roleNotAllowed, "The role \(role) is not in the semantic contract; known roles: \(contract.roles.keys.sorted().joined(separator: ", ")).")
        }
        let results: [Result<Statement, SQLSyntaxError>]
        do {
            results = try Parser.parse(sql, dialect: configuration.dialect, limits: configuration.parserLimits, names: catalog.names)
        } catch {
            reasons.add(Self.code(for: error), error.description)
            return reasons.decision(tables: [], columns: [:], functions: [])
        }
        if results.isEmpty {
            reasons.add(.empty, "The query is empty: send one SELECT statement.")
            return reasons.decision(tables: [], columns: [:], functions: [])
        }
        if results.count > 1 {
            reasons.add(.multipleStatements, "The text holds \(results.count) statements; send exactly one SELECT (a trailing semicolon is fine).")
        }
        var tables: [String] = []
        var columns: [String: [String]] = [:]
        var functions: [String] = []
        var approvedSelect: (Select, QueryAnalysis)?
        // By index: switching on the element in place copies no statement.
        for index in results.indices {
            switch results[index] {
            case .failure(let error):
                reasons.add(Self.code(for: error), error.description)
            case .success(.other(let kind, let offset)):
                reasons.add(.notReadOnly, "\(kind) statements change or inspect the database (at byte \(offset)); only SELECT, WITH and VALUES queries run.")
            case .success(.select(let select)):
                let analysis = Resolver.analyse(select, catalog: catalog, dialect: configuration.dialect)
                if results.count == 1 {
                    tables = analysis.reads.map(\.table)
                    columns = Dictionary(analysis.reads.map { ($0.table, $0.sortedColumns) }, uniquingKeysWith: { first, _ in first })
                } else {
                    for read in analysis.reads {
                        if !tables.contains(read.table) { tables.append(read.table) }
                        let names = read.sortedColumns
                        columns[read.table] = columns[read.table].map { Self.sortedUnique($0 + names) } ?? names
                    }
                }
                // Each list already holds every name once, in first-seen order.
                if functions.isEmpty {
                    functions = analysis.functions
                } else {
                    for function in analysis.functions where !functions.contains(function) { functions.append(function) }
                }
                for function in analysis.tableFunctions where !functions.contains(function) { functions.append(function) }
                check(analysis, role: role, view: view, into: &reasons)
                approvedSelect = (select, analysis)
            }
        }
        var decision = reasons.decision(tables: tables, columns: columns, functions: functions)
        if decision.isApproved, let (select, analysis) = approvedSelect {
            decision.sql = normalised(select, analysis: analysis, policies: view?.policies ?? RowPolicies(contract: contract, role: role, dialect: configuration.dialect))
        }
        return decision
    }

    /// `names` sorted, each once.
    static func sortedUnique(_ names: [String]) -> [String] {
        var sorted = names.sorted()
        var index = 1
        while index < sorted.count {
            if sorted[index] == sorted[index - 1] { sorted.remove(at: index) } else { index += 1 }
        }
        return sorted
    }

    static func code(for error: SQLSyntaxError) -> GuardReason.Code {
        switch error.code {
        case .syntax: .syntaxError
        case .tooLong: .tooLong
        case .tooDeep: .tooDeep
        }
    }

    // MARK: Policy

    private func check(_ analysis: QueryAnalysis, role: String, view: RoleView?, into reasons: inout Reasons) {
        let readable = view?.readable ?? []
        let dialect = configuration.dialect
        var readableReads: [(QueryAnalysis.TableRead, AssetRules)] = []
        for tableRead in analysis.reads {
            let table = tableRead.table
            let entry = view.map { $0.assets[table] } ?? rules[table].map { ($0, false) }
            let asset = entry?.rules
            let isReadable = entry?.readable ?? false
            if isReadable, let asset { readableReads.append((tableRead, asset)) }
            if dialect == .postgresql, table.hasPrefix("pg_") || table == "information_schema" {
                reasons.add(.tableNotAllowed, "\(table) is a PostgreSQL system catalog; the schema is described by the semantic contract (ask for dim_ai_allowed_assets).")
            } else if table.hasPrefix("pragma_") {
                reasons.add(.functionNotAllowed, FunctionAllowlist.refusal(table))
            } else if table.hasPrefix("sqlite_") {
                reasons.add(.tableNotAllowed, "\(table) is an SQLite internal table; the schema is described by the semantic contract (ask for dim_ai_allowed_assets).")
            } else if let asset {
                if !isReadable {
                    let pii = asset.hasPII ? " (it holds personal data)" : ""
                    reasons.add(.tableNotAllowed, "\(table) is not allowed for the \(role) role\(pii); allowed assets: \(readable.sorted().joined(separator: ", ")).")
                }
            } else {
                reasons.add(.tableNotAllowed, "\(table) is not in the semantic contract, so it cannot be queried.")
            }
        }
        for (tableRead, asset) in readableReads {
            let table = tableRead.table
            // Reasons come in column order; sorting is needed only when there is one to give.
            let allReadable = if let readable = asset.readable, readable.of == tableRead.declared.count {
                tableRead.read.isSubset(of: readable.positions)
            } else {
                tableRead.columns.allSatisfy(asset.isReadable)
            }
            let implied = allReadable ? [] : Set(tableRead.readPositions.filter(tableRead.isImplied).map { tableRead.declared[$0] })
            for column in allReadable ? [] : tableRead.sortedColumns {
                let via = implied.contains(column) ? " (implied by *, NATURAL JOIN, USING or IN \(table); list the columns you need)" : ""
                guard let declared = asset.columns[Name.fold(column)] else {
                    reasons.add(.columnNotAllowed, "\(table).\(column) is not in the semantic contract\(via).")
                    continue
                }
                if declared.pii {
                    reasons.add(.columnNotAllowed, "\(table).\(column) is personal data (PII) and is never returned\(via).")
                } else if !declared.allowed {
                    reasons.add(.columnNotAllowed, "\(table).\(column) is not allowed by the semantic contract\(via).")
                }
            }
            if tableRead.isWhole, let denied = asset.firstDenied {
                reasons.add(.columnNotAllowed, "\(table) has a denied column (\(denied)); * , NATURAL JOIN and IN \(table) cannot be used on it, name the columns instead.")
            }
        }
        let functions = FunctionAllowlist.functions(for: dialect)
        for function in analysis.functions where !functions.contains(function) {
            reasons.add(.functionNotAllowed, FunctionAllowlist.refusal(function, dialect: dialect))
        }
        let tableFunctions = FunctionAllowlist.tableFunctions(for: dialect)
        for function in analysis.tableFunctions where !tableFunctions.contains(function) {
            reasons.add(.functionNotAllowed, FunctionAllowlist.refusal(function, dialect: dialect))
        }
        for problem in analysis.problems {
            switch problem.kind {
            case .unknownColumn: reasons.add(.columnNotAllowed, problem.message)
            case .schemaNotAllowed: reasons.add(.tableNotAllowed, problem.message)
            case .ambiguousColumn, .invalid: reasons.add(.syntaxError, problem.message)
            case .unresolvable: reasons.add(.tooDeep, problem.message)
            }
        }
    }

    // MARK: Rewriting

    /// The approved query as it will run: row policies in place of the tables
    /// they filter, and a LIMIT no larger than `maxRows`.
    func normalised(_ select: Select, analysis: QueryAnalysis, policies: RowPolicies) -> String {
        var query = select
        if !policies.isEmpty {
            query = policies.apply(to: query, references: analysis.physicalReferences)
        }
        let approved = limited(query)
        return SQLFormatter.select(configuration.dialect == .postgresql ? TableRewriter.namingSubqueries(approved) : approved)
    }

    private func limited(_ select: Select) -> Select {
        let maxRows = configuration.maxRows
        var query = select
        if case .values? = select.cores.last {
            // VALUES takes no LIMIT of its own.
            return wrapped(select)
        }
        switch select.limit {
        case nil:
            query.limit = maxRowsLiteral
        case .literal(.number(let text)) where Int(text).map { $0 >= 0 && $0 <= maxRows } ?? false:
            break
        case .literal(.number(let text)) where Int(text).map { $0 > maxRows } ?? false:
            query.limit = maxRowsLiteral
        default:
            // An expression, a parameter or a negative LIMIT (no limit in SQLite): cap it from outside.
            query = wrapped(select)
        }
        return query
    }

    /// `SELECT * FROM (query) LIMIT maxRows`.
    private func wrapped(_ select: Select) -> Select {
        let clause = SelectClause(distinct: false, columns: [.all], from: .subquery(select, alias: nil), whereClause: nil, groupBy: [], having: nil, windows: [])
        return Select(with: nil, cores: [.select(clause)], operators: [], orderBy: [], limit: maxRowsLiteral, offset: nil)
    }
}

/// Collects reasons without repeats.
struct Reasons {
    private(set) var list: [GuardReason] = []

    mutating func add(_ code: GuardReason.Code, _ message: String) {
        let reason = GuardReason(code, message)
        if !list.contains(reason) { list.append(reason) }
    }

    func decision(tables: [String], columns: [String: [String]], functions: [String]) -> GuardDecision {
        GuardDecision(decision: list.isEmpty ? .approved : .blocked, tables: tables, columns: columns, functions: functions, reasons: list, sql: nil)
    }
}
