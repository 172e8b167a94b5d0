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
        /// A column's position by its key's number in the catalog's ``NameTable`` (-1: not this
        /// table's); numbers past the end are not this table's either. Set by the catalog.
        var byNumber: [Int32] = []

        public init(name: String, columns: [String]) {
            self.name = name
            self.columns = columns
            self.columnKeys = Set(columns.map(Name.fold))
            self.byKey = Dictionary(columns.enumerated().map { (Name.fold($1), $0) }, uniquingKeysWith: { first, _ in first })
            self.nameOrder = columns.indices.sorted { columns[$0] < columns[$1] }
        }
    }

    /// Tables by folded name → position in `list`.
    private var tables: [String: Int] = [:]
    private var list: [Table] = []
    /// Every table and column name declared, for the parser to find instead of building.
    public private(set) var names = NameTable()
    /// A table's position in `list` by its key's number in `names` (-1: no table has that key).
    private var tableByNumber: [Int32] = []

    public init(_ tables: [Table] = []) {
        for table in tables { add(table) }
    }

    /// Adds a table, or adds missing columns to one already known.
    public mutating func add(_ table: Table) {
        let key = Name.fold(table.name)
        var table = table
        let index: Int
        if let existing = tables[key] {
            let extra = table.columns.filter { !list[existing].columnKeys.contains(Name.fold($0)) }
            table = Table(name: list[existing].name, columns: list[existing].columns + extra)
            index = existing
        } else {
            index = list.count
            tables[key] = index
            list.append(table)
        }
        names.add([table.name] + table.columns)
        var byNumber = [Int32](repeating: -1, count: names.count)
        for (position, column) in table.columns.enumerated().reversed() {
            if let number = names.number(ofKey: Name.fold(column)) { byNumber[Int(number)] = Int32(position) }  // the first, if two fold alike
        }
        table.byNumber = byNumber
        list[index] = table
        guard let number = names.number(ofKey: key).map(Int.init) else { return }
        if tableByNumber.count <= number { tableByNumber.append(contentsOf: repeatElement(-1, count: number + 1 - tableByNumber.count)) }
        tableByNumber[number] = Int32(index)
    }

    public func table(named name: Name) -> Table? {
        if let index = names.entry(for: name, in: tableByNumber) { return index >= 0 ? list[Int(index)] : nil }
        return tables[name.key].map { list[$0] }
    }

    public var tableNames: [String] { list.map(\.name).sorted() }
}

/// Table-valued functions the resolver understands: their output columns
/// (hidden ones last) and how many of them `*` shows.
enum TableFunctions {
    static let columns: [String: (columns: [String], visible: Int)] = [
        "json_each": (["key", "value", "type", "atom", "id", "parent", "fullkey", "path", "json", "root"], 8),
        "json_tree": (["key", "value", "type", "atom", "id", "parent", "fullkey", "path", "json", "root"], 8),
    ]
}
