/// What a parsed query reads: the resolver's output, and the input of every policy decision.
public struct QueryAnalysis: Sendable {
    /// A problem found while resolving names, before any policy is applied.
    public struct Problem: Sendable, Equatable {
        public enum Kind: String, Sendable {
            /// A column that exists in no table in scope.
            case unknownColumn
            /// A name that matches more than one table in scope.
            case ambiguousColumn
            /// `temp.` or an attached schema.
            case schemaNotAllowed
            /// A query shape whose reads cannot be resolved with certainty.
            case unresolvable
            /// Not valid SQL once names are resolved (e.g. `*` without FROM).
            case invalid
        }
        public var kind: Kind
        public var message: String
        public var offset: Int
        /// The physical table concerned, when there is one.
        public var table: String?
        public var column: String?
    }

    /// Physical tables read, by their canonical names, in first-seen order.
    public var tables: [String] = []
    /// Columns read per physical table (canonical column names).
    public var columns: [String: Set<String>] = [:]
    /// Columns read only because `*`, `t.*`, NATURAL JOIN or `IN table` implied them.
    public var impliedColumns: [String: Set<String>] = [:]
    /// Tables whose columns were all implied (by `*`, `t.*` or `IN table`), and
    /// tables joined with NATURAL: a denied column there cannot be ruled out by name.
    public var wholeTableReads: Set<String> = []
    /// Scalar, aggregate and window functions called (ASCII-lowercased), first-seen order.
    public var functions: [String] = []
    /// Table-valued functions used in FROM or `IN`, first-seen order.
    public var tableFunctions: [String] = []
    /// Source offsets of every reference that names a physical table, and the table.
    public var physicalReferences: [Int: String] = [:]
    public var problems: [Problem] = []

    mutating func addTable(_ name: String) {
        if columns.index(forKey: name) == nil {
            tables.append(name)
            columns[name] = Set(minimumCapacity: 16)
        }
    }

    mutating func read(_ table: String, _ column: String, implied: Bool = false) {
        // One lookup of the table: its set is changed in place through the index.
        if let index = columns.index(forKey: table) {
            columns.values[index].insert(column)
        } else {
            tables.append(table)
            var read = Set<String>(minimumCapacity: 16)
            read.insert(column)
            columns[table] = read
        }
        if implied { impliedColumns[table, default: []].insert(column) }
    }

    mutating func call(_ function: String) {
        if !functions.contains(function) { functions.append(function) }
    }

    mutating func callTable(_ function: String) {
        if !tableFunctions.contains(function) { tableFunctions.append(function) }
    }
}
