import Testing
@testable import SQLParser

/// PostgreSQL's query syntax is read into the same tree and printed as SQL that means the
/// same on PostgreSQL; what the parser has no reading for is refused, never guessed.
@Suite struct PostgreSQLDialectTests {
    private func select(_ sql: String) throws -> Select {
        let results = try Parser.parse(sql, dialect: .postgresql)
        guard results.count == 1, case .success(.select(let select)) = results[0] else {
            Issue.record("not one SELECT: \(results)")
            throw SQLSyntaxError(.syntax, "not one select", at: 0)
        }
        return select
    }

    private func printed(_ sql: String) throws -> String {
        let once = SQLFormatter.select(try select(sql))
        #expect(SQLFormatter.select(try select(once)) == once, "printing is stable: \(sql)")
        return once
    }

    private func refusal(_ sql: String) -> String? {
        do {
            let results = try Parser.parse(sql, dialect: .postgresql)
            for case .failure(let error) in results { return error.message }
            return nil
        } catch {
            return error.message
        }
    }

    @Test func castsBindTighterThanEveryOperator() throws {
        #expect(try printed("SELECT -x::int, a + b::numeric(10,2), (a + b)::text FROM t")
            == "SELECT -CAST(x AS INT), a + CAST(b AS NUMERIC(10, 2)), CAST(a + b AS TEXT) FROM t")
        #expect(try printed("SELECT x::date::text, CAST(y AS double precision), z::timestamp with time zone FROM t")
            == "SELECT CAST(CAST(x AS DATE) AS TEXT), CAST(y AS DOUBLE PRECISION), CAST(z AS TIMESTAMP WITH TIME ZONE) FROM t")
    }

    @Test func typedLiteralsExtractAndILike() throws {
        #expect(try printed("SELECT DATE '2026-10-01' + INTERVAL '7 days', extract(dow FROM d) FROM t WHERE n ILIKE 'a%' AND m NOT ILIKE '%b'")
            == "SELECT CAST('2026-10-01' AS DATE) + CAST('7 days' AS INTERVAL), date_part('dow', d) FROM t WHERE n ILIKE 'a%' AND m NOT ILIKE '%b'")
    }

    @Test func distinctOnAndRowLimits() throws {
        #expect(try printed("SELECT DISTINCT ON (a, b) a, b, c FROM t ORDER BY a, b, c DESC FETCH FIRST 3 ROWS ONLY")
            == "SELECT DISTINCT ON (a, b) a, b, c FROM t ORDER BY a, b, c DESC LIMIT 3")
        #expect(try printed("SELECT a FROM t OFFSET 5 ROWS FETCH NEXT ROW ONLY") == "SELECT a FROM t LIMIT 1 OFFSET 5")
        #expect(try printed("SELECT a FROM t LIMIT ALL OFFSET 2") == "SELECT a FROM t")
        #expect(try select("SELECT a FROM t LIMIT ALL OFFSET 2").offset != nil)
    }

    /// PostgreSQL's own words are read in any ASCII case, as PostgreSQL folds a bare word, and only
    /// bare: quoted, or spelled with a letter that only Unicode folds to ASCII (the Kelvin sign `K`,
    /// U+212A, folds to `k`), they are not those words, as in PostgreSQL.
    @Test func postgreSQLWordsFoldLikePostgreSQL() throws {
        #expect(try printed("SELECT a FROM t WHERE n iLiKe 'a%' OFFSET 1 ROW FeTcH nExT 2 ROWS OnLy") == "SELECT a FROM t WHERE n ILIKE 'a%' LIMIT 2 OFFSET 1")
        #expect(try printed("SELECT x::Double PRECISION, y::Character Varying, z::TIME with TIME ZONE FROM t")
            == "SELECT CAST(x AS DOUBLE PRECISION), CAST(y AS CHARACTER VARYING), CAST(z AS TIME WITH TIME ZONE) FROM t")
        #expect(refusal("SELECT a FROM t WHERE n ILI\u{212A}E 'a%'") != nil)
        #expect(refusal("SELECT a FROM t FETCH FIRST 2 ROWS \"only\"") != nil)
        #expect(refusal("SELECT a FROM t \"fetch\" FIRST 2 ROWS ONLY") != nil)
    }

    @Test func dollarQuotesAndNestedComments() throws {
        #expect(try printed("SELECT $$it's$$, $q$a $$ b$q$ /* outer /* inner */ still comment */ FROM t")
            == "SELECT 'it''s', 'a $$ b' FROM t")
        #expect(try printed("SELECT a FROM t WHERE a = $1") == "SELECT a FROM t WHERE a = $1")
    }

    @Test func reservedWordsArePrintedQuoted() throws {
        #expect(try printed("SELECT \"user\", \"only\" FROM t") == "SELECT \"user\", \"only\" FROM t")
    }

    @Test func writesAndLocksAreNamedAsSuch() throws {
        for (sql, kind) in [
            ("SELECT a FROM t FOR UPDATE", "SELECT … FOR UPDATE/SHARE (row locks)"),
            ("SELECT a INTO copy FROM t", "SELECT … INTO (creates a table)"),
            ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "DELETE inside WITH"),
            ("COPY t TO '/tmp/x'", "COPY"),
            ("set role postgres", "SET"),
        ] {
            let results = try Parser.parse(sql, dialect: .postgresql)
            guard case .success(.other(let found, _))? = results.first else {
                Issue.record("\(sql): \(results)")
                continue
            }
            #expect(found == kind, "\(sql)")
        }
    }

    @Test(arguments: [
        "SELECT E'\\x41'", "SELECT B'0101'", "SELECT X'0A'", "SELECT U&'d\\0061t'", "SELECT 0x1F",
        "SELECT a FROM t WHERE a ~ 'x'", "SELECT a FROM t WHERE a SIMILAR TO 'x'", "SELECT a FROM t WHERE a GLOB 'x'",
        "SELECT `a` FROM t", "SELECT [a] FROM t", "SELECT a[1] FROM t", "SELECT ?", "SELECT :a", "SELECT @a",
        "SELECT 'x'::regclass", "SELECT a::int[] FROM t", "SELECT INTERVAL '7' DAY", "SELECT extract(fortnight FROM d) FROM t",
        "SELECT $$open", "SELECT 1 /* open /* nested */", "SELECT a FROM t INDEXED BY i", "SELECT a FROM t FETCH FIRST 2 ROWS WITH TIES",
    ])
    func refusedWithAReason(_ sql: String) {
        #expect(refusal(sql) != nil, "\(sql) was accepted")
    }

    @Test func sqliteReadsItsOwnSyntaxUnchanged() throws {
        // `::` is not SQLite's, and SQLite keeps its hexadecimal numbers, X'' blobs and GLOB.
        #expect(throws: SQLSyntaxError.self) { try Parser.parse("SELECT x::int") }
        let results = try Parser.parse("SELECT 0x1F, X'0A' FROM t WHERE a GLOB 'x*'")
        guard case .success(.select)? = results.first else {
            Issue.record("\(results)")
            return
        }
    }
}

/// Quotes are doubled by Unicode scalar: a quote followed by a combining mark is one `Character`
/// to Swift, and was once left undoubled — ending the literal early in the printed SQL.
@Suite struct QuotingTests {
    @Test func aQuoteBeforeACombiningMarkIsDoubled() throws {
        let text = "it'\u{0301}s"
        let literal = Quoting.wrapped(text, in: "'")
        #expect(Array(literal.unicodeScalars).filter { $0 == "'" }.count == 4)
        // Printed and read back, the string is the same value.
        for dialect in SQLDialect.allCases {
            let sql = "SELECT " + literal
            guard case .success(.select(let select))? = try Parser.parse(sql, dialect: dialect).first,
                  case .select(let clause) = select.cores[0], case .expression(.literal(.string(let value)), _) = clause.columns[0] else {
                Issue.record("\(dialect): \(sql) did not parse as one string")
                continue
            }
            #expect(value.unicodeScalars.elementsEqual(text.unicodeScalars))
            #expect(SQLFormatter.select(select) == sql)
        }
        #expect(Quoting.wrapped("a\"\u{0301}b", in: "\"").unicodeScalars.filter { $0 == "\"" }.count == 4)
    }
}
