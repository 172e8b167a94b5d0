import Testing
@testable import SQLParser

/// The catalog's name table only makes names cheaper: what a query reads, and how it prints, are the
/// same with it or without it, and a name numbered by another catalog is never believed.
@Suite struct NameTableTests {
    static let catalog = SchemaCatalog([
        SchemaCatalog.Table(name: "orders", columns: ["order_id", "Amount", "user_id"]),
        SchemaCatalog.Table(name: "users", columns: ["user_id", "country"]),
    ])

    func select(_ sql: String, names: NameTable = NameTable()) throws -> Select {
        let statements = try Parser.parse(sql, names: names)
        guard statements.count == 1, case .success(.select(let select)) = statements[0] else {
            Issue.record("\(sql) did not parse as one SELECT")
            throw SQLSyntaxError(.syntax, "not one SELECT", at: 0)
        }
        return select
    }

    /// Tables and their columns read, as `table: a, b` lines, and the problems' messages.
    func reads(_ select: Select, in catalog: SchemaCatalog) -> [String] {
        let analysis = Resolver.analyse(select, catalog: catalog)
        return analysis.reads.map { "\($0.table): \($0.sortedColumns.joined(separator: ", "))" } + analysis.problems.map(\.message)
    }

    @Test func declaredSpellingsAreTakenFromTheTableAndNumbered() throws {
        let names = Self.catalog.names
        #expect(names.lookup(Array("user_id".utf8), 0, 7)?.number ?? -1 >= 0)
        #expect(names.lookup(Array("Amount".utf8), 0, 6)?.text == "Amount")
        // Other capitals, a prefix, a longer word, an undeclared word: not in the table.
        #expect(names.lookup(Array("USER_ID".utf8), 0, 7) == nil)
        #expect(names.lookup(Array("user_i".utf8), 0, 6) == nil)
        #expect(names.lookup(Array("user_idx".utf8), 0, 8) == nil)
        #expect(names.lookup(Array("nobody".utf8), 0, 6) == nil)
        // `user_id` is in both tables: one number for one key.
        #expect(names.count == 6)  // orders, order_id, amount, user_id, users, country
    }

    @Test func aQueryReadsAndPrintsTheSameWithTheTableAsWithout() throws {
        let queries = [
            "SELECT o.order_id, amount, u.country FROM orders o JOIN users u ON u.user_id = o.user_id WHERE AMOUNT > 3",
            "SELECT user_id FROM orders JOIN users USING (user_id)",
            "SELECT \"order_id\", Orders.Amount FROM Orders",
            "WITH users AS (SELECT 1 AS country) SELECT country FROM users",
            "SELECT nope FROM orders",
            "SELECT x.user_id FROM (SELECT user_id FROM users) AS x",
        ]
        for sql in queries {
            let plain = try select(sql)
            let numbered = try select(sql, names: Self.catalog.names)
            #expect(reads(numbered, in: Self.catalog) == reads(plain, in: Self.catalog), "\(sql)")
            #expect(SQLFormatter.select(numbered) == SQLFormatter.select(plain), "\(sql)")
        }
        #expect(reads(try select(queries[0], names: Self.catalog.names), in: Self.catalog) == ["orders: Amount, order_id, user_id", "users: country, user_id"])
    }

    /// A table's positions by name number: every number recorded is found, every other one is not,
    /// however the numbers collide in the slots.
    @Test func positionsFindEveryNumberAndNoOther() {
        let recorded = stride(from: 3, to: 4_000, by: 7).map { (number: Int32($0), position: Int32($0 % 13)) }
        let positions = NameTable.Positions(recorded)
        for pair in recorded { #expect(positions.position(Int(pair.number)) == pair.position, "number \(pair.number)") }
        for number in [0, 1, 2, 4, 5, 6, 8, 4_000, 4_003, (1 << 32) + 3, -1] { #expect(positions.position(number) == -1, "number \(number)") }
        #expect(NameTable.Positions().position(3) == -1)
    }

    /// A catalog of many tables, added one at a time and all at once, finds every table and column
    /// a query names, by number, where the name table says they are.
    @Test func aLargeCatalogResolvesEveryColumn() throws {
        let tables = (0..<300).map { table in
            SchemaCatalog.Table(name: "t\(table)", columns: ["id"] + (0..<20).map { "c\((table * 7 + $0) % 500)" })
        }
        var oneByOne = SchemaCatalog()
        for table in tables { oneByOne.add(table) }
        for catalog in [SchemaCatalog(tables), oneByOne] {
            for table in [0, 1, 150, 299] {
                let columns = tables[table].columns
                let sql = "SELECT \(columns.joined(separator: ", ")) FROM t\(table)"
                #expect(reads(try select(sql, names: catalog.names), in: catalog) == ["t\(table): \(columns.sorted().joined(separator: ", "))"], "\(sql)")
                #expect(catalog.table(named: Name("T\(table)"))?.columns == columns)
            }
            // c1 is declared (by t0) but is not t2's: the number finds no position there.
            let missing = reads(try select("SELECT c1 FROM t2", names: catalog.names), in: catalog)
            #expect(missing == reads(try select("SELECT c1 FROM t2"), in: catalog))
            #expect(missing.contains { $0.contains("c1") })
        }
    }

    /// A declared name that would not read back as itself bare (PostgreSQL reserves it, or it is a
    /// boolean) is not a spelling the table hands out, so it prints quoted as before.
    @Test func reservedSpellingsStillPrintQuoted() throws {
        let catalog = SchemaCatalog([SchemaCatalog.Table(name: "t", columns: ["user", "only", "true", "plain"])])
        #expect(catalog.names.lookup(Array("user".utf8), 0, 4) == nil)
        #expect(catalog.names.lookup(Array("plain".utf8), 0, 5) != nil)
        let sql = "SELECT user, only, \"true\", plain FROM t"
        let printed = SQLFormatter.select(try select(sql, names: catalog.names))
        #expect(printed == SQLFormatter.select(try select(sql)))
        #expect(printed == "SELECT \"user\", \"only\", \"true\", plain FROM t")
    }

    /// Numbers are the catalog's own: a query parsed with one catalog's names and resolved against
    /// another whose numbers mean other names reads what its words say, not what the numbers say.
    @Test func aNameNumberedByAnotherCatalogIsLookedUpByItsKey() throws {
        let other = SchemaCatalog([
            SchemaCatalog.Table(name: "users", columns: ["country", "user_id"]),
            SchemaCatalog.Table(name: "orders", columns: ["user_id", "amount", "order_id"]),
        ])
        let sql = "SELECT order_id, amount, country FROM orders JOIN users ON users.user_id = orders.user_id"
        let numbered = try select(sql, names: Self.catalog.names)
        #expect(reads(numbered, in: other) == reads(try select(sql), in: other))
        #expect(reads(numbered, in: other) == ["orders: amount, order_id, user_id", "users: country, user_id"])
    }
}
