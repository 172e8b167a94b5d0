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
        /// A column's position by its key's number in the catalog's ``NameTable``. Set by the catalog.
        var byNumber = NameTable.Positions()

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
        add(tables)
    }

    /// Adds a table, or adds missing columns to one already known.
    public mutating func add(_ table: Table) {
        add([table])
    }

    /// Adds tables, or missing columns to those already known; the names are numbered once for all
    /// of them (adding a warehouse's tables one at a time would copy the name table for each).
    public mutating func add(_ tables: [Table]) {
        var touched: [Int] = []
        for table in tables {
            let key = Name.fold(table.name)
            if let existing = self.tables[key] {
                let extra = table.columns.filter { !list[existing].columnKeys.contains(Name.fold($0)) }
                list[existing] = Table(name: list[existing].name, columns: list[existing].columns + extra)
                touched.append(existing)
            } else {
                self.tables[key] = list.count
                list.append(table)
                touched.append(list.count - 1)
            }
        }
        names.add(touched.flatMap { [list[$0].name] + list[$0].columns })
        for index in Set(touched) {
            var positions: [Int32: Int32] = [:]
            for (position, column) in list[index].columns.enumerated().reversed() {
                if let number = names.number(ofKey: Name.fold(column)) { positions[number] = Int32(position) }  // the first, if two fold alike
            }
            list[index].byNumber = NameTable.Positions(positions.map { (number: $0.key, position: $0.value) })
            guard let number = names.number(ofKey: Name.fold(list[index].name)).map(Int.init) else { continue }
            if tableByNumber.count <= number { tableByNumber.append(contentsOf: repeatElement(-1, count: number + 1 - tableByNumber.count)) }
            tableByNumber[number] = Int32(index)
        }
    }

    public func table(named name: Name) -> Table? {
        if let number = names.number(of: name) {
            let index = number < tableByNumber.count ? Int(tableByNumber[number]) : -1
            return index >= 0 ? list[index] : nil
        }
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
