/// Splits SQL text into tokens the way SQLite's tokenizer (`sqlite3GetToken`) does,
/// or, for PostgreSQL, the way its scanner (`scan.l`) does for the part of its
/// syntax the parser accepts.
///
/// Differences are all on the side of refusing: a NUL byte anywhere is an
/// error (SQLite would silently stop reading there), and so is any byte
/// SQLite would call illegal. In PostgreSQL, the prefixed strings (`E'…'`,
/// `B'…'`, `X'…'`, `U&'…'`) and the operators the parser has no reading for are
/// refused rather than guessed at.
struct Lexer {
    private let bytes: [UInt8]
    private let dialect: SQLDialect
    private var position = 0

    init(_ bytes: [UInt8], dialect: SQLDialect = .sqlite) {
        self.bytes = bytes
        self.dialect = dialect
    }

    /// Every token up to the end, comments and whitespace dropped.
    static func tokenize(_ bytes: [UInt8], dialect: SQLDialect = .sqlite, limits: ParserLimits) throws(SQLSyntaxError) -> [Token] {
        var lexer = Lexer(bytes, dialect: dialect)
        var tokens: [Token] = []
        tokens.reserveCapacity(min(bytes.count / 3 + 2, limits.maxTokens + 1))
        while true {
            let token = try lexer.next()
            if case .end = token.kind {
                tokens.append(token)
                return tokens
            }
            let start = token.start
            tokens.append(token)
            if tokens.count > limits.maxTokens {
                throw SQLSyntaxError(.tooLong, "The query has more than \(limits.maxTokens) tokens; split it or simplify it.", at: start)
            }
        }
    }

    @inline(__always) mutating func next() throws(SQLSyntaxError) -> Token {
        try skipTrivia()
        let start = position
        guard position < bytes.count else { return Token(kind: .end, start: start, end: start) }
        let byte = bytes[position]
        if let token = try shared(byte, start: start) { return token }
        if dialect == .postgresql { return try nextPostgreSQL(byte, start: start) }
        switch byte {
        case UInt8(ascii: "`"):
            try quoted(closing: UInt8(ascii: "`"), doubles: true, what: "quoted identifier")
            return Token(kind: .quotedIdentifier, start: start, end: position)
        case UInt8(ascii: "["):
            try quoted(closing: UInt8(ascii: "]"), doubles: false, what: "bracketed identifier")
            return Token(kind: .quotedIdentifier, start: start, end: position)
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "'") {
                return try blob(start: start)
            }
            return word(start: start)
        case UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "$"):
            return try parameter(start: start)
        default:
            if isIdentifierStart(byte) { return word(start: start) }
            return try symbol(start: start)
        }
    }

    /// PostgreSQL's tokens: `"name"` only, `$n` parameters, dollar-quoted strings, `::`,
    /// and nested block comments (handled in ``skipTrivia()``).
    private mutating func nextPostgreSQL(_ byte: UInt8, start: Int) throws(SQLSyntaxError) -> Token {
        switch byte {
        case UInt8(ascii: "`"), UInt8(ascii: "["):
            throw SQLSyntaxError(.syntax, "\(Character(Unicode.Scalar(byte))) is not PostgreSQL syntax; quote names with double quotes, e.g. \"experiment_id\".", at: start)
        case UInt8(ascii: "$"):
            if let digit = peek(1), isDigit(digit) {
                position += 1
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
                return Token(kind: .parameter, start: start, end: position)
            }
            return try dollarQuoted(start: start)
        case UInt8(ascii: ":"):
            if peek(1) == UInt8(ascii: ":") {
                position += 2
                return Token(kind: .symbol(.doubleColon), start: start, end: position)
            }
            throw SQLSyntaxError(.syntax, "A lone ':' is not PostgreSQL syntax; casts are written x::type, parameters $1.", at: start)
        case UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "^"), UInt8(ascii: "#"):
            throw SQLSyntaxError(.syntax, "The operator \(Character(Unicode.Scalar(byte))) is not supported; parameters are written $1, powers with power(x, y).", at: start)
        default:
            if isIdentifierStart(byte) {
                if let next = peek(1), next == UInt8(ascii: "'"), Self.stringPrefixes.contains(byte) {
                    throw SQLSyntaxError(.syntax, "Prefixed string literals (\(Character(Unicode.Scalar(byte)))'…') are not supported; write a plain 'string'.", at: start)
                }
                if (byte == UInt8(ascii: "u") || byte == UInt8(ascii: "U")), peek(1) == UInt8(ascii: "&") {
                    throw SQLSyntaxError(.syntax, "Unicode-escaped literals (U&'…') are not supported; write a plain 'string' or \"name\".", at: start)
                }
                return word(start: start)
            }
            if byte == UInt8(ascii: "~") || (byte == UInt8(ascii: "!") && peek(1) == UInt8(ascii: "~")) {
                throw SQLSyntaxError(.syntax, "Regular-expression operators (~, ~*, !~) are not supported; use LIKE or ILIKE.", at: start)
            }
            return try symbol(start: start)
        }
    }

    /// The tokens both dialects read alike: `'strings'`, `"names"`, numbers and the dot; nil for any other byte.
    @inline(__always) private mutating func shared(_ byte: UInt8, start: Int) throws(SQLSyntaxError) -> Token? {
        switch byte {
        case UInt8(ascii: "'"):
            try quoted(closing: UInt8(ascii: "'"), doubles: true, what: "string literal")
            return Token(kind: .string, start: start, end: position)
        case UInt8(ascii: "\""):
            try quoted(closing: UInt8(ascii: "\""), doubles: true, what: "quoted identifier")
            return Token(kind: .quotedIdentifier, start: start, end: position)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try number(start: start)
        case UInt8(ascii: "."):
            if position + 1 < bytes.count, isDigit(bytes[position + 1]) { return try number(start: start) }
            position += 1
            return Token(kind: .symbol(.dot), start: start, end: position)
        default:
            return nil
        }
    }

    /// `E'…'`, `B'…'`, `X'…'`, `N'…'` in PostgreSQL.
    private static let stringPrefixes: Set<UInt8> = Set("eEbBxXnN".utf8)

    /// `$$…$$` or `$tag$…$tag$`: a string with no escapes at all.
    private mutating func dollarQuoted(start: Int) throws(SQLSyntaxError) -> Token {
        var end = position + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "$") {
            guard isIdentifierStart(bytes[end]) || (end > position + 1 && isDigit(bytes[end])) else {
                throw SQLSyntaxError(.syntax, "A $ starts a parameter ($1) or a dollar-quoted string ($$…$$ or $tag$…$tag$).", at: start)
            }
            end += 1
        }
        guard end < bytes.count else {
            throw SQLSyntaxError(.syntax, "Unterminated dollar quote starting at byte \(start).", at: start)
        }
        let delimiter = Array(bytes[position...end])
        let bodyStart = end + 1
        var scan = bodyStart
        while scan + delimiter.count <= bytes.count {
            if bytes[scan] == 0 { throw nulByte(at: scan) }
            if bytes[scan] == UInt8(ascii: "$"), Array(bytes[scan..<(scan + delimiter.count)]) == delimiter {
                position = scan + delimiter.count
                return Token(kind: .string, start: start, end: position)
            }
            scan += 1
        }
        throw SQLSyntaxError(.syntax, "Unterminated dollar-quoted string starting at byte \(start); close it with \(String(decoding: delimiter, as: UTF8.self)).", at: start)
    }

    // MARK: Pieces

    @inline(__always) private mutating func skipTrivia() throws(SQLSyntaxError) {
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0C, 0x0D:
                position += 1
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                while position < bytes.count, bytes[position] != 0x0A {
                    if bytes[position] == 0 { throw nulByte(at: position) }
                    position += 1
                }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*") && dialect == .postgresql:
                try nestedComment()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                // Block comments do not nest; an unterminated one runs to the end, as in SQLite.
                position += 2
                while position < bytes.count, !(bytes[position] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                    if bytes[position] == 0 { throw nulByte(at: position) }
                    position += 1
                }
                position = min(position + 2, bytes.count)
            case 0:
                throw nulByte(at: position)
            default:
                return
            }
        }
    }

    /// PostgreSQL's block comments nest, and an unterminated one is an error.
    private mutating func nestedComment() throws(SQLSyntaxError) {
        let start = position
        var depth = 0
        while position < bytes.count {
            if bytes[position] == 0 { throw nulByte(at: position) }
            if bytes[position] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                depth += 1
                position += 2
            } else if bytes[position] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                depth -= 1
                position += 2
                if depth == 0 { return }
            } else {
                position += 1
            }
        }
        throw SQLSyntaxError(.syntax, "Unterminated /* comment starting at byte \(start); close it with */.", at: start)
    }

    /// Moves past a quoted token, checking it is closed and holds no NUL byte; its value is read
    /// later, only when needed (``Token/text(in:)``).
    private mutating func quoted(closing: UInt8, doubles: Bool, what: String) throws(SQLSyntaxError) {
        let start = position
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0 { throw nulByte(at: position) }
            if byte == closing {
                if doubles, peek(1) == closing {
                    position += 2
                    continue
                }
                position += 1
                return
            }
            position += 1
        }
        throw SQLSyntaxError(.syntax, "Unterminated \(what) starting at byte \(start); close it with \(Character(Unicode.Scalar(closing))).", at: start)
    }

    private mutating func blob(start: Int) throws(SQLSyntaxError) -> Token {
        position += 2
        let digitsStart = position
        while position < bytes.count, isHexDigit(bytes[position]) { position += 1 }
        let count = position - digitsStart
        guard position < bytes.count, bytes[position] == UInt8(ascii: "'"), count % 2 == 0 else {
            throw SQLSyntaxError(.syntax, "Malformed blob literal: write X'…' with an even number of hex digits.", at: start)
        }
        position += 1
        return Token(kind: .blob, start: start, end: position)
    }

    private mutating func number(start: Int) throws(SQLSyntaxError) -> Token {
        // Hexadecimal integers are SQLite's (PostgreSQL 15 would read 0x1F as 0 aliased x1F).
        if dialect == .sqlite, bytes[position] == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X"),
           let digit = peek(2), isHexDigit(digit) {
            position += 2
            while position < bytes.count, isHexDigit(bytes[position]) { position += 1 }
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                var look = position + 1
                if look < bytes.count, bytes[look] == UInt8(ascii: "+") || bytes[look] == UInt8(ascii: "-") { look += 1 }
                if look < bytes.count, isDigit(bytes[look]) {
                    position = look
                    while position < bytes.count, isDigit(bytes[position]) { position += 1 }
                } else {
                    throw SQLSyntaxError(.syntax, "Malformed number: an exponent needs digits.", at: start)
                }
            }
        }
        if position < bytes.count, isIdentifierPart(bytes[position]) {
            throw SQLSyntaxError(.syntax, "Malformed number: \(text(start, min(position + 1, bytes.count)))… runs into a name; separate them with a space.", at: start)
        }
        return Token(kind: .number, start: start, end: position)
    }

    private mutating func parameter(start: Int) throws(SQLSyntaxError) -> Token {
        let sigil = bytes[position]
        position += 1
        if sigil == UInt8(ascii: "?") {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        } else {
            let nameStart = position
            while position < bytes.count, isIdentifierPart(bytes[position]) { position += 1 }
            if position == nameStart {
                throw SQLSyntaxError(.syntax, "A \(Character(Unicode.Scalar(sigil))) parameter needs a name, e.g. \(Character(Unicode.Scalar(sigil)))experiment.", at: start)
            }
        }
        return Token(kind: .parameter, start: start, end: position)
    }

    /// A name or keyword: the keyword table's hash is taken while the word is read, so a keyword
    /// costs one pass over its bytes and one probe.
    private mutating func word(start: Int) -> Token {
        var hash = Keyword.hashSeed
        var highBits: UInt8 = 0
        var dollar = false
        var end = position
        let keyword: Keyword? = bytes.withUnsafeBufferPointer { buffer in
            while end < buffer.count {
                let byte = buffer[end]
                guard isIdentifierPart(byte) else { break }
                highBits |= byte
                dollar = dollar || byte == 0x24
                hash = Keyword.hashStep(hash, byte)
                end += 1
            }
            // Keywords are ASCII: a word with any byte ≥ 0x80 is a name.
            return highBits < 0x80 ? Keyword.lookup(hash: hash, UnsafeBufferPointer(rebasing: buffer[start..<end])) : nil
        }
        position = end
        if let keyword { return Token(kind: .keyword(keyword), start: start, end: end) }
        return Token(kind: .identifier, start: start, end: end, isPlainWord: highBits < 0x80 && !dollar)
    }

    /// Operators and punctuation, longest match first: `->>`, then `||` `<=` `>=` `<>` `!=` `==` `<<`
    /// `>>` `->`, then one of `()+-*/%,;=<>&|~`. A switch on the byte, not a search of a list.
    private mutating func symbol(start: Int) throws(SQLSyntaxError) -> Token {
        let byte = bytes[position]
        let next = peek(1)
        let symbol: Symbol
        switch byte {
        case UInt8(ascii: "-"):
            symbol = next == UInt8(ascii: ">") ? (peek(2) == UInt8(ascii: ">") ? .doubleArrow : .arrow) : .minus
        case UInt8(ascii: "|"):
            symbol = next == UInt8(ascii: "|") ? .concatenate : .bitOr
        case UInt8(ascii: "<"):
            switch next {
            case UInt8(ascii: "=")?: symbol = .lessOrEqual
            case UInt8(ascii: ">")?: symbol = .lessGreater
            case UInt8(ascii: "<")?: symbol = .shiftLeft
            default: symbol = .less
            }
        case UInt8(ascii: ">"):
            switch next {
            case UInt8(ascii: "=")?: symbol = .greaterOrEqual
            case UInt8(ascii: ">")?: symbol = .shiftRight
            default: symbol = .greater
            }
        case UInt8(ascii: "="):
            symbol = next == UInt8(ascii: "=") ? .doubleEquals : .equals
        case UInt8(ascii: "!") where next == UInt8(ascii: "="):
            symbol = .notEquals
        case UInt8(ascii: "("): symbol = .openParen
        case UInt8(ascii: ")"): symbol = .closeParen
        case UInt8(ascii: "+"): symbol = .plus
        case UInt8(ascii: "*"): symbol = .star
        case UInt8(ascii: "/"): symbol = .slash
        case UInt8(ascii: "%"): symbol = .percent
        case UInt8(ascii: ","): symbol = .comma
        case UInt8(ascii: ";"): symbol = .semicolon
        case UInt8(ascii: "&"): symbol = .bitAnd
        case UInt8(ascii: "~"): symbol = .tilde
        case 0:
            throw nulByte(at: position)
        default:
            let shown = byte < 0x20 || byte == 0x7F ? "byte 0x\(String(byte, radix: 16))" : "character '\(Character(Unicode.Scalar(byte)))'"
            throw SQLSyntaxError(.syntax, "Unexpected \(shown) at byte \(position); it is not part of \(dialect.displayName)'s SQL.", at: position)
        }
        position += symbol.length
        return Token(kind: .symbol(symbol), start: start, end: position)
    }

    // MARK: Helpers

    private func peek(_ offset: Int) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private func nulByte(at offset: Int) -> SQLSyntaxError {
        SQLSyntaxError(.syntax, "The query contains a NUL byte at byte \(offset); remove it.", at: offset)
    }
}

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

@inline(__always) func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
}

/// SQLite's `IdChar`: ASCII letters, `_`, and every byte of a multi-byte UTF-8 character.
@inline(__always) func isIdentifierStart(_ byte: UInt8) -> Bool {
    // `byte | 0x20` maps A–Z onto a–z; one subtraction then tests for a letter.
    (byte | 0x20) &- 0x61 < 26 || byte == 0x5F || byte >= 0x80
}

@inline(__always) func isIdentifierPart(_ byte: UInt8) -> Bool {
    isIdentifierStart(byte) || byte &- 0x30 < 10 || byte == 0x24
}
