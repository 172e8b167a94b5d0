import Testing
@testable import SQLParser

@Suite struct LexerTests {
    private func kinds(_ sql: String) throws -> [Token.Kind] {
        try Lexer.tokenize(Array(sql.utf8), limits: .default).map(\.kind)
    }

    @Test func quotingStylesAllProduceNames() throws {
        let source = Array(#"SELECT "a""b", [c d], `e``f`, 'g''h', '', "x""" FROM x"#.utf8)
        let tokens = try Lexer.tokenize(source, limits: .default)
        #expect(tokens[1].kind == .quotedIdentifier && tokens[1].text(in: source) == "a\"b")
        #expect(tokens[3].kind == .quotedIdentifier && tokens[3].text(in: source) == "c d")
        #expect(tokens[5].kind == .quotedIdentifier && tokens[5].text(in: source) == "e`f")
        #expect(tokens[7].kind == .string && tokens[7].text(in: source) == "g'h")
        #expect(tokens[9].kind == .string && tokens[9].text(in: source) == "")
        #expect(tokens[11].kind == .quotedIdentifier && tokens[11].text(in: source) == "x\"")
        // Given a source the token was not read from, a token answers text, never traps.
        #expect(Token(kind: .string, start: 0, end: 1).text(in: Array("'".utf8)) == "'")
        #expect(Token(kind: .string, start: 0, end: 3).text(in: Array("$a$".utf8)) == "$a$")
        #expect(Token(kind: .identifier, start: 2, end: 9).text(in: Array("ab".utf8)) == "")
    }

    @Test func commentsDoNotNestAndAreDropped() throws {
        #expect(try kinds("SELECT /* a /* b */ 1 -- tail\n").count == 3)
        // The first */ ends the comment, so the second */ is two symbols.
        #expect(try kinds("SELECT /* /* */ 1 */").contains(.symbol(.star)))
    }

    @Test func numbersBlobsAndParameters() throws {
        #expect(try kinds("1 1.5 .5 1e3 0x1F X'0a' ? ?1 :a @b $c") == [
            .number, .number, .number, .number, .number, .blob, .parameter, .parameter, .parameter, .parameter, .parameter, .end,
        ])
    }

    @Test func keywordsFoldOnlyAsciiCase() throws {
        #expect(try kinds("sElEcT")[0] == .keyword(.select))
        // A Cyrillic "е" makes it an ordinary name, not a keyword.
        #expect(try kinds("s\u{0435}lect")[0] == .identifier)
    }

    @Test func refusesNulBytesAndStrayCharacters() {
        #expect(throws: SQLSyntaxError.self) { try kinds("SELECT 1\u{0}; DROP TABLE x") }
        #expect(throws: SQLSyntaxError.self) { try kinds("SELECT 1 # 2") }
        #expect(throws: SQLSyntaxError.self) { try kinds("SELECT 'open") }
        #expect(throws: SQLSyntaxError.self) { try kinds("SELECT 12abc") }
    }

    @Test func namesCompareWithAsciiFoldingOnly() {
        #expect(Name("Experiments") == Name("EXPERIMENTS"))
        #expect(Name("É") != Name("é"))
        #expect(Name("users") != Name("us\u{0435}rs"))
    }
}
