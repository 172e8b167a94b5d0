import Testing
@testable import SQLParser

@Suite struct ParserTests {
    private func select(_ sql: String) throws -> Select {
        let results = try Parser.parse(sql)
        guard results.count == 1, case .success(.select(let select)) = results[0] else {
            Issue.record("not one SELECT: \(results)")
            throw SQLSyntaxError(.syntax, "not one select", at: 0)
        }
        return select
    }

    /// Printing is stable: formatting the formatted text again changes nothing.
    private func roundTrip(_ sql: String) throws -> String {
        let once = SQLFormatter.select(try select(sql))
        let twice = SQLFormatter.select(try select(once))
        #expect(once == twice, "\(sql)")
        return once
    }

    @Test(arguments: [
        "SELECT 1",
        "SELECT a, b AS c, count(*) FROM t WHERE x = 1 AND NOT y GROUP BY a HAVING count(*) > 1 ORDER BY 1 DESC NULLS LAST LIMIT 5 OFFSET 2",
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT n FROM c",
        "SELECT * FROM a NATURAL LEFT OUTER JOIN b USING (id) CROSS JOIN c, d RIGHT JOIN e ON e.x = d.x FULL JOIN f ON 1",
        "SELECT x FROM (SELECT 1 AS x) AS s WHERE EXISTS (SELECT 1) AND x IN (SELECT 1) AND x NOT IN (1, 2) AND x IN t",
        "SELECT CASE WHEN a THEN 'x' ELSE 'y' END, CAST(a AS DECIMAL(10, 2)), a COLLATE NOCASE, a BETWEEN 1 AND 2 FROM t",
        "SELECT sum(x) FILTER (WHERE x > 0) OVER (PARTITION BY g ORDER BY d ROWS BETWEEN 2 PRECEDING AND CURRENT ROW EXCLUDE TIES) FROM t",
        "SELECT rank() OVER w FROM t WINDOW w AS (ORDER BY x)",
        "VALUES (1, 'a'), (2, 'b')",
        "SELECT x FROM t WHERE a IS NOT DISTINCT FROM b AND c ISNULL AND d NOT NULL AND e LIKE 'a%' ESCAPE '!' AND f NOT GLOB 'x*'",
        "SELECT j ->> '$.a', j -> 'b' FROM t",
        "SELECT value FROM json_each('[1,2]')",
        "SELECT x FROM main.t INDEXED BY i",
        "SELECT 'e'.x FROM e",
        "SELECT desc, key FROM t",
        "SELECT -1, - -x, ~x, +x, NOT NOT x FROM t",
        "SELECT X'0A', ?1, :name, CURRENT_DATE",
    ])
    func parsesAndPrintsStably(_ sql: String) throws {
        _ = try roundTrip(sql)
    }

    /// A bare word is printed bare only when it reads back as the same name: words PostgreSQL
    /// reserves, `true`/`false` as a column, a `$` in the name and non-ASCII names are quoted; plain
    /// words (the lexer marks them as it reads them) stay bare, and so do the same names quoted.
    @Test func bareWordsAreQuotedOnlyWhenTheyMust() throws {
        #expect(try roundTrip("SELECT user, similar, only, a$b, café, experiment_id, t.x2 FROM t") ==
                "SELECT \"user\", \"similar\", \"only\", \"a$b\", \"café\", experiment_id, t.x2 FROM t")
        #expect(try roundTrip("SELECT \"experiment_id\", \"user\", t.\"true\", [x2] FROM \"t\"") == "SELECT experiment_id, \"user\", t.\"true\", x2 FROM t")
        #expect(try roundTrip("SELECT count(*) AS n, lower(name) FROM t") == "SELECT count(*) AS n, lower(name) FROM t")
        // Bare TRUE/FALSE stay bare (a column if one has the name, else a boolean); quoted, they are names
        // and stay quoted (bare, PostgreSQL would read a boolean instead of the column).
        #expect(try roundTrip("SELECT true, FALSE, \"false\", \"True\" FROM t") == "SELECT true, FALSE, \"false\", \"True\" FROM t")
    }

    /// Printing keeps exactly the parentheses the tree needs: no more (so normalised
    /// SQL nests no deeper than the input), no fewer (so it means the same).
    @Test func precedenceFollowsSQLite() throws {
        #expect(try roundTrip("SELECT 1 + 2 * 3") == "SELECT 1 + 2 * 3")
        #expect(try roundTrip("SELECT (1 + 2) * 3") == "SELECT (1 + 2) * 3")
        #expect(try roundTrip("SELECT (1 - 2) - 3, 1 - (2 - 3)") == "SELECT 1 - 2 - 3, 1 - (2 - 3)")
        #expect(try roundTrip("SELECT NOT a = b AND c") == "SELECT NOT a = b AND c")
        #expect(try roundTrip("SELECT (NOT a) = b, a = NOT b") == "SELECT (NOT a) = b, a = (NOT b)")
        #expect(try roundTrip("SELECT a || b COLLATE x, (a || b) COLLATE x") == "SELECT a || b COLLATE x, (a || b) COLLATE x")
        #expect(try roundTrip("SELECT -a * b, -(a * b), - -x, -(-1), ~ -x") == "SELECT -a * b, -(a * b), - -x, - -1, ~ -x")
        #expect(try roundTrip("SELECT a < b = c, a < (b = c)") == "SELECT a < b = c, a < (b = c)")
        #expect(try roundTrip("SELECT a OR b AND c, (a OR b) AND c") == "SELECT a OR b AND c, (a OR b) AND c")
        #expect(try roundTrip("SELECT x BETWEEN 1 + 1 AND (2 = 2), x LIKE (a = b)") == "SELECT x BETWEEN 1 + 1 AND (2 = 2), x LIKE (a = b)")
        #expect(try roundTrip("SELECT x LIMIT 2, 10") == "SELECT x LIMIT 10 OFFSET 2")
    }

    /// Normalised SQL never nests deeper than what was written, so it is always accepted again.
    @Test func printingDoesNotDeepenNesting() throws {
        let limits = ParserLimits(maxDepth: 40)
        for sql in ["SELECT " + String(repeating: "+", count: 34) + "x", "SELECT " + String(repeating: "NOT ", count: 30) + "x",
                    "SELECT " + (1...35).map(String.init).joined(separator: " - "), "SELECT " + String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30)] {
            guard case .success(.select(let select))? = try Parser.parse(sql, limits: limits).first else { Issue.record("did not parse: \(sql)"); continue }
            let printed = SQLFormatter.select(select)
            #expect(throws: Never.self) { try Parser.parse(printed, limits: limits) }
        }
    }

    @Test func namesAndRecognisesOtherStatements() throws {
        let kinds = try Parser.parse("INSERT INTO t VALUES (1); PRAGMA x; WITH a AS (SELECT 1) DELETE FROM t; EXPLAIN SELECT 1; ATTACH 'x' AS y").map { result -> String in
            if case .success(.other(let kind, _)) = result { return kind }
            return "?"
        }
        #expect(kinds == ["INSERT", "PRAGMA", "DELETE", "EXPLAIN", "ATTACH"])
    }

    @Test func syntaxErrorsCarryPositions() throws {
        let results = try Parser.parse("SELECT FROM t")
        guard case .failure(let error) = results.first else { Issue.record("parsed"); return }
        #expect(error.code == .syntax)
        #expect(error.offset == 7)
    }

    @Test func limitsFailFast() {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect { try Parser.parse("SELECT " + deep) } throws: { ($0 as? SQLSyntaxError)?.code == .tooDeep }
        let negations = String(repeating: "- ", count: 5_000)
        #expect { try Parser.parse("SELECT " + negations + "1") } throws: { ($0 as? SQLSyntaxError)?.code == .tooDeep }
        let long = "SELECT " + String(repeating: "1 + ", count: 30_000) + "1"
        #expect { try Parser.parse(long) } throws: { ($0 as? SQLSyntaxError)?.code == .tooLong }
    }
}
