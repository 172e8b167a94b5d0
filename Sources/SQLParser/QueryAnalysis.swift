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

    /// What the query reads from one physical table. Columns are positions in the table's
    /// declared column list, so recording a read is a bit set, not a hash of its name.
    public struct TableRead: Sendable {
        /// The table's canonical name: as the catalog declares it, or folded when the catalog does not know it.
        public let table: String
        /// The table's columns as the catalog declares them (empty for a table it does not know).
        public let declared: [String]
        /// Positions in ``declared`` in name order.
        let nameOrder: [Int]
        public internal(set) var read = ColumnSet()
        var implied = ColumnSet()
        /// All its columns were implied (by `*`, `t.*` or `IN table`), or it was joined with
        /// NATURAL: a denied column there cannot be ruled out by name.
        public internal(set) var isWhole = false

        /// Positions in ``declared`` of the columns read, in declaration order.
        public var readPositions: [Int] { read.positions(below: declared.count) }
        /// The columns read, in declaration order.
        public var columns: [String] { readPositions.map { declared[$0] } }
        /// The columns read, sorted by name, each once.
        public var sortedColumns: [String] {
            var names: [String] = []
            names.reserveCapacity(read.count)
            for position in nameOrder where read.contains(position) && names.last != declared[position] {
                names.append(declared[position])
            }
            return names
        }
        /// Whether the column at `position` was read only because `*`, `t.*`, NATURAL JOIN,
        /// USING or `IN table` implied it.
        public func isImplied(_ position: Int) -> Bool { implied.contains(position) }
    }

    /// The physical tables read, in first-seen order.
    public private(set) var reads: [TableRead] = []
    /// Scalar, aggregate and window functions called (ASCII-lowercased), first-seen order.
    public var functions: [String] = []
    /// Table-valued functions used in FROM or `IN`, first-seen order.
    public var tableFunctions: [String] = []
    /// Source offsets of every reference that names a physical table, and the table, in source order.
    public var physicalReferences: [(offset: Int, table: String)] = []
    public var problems: [Problem] = []

    /// Physical tables read, by their canonical names, in first-seen order.
    public var tables: [String] { reads.map(\.table) }

    /// The slot of `table` in ``reads``, added with the catalog's columns for it when first seen.
    mutating func slot(for table: String, in catalog: SchemaCatalog.Table?) -> Int {
        if let index = reads.firstIndex(where: { $0.table == table }) { return index }
        reads.append(TableRead(table: table, declared: catalog?.columns ?? [], nameOrder: catalog?.nameOrder ?? []))
        return reads.count - 1
    }

    mutating func read(_ slot: Int, _ position: Int, implied: Bool = false) {
        reads[slot].read.insert(position)
        if implied { reads[slot].implied.insert(position) }
    }

    mutating func readWhole(_ slot: Int) {
        reads[slot].isWhole = true
    }

    mutating func call(_ function: String) {
        if !functions.contains(function) { functions.append(function) }
    }

    mutating func callTable(_ function: String) {
        if !tableFunctions.contains(function) { tableFunctions.append(function) }
    }
}
