/// The physical tables a query may name, with their columns: what the
/// resolver checks every table and column reference against.
public struct SchemaCatalog: Sendable {
    public struct Table: Sendable {
        /// The table's name as declared.
        public var name: String
        /// Column names in declaration order.
        public var columns: [String]
        let columnKeys: Set<String>
        /// Folded name → position in `columns` (the first, if two fold alike), built once for every
        /// reference to the table.
        let byKey: [String: Int]
        /// Positions in `columns` in the order of the names (`String`'s `<`), so a list of columns
        /// read comes out sorted without sorting it.
        let nameOrder: [Int]

        public init(name: String, columns: [String]) {
            self.name = name
            self.columns = columns
            self.columnKeys = Set(columns.map(Name.fold))
            self.byKey = Dictionary(columns.enumerated().map { (Name.fold($1), $0) }, uniquingKeysWith: { first, _ in first })
            self.nameOrder = columns.indices.sorted { columns[$0] < columns[$1] }
        }
    }

    private var tables: [String: Table] = [:]

    public init(_ tables: [Table] = []) {
        for table in tables { add(table) }
    }

    /// Adds a table, or adds missing columns to one already known.
    public mutating func add(_ table: Table) {
        let key = Name.fold(table.name)
        if let existing = tables[key] {
            let extra = table.columns.filter { !existing.columnKeys.contains(Name.fold($0)) }
            tables[key] = Table(name: existing.name, columns: existing.columns + extra)
        } else {
            tables[key] = table
        }
    }

    public func table(named name: Name) -> Table? { tables[name.key] }

    public var tableNames: [String] { tables.values.map(\.name).sorted() }
}

/// Table-valued functions the resolver understands: their output columns
/// (hidden ones last) and how many of them `*` shows.
enum TableFunctions {
    static let columns: [String: (columns: [String], visible: Int)] = [
        "json_each": (["key", "value", "type", "atom", "id", "parent", "fullkey", "path", "json", "root"], 8),
        "json_tree": (["key", "value", "type", "atom", "id", "parent", "fullkey", "path", "json", "root"], 8),
    ]
}
