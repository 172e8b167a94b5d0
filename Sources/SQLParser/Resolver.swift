/// Resolves every name in a parsed SELECT against a ``SchemaCatalog``, the way
/// SQLite does: CTE names shadow tables (unless schema-qualified), aliases hide
/// table names, unqualified columns search the innermost FROM first and then
/// outer queries (correlation), and `*`, `USING` and NATURAL expand to the
/// columns they imply.
///
/// The result says which physical tables and columns the query reads and which
/// functions it calls. Anything it cannot resolve with certainty is a problem,
/// never a guess.
public struct Resolver {
    let catalog: SchemaCatalog
    /// Whose schema rules apply: only `main` (SQLite) or `public` (PostgreSQL) may be named.
    let dialect: SQLDialect
    var analysis = QueryAnalysis()
    /// Name lookups performed, against `workLimit`.
    private var work = 0
    let workLimit: Int

    public init(catalog: SchemaCatalog, dialect: SQLDialect = .sqlite, workLimit: Int = 2_000_000) {
        self.catalog = catalog
        self.dialect = dialect
        self.workLimit = workLimit
        // Room for a typical query, so the lists are allocated once rather than regrown.
        scopes.reserveCapacity(8)
        sources.reserveCapacity(8)
    }

    /// Analyses one SELECT.
    public static func analyse(_ select: Select, catalog: SchemaCatalog, dialect: SQLDialect = .sqlite) -> QueryAnalysis {
        var resolver = Resolver(catalog: catalog, dialect: dialect)
        _ = resolver.select(select, in: -1, names: false)
        return resolver.analysis
    }

    // MARK: Scopes

    /// Every scope, FROM entry and CTE met so far, addressed by index: a scope, source or CTE is a
    /// position in these lists, not an object, and all of them go when the analysis ends.
    private var scopes: [Scope] = []
    private var sources: [Source] = []
    private var ctes: [CTE] = []

    /// A FROM entry: what a table, CTE, subquery or table function contributes.
    struct Source {
        let name: Name
        /// Column keys → the column's position in `order` (the first, if two fold alike).
        let columns: [String: Int]
        /// Column names as output.
        let order: [String]
        /// The physical table behind it (canonical name), if any.
        let physical: String?
        /// The physical table's slot in the analysis' reads (set when `physical` is).
        let slot: Int
        /// A physical table the catalog does not know: any column is accepted (the table itself is refused).
        let unknown: Bool
        /// How many of `order` a `*` shows (table functions hide some).
        let visible: Int
        /// A physical table's ``SchemaCatalog/Table/byNumber``; empty for any other source.
        let byNumber: NameTable.Positions

        init(name: Name, columns: [String], physical: String? = nil, slot: Int = -1, unknown: Bool = false, visible: Int? = nil, keyed: [String: Int]? = nil, byNumber: NameTable.Positions = NameTable.Positions()) {
            self.name = name
            self.order = columns
            self.columns = keyed ?? Dictionary(columns.enumerated().map { (Name.fold($1), $0) }, uniquingKeysWith: { first, _ in first })
            self.byNumber = byNumber
            self.physical = physical
            self.slot = slot
            self.unknown = unknown
            self.visible = visible ?? columns.count
        }

        /// Whether reads of its columns are recorded: a physical table the catalog knows.
        var recordsReads: Bool { physical != nil && !unknown }
    }

    struct CTE {
        let definition: CommonTableExpression
        /// The scope the WITH clause opened.
        let scope: Int
        var columns: [String]?
        var analysing = false
        var analysed = false

        init(definition: CommonTableExpression, scope: Int) {
            self.definition = definition
            self.scope = scope
            if !definition.columns.isEmpty { columns = definition.columns.map(\.text) }
        }
    }

    struct Scope {
        /// The enclosing scope, -1 for none.
        let parent: Int
        /// CTE keys → positions in `ctes`.
        var ctes: [String: Int] = [:]
        /// Positions in `sources`, in FROM order.
        var sources: [Int] = []
        /// Result-column aliases, which WHERE, GROUP BY, HAVING and ORDER BY may name.
        var aliases: Set<String> = []
    }

    /// Opens a scope inside `parent` (-1 for none) and returns it.
    private mutating func scope(in parent: Int) -> Int {
        scopes.append(Scope(parent: parent))
        return scopes.count - 1
    }

    /// Adds a FROM entry to `scope`.
    private mutating func add(_ source: Source, to scope: Int) {
        sources.append(source)
        scopes[scope].sources.append(sources.count - 1)
    }

    /// The CTE `name` names from `scope` outwards, if any.
    private func cte(_ name: Name, from scope: Int) -> Int? {
        var level = scope
        while level >= 0 {
            if !scopes[level].ctes.isEmpty, let cte = scopes[level].ctes[name.key] { return cte }
            level = scopes[level].parent
        }
        return nil
    }

    private mutating func problem(_ kind: QueryAnalysis.Problem.Kind, _ message: String, at offset: Int, table: String? = nil, column: String? = nil) {
        let problem = QueryAnalysis.Problem(kind: kind, message: message, offset: offset, table: table, column: column)
        if !analysis.problems.contains(problem) { analysis.problems.append(problem) }
    }

    // MARK: SELECT

    /// Analyses a query in `parent`'s scope (-1 for none) and returns its output column names (none
    /// when `names` is false: the names of expressions are printed SQL). The first core's names
    /// become the columns of the CTE `firstCoreOf`, if it has none yet, before the other cores are
    /// analysed (a recursive CTE's second core reads them).
    mutating func select(_ select: Select, in parent: Int, names: Bool = true, firstCoreOf cte: Int? = nil) -> [String] {
        let scope = self.scope(in: parent)
        var defined: [Int] = []
        if let with = select.with {
            for definition in with.tables {
                ctes.append(CTE(definition: definition, scope: scope))
                scopes[scope].ctes[definition.name.key] = ctes.count - 1
                defined.append(ctes.count - 1)
            }
        }
        var output: [String] = []
        var firstScope = -1
        // Only the first core names the result; a compound's ORDER BY names its columns.
        let firstNames = names || cte != nil || (select.cores.count > 1 && !select.orderBy.isEmpty)
        for (index, core) in select.cores.enumerated() {
            let (names, coreScope) = self.core(core, in: scope, names: index == 0 && firstNames)
            if index == 0 {
                firstScope = coreScope
                output = names
                if let cte, ctes[cte].columns == nil { ctes[cte].columns = names }
            }
        }
        if !select.orderBy.isEmpty {
            if select.cores.count == 1 {
                for term in select.orderBy { expression(term.expression, in: firstScope) }
            } else {
                // A compound's ORDER BY names result columns only.
                let resultScope = self.scope(in: scope)
                scopes[resultScope].aliases = Set(output.map(Name.fold))
                for term in select.orderBy { expression(term.expression, in: resultScope) }
            }
        }
        if let limit = select.limit { expression(limit, in: scope) }
        if let offset = select.offset { expression(offset, in: scope) }
        // Every CTE body is checked, referenced or not.
        for cte in defined where !ctes[cte].analysed { analyseCTE(cte) }
        return output
    }

    mutating func analyseCTE(_ cte: Int) {
        ctes[cte].analysing = true
        let names = select(ctes[cte].definition.select, in: ctes[cte].scope, firstCoreOf: cte)
        if ctes[cte].columns == nil { ctes[cte].columns = names }
        ctes[cte].analysing = false
        ctes[cte].analysed = true
    }

    /// Analyses one core; returns its result column names (empty unless `wanted`) and its scope.
    mutating func core(_ core: SelectCore, in parent: Int, names wanted: Bool) -> ([String], Int) {
        let scope = self.scope(in: parent)
        switch core {
        case .values(let rows):
            for row in rows { for value in row { expression(value, in: scope) } }
            let width = wanted ? rows.first?.count ?? 0 : 0
            return ((0..<width).map { "column\($0 + 1)" }, scope)
        case .select(let clause):
            if let from = clause.from { source(from, into: scope) }
            var names: [String] = []
            for column in clause.columns {
                switch column {
                case .all:
                    if scopes[scope].sources.isEmpty {
                        problem(.invalid, "SELECT * needs a FROM clause.", at: 0)
                    }
                    for source in scopes[scope].sources {
                        let shown = star(source)
                        if wanted { names += shown }
                    }
                case .allOf(let table):
                    if let source = scopes[scope].sources.last(where: { sources[$0].name == table }) {
                        let shown = star(source)
                        if wanted { names += shown }
                    } else {
                        problem(.invalid, "\(table.text).* names no table in this FROM clause.", at: 0)
                    }
                case .expression(let expr, let alias):
                    expression(expr, in: scope)
                    if let alias {
                        if wanted { names.append(alias.text) }
                        scopes[scope].aliases.insert(alias.key)
                    } else if !wanted {
                        break
                    } else if case .column(_, _, let name, _) = expr {
                        names.append(name.text)
                    } else {
                        names.append(SQLFormatter.expression(expr))
                    }
                }
            }
            if let whereClause = clause.whereClause { expression(whereClause, in: scope) }
            for term in clause.distinctOn { expression(term, in: scope) }
            for term in clause.groupBy { expression(term, in: scope) }
            if let having = clause.having { expression(having, in: scope) }
            for (_, definition) in clause.windows { window(definition, in: scope) }
            return (names, scope)
        }
    }

    /// Columns `*` shows for a source; physical columns are recorded as read.
    mutating func star(_ index: Int) -> [String] {
        let source = sources[index]
        let shown = Array(source.order.prefix(source.visible))
        if source.recordsReads {
            analysis.readWhole(source.slot)
            for position in shown.indices { analysis.read(source.slot, position, implied: true) }
        }
        return shown
    }

    // MARK: FROM

    /// Adds the entries of a FROM clause to `scope`; returns where they are in the scope's list
    /// of sources (a join's entries are its left side's followed by its right side's).
    @discardableResult
    mutating func source(_ source: TableSource, into scope: Int) -> Range<Int> {
        let start = scopes[scope].sources.count
        switch source {
        case .table(let name, let alias, _):
            add(table(name, alias: alias, in: scope), to: scope)
        case .function(let name, let arguments, let alias):
            for argument in arguments { expression(argument, in: scope) }
            add(tableFunction(name, alias: alias), to: scope)
        case .subquery(let query, let alias):
            // A FROM subquery sees the enclosing query's outer scopes but not its sibling FROM entries.
            let names = select(query, in: scopes[scope].parent)
            add(Source(name: alias ?? Name(""), columns: names), to: scope)
        case .group(let inner, let alias):
            let entries = self.source(inner, into: scope)
            if let alias, entries.count == 1 {
                let only = sources[scopes[scope].sources[entries.lowerBound]]
                sources.append(Source(name: alias, columns: only.order, physical: only.physical, slot: only.slot, unknown: only.unknown, visible: only.visible, keyed: only.columns, byNumber: only.byNumber))
                scopes[scope].sources[entries.lowerBound] = sources.count - 1
            }
        case .join(let left, let op, let right, let constraint):
            let leftEntries = self.source(left, into: scope)
            let rightEntries = self.source(right, into: scope)
            let both = leftEntries.lowerBound..<rightEntries.upperBound
            if op.natural {
                for entry in scopes[scope].sources[both] where sources[entry].physical != nil { analysis.readWhole(sources[entry].slot) }
                let rightKeys = Set(scopes[scope].sources[rightEntries].flatMap { sources[$0].columns.keys })
                for entry in scopes[scope].sources[leftEntries] {
                    for key in sources[entry].columns.keys where rightKeys.contains(key) {
                        usingColumns.insert(key)
                        readColumn(key, of: scopes[scope].sources[both], implied: true)
                    }
                }
            }
            switch constraint {
            case .on(let condition):
                expression(condition, in: scope)
            case .using(let names):
                for name in names {
                    usingColumns.insert(name.key)
                    let inLeft = scopes[scope].sources[leftEntries].contains { sources[$0].columns[name.key] != nil || sources[$0].unknown }
                    let inRight = scopes[scope].sources[rightEntries].contains { sources[$0].columns[name.key] != nil || sources[$0].unknown }
                    if !inLeft || !inRight {
                        problem(.unknownColumn, "USING (\(name.text)) names a column that is not on both sides of the join.", at: 0, column: name.text)
                    }
                    readColumn(name.key, of: scopes[scope].sources[both], implied: true)
                }
            case nil:
                break
            }
        }
        return start..<scopes[scope].sources.count
    }

    private mutating func readColumn(_ key: String, of entries: ArraySlice<Int>, implied: Bool) {
        for entry in entries where sources[entry].recordsReads {
            if let position = sources[entry].columns[key] { analysis.read(sources[entry].slot, position, implied: implied) }
        }
    }

    /// A table name in FROM: a CTE in scope (unless schema-qualified), else a physical table.
    mutating func table(_ name: QualifiedName, alias: Name?, in scope: Int) -> Source {
        if name.schema == nil, let cte = cte(name.name, from: scope) {
            if !ctes[cte].analysed && !ctes[cte].analysing { analyseCTE(cte) }
            if ctes[cte].analysing && ctes[cte].columns == nil {
                problem(.invalid, "circular reference: \(name.name.text) refers to itself outside a recursive UNION.", at: name.offset)
            }
            return Source(name: alias ?? name.name, columns: ctes[cte].columns ?? [])
        }
        let (known, slot) = physicalTable(name)
        guard let physical = known else {
            return Source(name: alias ?? name.name, columns: [], physical: Name.fold(name.name.text), slot: slot, unknown: true)
        }
        return Source(name: alias ?? name.name, columns: physical.columns, physical: physical.name, slot: slot, keyed: physical.byKey, byNumber: physical.byNumber)
    }

    /// Records a reference to a physical table; returns its schema (nil when the catalog does not
    /// know it) and its slot in the analysis' reads.
    mutating func physicalTable(_ name: QualifiedName) -> (SchemaCatalog.Table?, slot: Int) {
        if let schema = name.schema, schema.key != dialect.defaultSchema {
            problem(.schemaNotAllowed, "\(schema.text).\(name.name.text): \(schemaRule)", at: name.offset, table: Name.fold(name.name.text))
        }
        let known = catalog.table(named: name.name)
        let canonical = known?.name ?? name.name.key
        let slot = analysis.slot(for: canonical, in: known)
        analysis.physicalReferences.append((name.offset, canonical))
        return (known, slot)
    }

    mutating func tableFunction(_ name: QualifiedName, alias: Name?) -> Source {
        analysis.callTable(name.name.key)
        if let schema = name.schema, schema.key != dialect.defaultSchema {
            problem(.schemaNotAllowed, "\(schema.text).\(name.name.text): \(schemaRule)", at: name.offset)
        }
        let known = TableFunctions.columns[name.name.key]
        return Source(name: alias ?? name.name, columns: known?.columns ?? [], unknown: known == nil, visible: known?.visible)
    }

    // MARK: Expressions

    mutating func window(_ definition: WindowDefinition, in scope: Int) {
        for term in definition.partitionBy { expression(term, in: scope) }
        for term in definition.orderBy { expression(term.expression, in: scope) }
        if let frame = definition.frame {
            for bound in [frame.start] + (frame.end.map { [$0] } ?? []) {
                switch bound {
                case .preceding(let value), .following(let value): expression(value, in: scope)
                default: break
                }
            }
        }
    }

    mutating func expression(_ expr: Expr, in scope: Int) {
        switch expr {
        case .literal, .parameter, .raise:
            break
        case .column(let schema, let table, let column, let offset):
            resolve(schema: schema, table: table, column: column, offset: offset, in: scope)
        case .unary(_, let operand), .collate(let operand, _), .cast(let operand, _), .isNull(let operand, _):
            expression(operand, in: scope)
        case .binary(_, let left, let right), .isComparison(let left, _, _, let right):
            expression(left, in: scope)
            expression(right, in: scope)
        case .function(let call):
            analysis.call(call.name.key)
            for argument in call.arguments { expression(argument, in: scope) }
            if let filter = call.filter { expression(filter, in: scope) }
            if case .definition(let definition) = call.over { window(definition, in: scope) }
        case .caseWhen(let base, let branches, let otherwise):
            if let base { expression(base, in: scope) }
            for branch in branches {
                expression(branch.when, in: scope)
                expression(branch.then, in: scope)
            }
            if let otherwise { expression(otherwise, in: scope) }
        case .between(let value, _, let low, let high):
            expression(value, in: scope)
            expression(low, in: scope)
            expression(high, in: scope)
        case .like(let value, _, _, let pattern, let escape):
            expression(value, in: scope)
            expression(pattern, in: scope)
            if let escape { expression(escape, in: scope) }
        case .inList(let value, _, let list):
            expression(value, in: scope)
            for item in list { expression(item, in: scope) }
        case .row(let list):
            for item in list { expression(item, in: scope) }
        case .inSelect(let value, _, let query):
            expression(value, in: scope)
            _ = select(query, in: scope, names: false)
        case .exists(_, let query), .subquery(let query):
            _ = select(query, in: scope, names: false)
        case .inTable(let value, _, let name, let arguments):
            expression(value, in: scope)
            if let arguments {
                for argument in arguments { expression(argument, in: scope) }
                _ = tableFunction(name, alias: nil)
            } else if name.schema == nil, let cte = cte(name.name, from: scope) {
                if !ctes[cte].analysed && !ctes[cte].analysing { analyseCTE(cte) }
            } else {
                let (known, slot) = physicalTable(name)
                if let physical = known {
                    analysis.readWhole(slot)
                    for position in physical.columns.indices { analysis.read(slot, position, implied: true) }
                }
            }
        }
    }

    /// Why a schema-qualified name is refused.
    var schemaRule: String {
        switch dialect {
        case .sqlite: "only the main schema may be queried; temp and attached schemas are refused."
        case .postgresql: "only the public schema may be queried; system catalogs (pg_catalog, information_schema) and other schemas are refused."
        }
    }

    /// Hidden columns every row has: SQLite's rowid and PostgreSQL's system columns.
    static let rowidNames: Set<String> = ["rowid", "oid", "_rowid_", "ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"]

    mutating func resolve(schema: Name?, table: Name?, column: Name, offset: Int, in scope: Int) {
        if let schema, schema.key != dialect.defaultSchema {
            problem(.schemaNotAllowed, "\(schema.text).\(table?.text ?? "").\(column.text): \(schemaRule)", at: offset)
        }
        var level = scope
        while level >= 0 {
            work += scopes[level].sources.count + 1
            if work > workLimit {
                problem(.unresolvable, "The query needs too many name lookups to resolve; simplify it.", at: offset)
                return
            }
            if let table {
                if let source = scopes[level].sources.last(where: { sources[$0].name == table }) {
                    bind(column, to: source, offset: offset)
                    return
                }
            } else {
                // Usually one source has the column: find it without building a list.
                var first: (source: Int, position: Int)?
                var count = 0
                for source in scopes[level].sources {
                    guard let position = position(of: column, in: source) else { continue }
                    if first == nil { first = (source, position) }
                    count += 1
                }
                if count == 1, let first {
                    read(first.position, from: first.source)
                    return
                }
                if count > 1 {
                    let matches = scopes[level].sources.filter { position(of: column, in: $0) != nil }
                    // Columns merged by USING or NATURAL are read from every side (SQLite accepts them
                    // unqualified); anything else is ambiguous.
                    for match in matches { bind(column, to: match, offset: offset) }
                    if !usingColumns.contains(column.key) {
                        problem(.ambiguousColumn, "The column name \(column.text) is ambiguous: qualify it with a table name or alias.", at: offset, column: column.text)
                    }
                    return
                }
                if scopes[level].aliases.contains(column.key) { return }
                if let unknown = scopes[level].sources.first(where: { sources[$0].unknown }) {
                    bind(column, to: unknown, offset: offset)
                    return
                }
            }
            level = scopes[level].parent
        }
        if table == nil, column.key == "true" || column.key == "false" { return }
        let qualified = table.map { "\($0.text).\(column.text)" } ?? column.text
        if Self.rowidNames.contains(column.key) {
            problem(.unknownColumn, "\(qualified): a hidden row identifier (rowid, ctid, xmin, …) is not part of the semantic contract; select a declared column.", at: offset, column: column.text)
        } else if let table {
            problem(.unknownColumn, "No table or alias named \(table.text) is in scope for \(qualified).", at: offset, column: column.text)
        } else {
            problem(.unknownColumn, "No such column: \(qualified).", at: offset, column: column.text)
        }
    }

    /// Reads a column from one source, or reports it missing.
    private mutating func bind(_ column: Name, to index: Int, offset: Int) {
        let source = sources[index]
        if source.unknown { return }
        guard let position = position(of: column, in: index) else {
            let detail = Self.rowidNames.contains(column.key) ? "a hidden row identifier is not part of the semantic contract" : "no such column"
            problem(.unknownColumn, "\(source.name.text).\(column.text): \(detail).", at: offset, table: source.physical, column: column.text)
            return
        }
        read(position, from: index)
    }

    /// The position of `column` among a source's columns, if it has it: found by the name's number
    /// in the catalog's names when it has one (a list index, no hashing), else by its key.
    @inline(__always) private func position(of column: Name, in source: Int) -> Int? {
        let byNumber = sources[source].byNumber
        if !byNumber.isEmpty, let number = catalog.names.number(of: column) {
            let position = byNumber.position(number)
            return position >= 0 ? Int(position) : nil
        }
        return sources[source].columns[column.key]
    }

    /// Records a read of the column at `position` in a source, when the source is a physical table.
    private mutating func read(_ position: Int, from source: Int) {
        if sources[source].recordsReads { analysis.read(sources[source].slot, position) }
    }

    /// Keys of the columns USING or NATURAL merged, which may be named unqualified.
    var usingColumns: Set<String> = []
}
