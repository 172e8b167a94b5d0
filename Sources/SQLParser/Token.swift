/// An operator or punctuation mark; its raw value is how it is written. A case, not a `String`,
/// so a token is a plain value (copied without reference counting) and compared in one step.
public enum Symbol: String, Sendable {
    case openParen = "("
    case closeParen = ")"
    case comma = ","
    case semicolon = ";"
    case dot = "."
    case star = "*"
    case plus = "+"
    case minus = "-"
    case slash = "/"
    case percent = "%"
    case equals = "="
    case doubleEquals = "=="
    case notEquals = "!="
    case lessGreater = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case shiftLeft = "<<"
    case shiftRight = ">>"
    case concatenate = "||"
    case bitOr = "|"
    case bitAnd = "&"
    case tilde = "~"
    case arrow = "->"
    case doubleArrow = "->>"
    case doubleColon = "::"

    /// Its length in bytes.
    var length: Int {
        switch self {
        case .doubleArrow: 3
        case .doubleEquals, .notEquals, .lessGreater, .lessOrEqual, .greaterOrEqual, .shiftLeft, .shiftRight, .concatenate, .arrow, .doubleColon: 2
        default: 1
        }
    }
}

/// One lexical token of SQLite's SQL, with its byte range in the source.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A bare word that is not a keyword (or a keyword SQLite lets stand as a name).
        case identifier
        /// `"x"`, `[x]` or `` `x` ``: always a name.
        case quotedIdentifier
        /// A reserved or non-reserved keyword, e.g. `SELECT`, `LEFT`, `DESC`.
        case keyword(Keyword)
        /// `'text'`.
        case string
        /// `123`, `1.5e3`, `0x1F`, `.5`.
        case number
        /// `x'0A1B'`.
        case blob
        /// `?`, `?1`, `:name`, `@name`, `$name`.
        case parameter
        /// An operator or punctuation mark, e.g. `(`, `<=`, `||`, `->>`.
        case symbol(Symbol)
        case end
    }

    public var kind: Kind
    /// Byte offset of the first byte in the UTF-8 source.
    public var start: Int
    /// Byte offset one past the last byte.
    public var end: Int
    /// A bare word of ASCII letters, digits and `_` that is no SQLite keyword: as a name it needs no
    /// quotes unless PostgreSQL reserves it or it is `true`/`false` (the lexer knows this as it
    /// reads the word, so the printer need not check its bytes again).
    public var isPlainWord: Bool

    public init(kind: Kind, start: Int, end: Int, isPlainWord: Bool = false) {
        self.kind = kind
        self.start = start
        self.end = end
        self.isPlainWord = isPlainWord
    }

    /// The token's value, read from the source it was lexed from: for identifiers, strings and
    /// quoted names the value with its quotes removed and doubled quotes undone (a dollar-quoted
    /// string's body as written); for everything else the source text. Tokens are byte ranges, so
    /// only the tokens the parser keeps a value of cost a `String`.
    public func text(in source: [UInt8]) -> String {
        guard start >= 0, start < end, end <= source.count else { return "" }
        switch kind {
        case .string where end - start >= 2, .quotedIdentifier where end - start >= 2:
            let opening = source[start]
            switch opening {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                return Self.undoubled(source[(start + 1)..<(end - 1)], quote: opening)
            case UInt8(ascii: "["):
                return String(decoding: source[(start + 1)..<(end - 1)], as: UTF8.self)
            case UInt8(ascii: "$"):
                // `$tag$…$tag$`: the body between the two delimiters.
                var close = start + 1
                while close < end, source[close] != UInt8(ascii: "$") { close += 1 }
                let length = close - start + 1
                guard start + length <= end - length else { return String(decoding: source[start..<end], as: UTF8.self) }
                return String(decoding: source[(start + length)..<(end - length)], as: UTF8.self)
            default:
                return String(decoding: source[start..<end], as: UTF8.self)
            }
        default:
            return String(decoding: source[start..<end], as: UTF8.self)
        }
    }

    /// The bytes between the quotes with each doubled quote made single.
    private static func undoubled(_ body: ArraySlice<UInt8>, quote: UInt8) -> String {
        guard body.contains(quote) else { return String(decoding: body, as: UTF8.self) }
        var value: [UInt8] = []
        value.reserveCapacity(body.count)
        var index = body.startIndex
        while index < body.endIndex {
            value.append(body[index])
            index += body[index] == quote ? 2 : 1
        }
        return String(decoding: value, as: UTF8.self)
    }

    func isSymbol(_ symbol: Symbol) -> Bool {
        if case .symbol(let s) = kind { return s == symbol }
        return false
    }

    func isKeyword(_ keyword: Keyword) -> Bool {
        if case .keyword(let k) = kind { return k == keyword }
        return false
    }

    var keyword: Keyword? {
        if case .keyword(let k) = kind { return k }
        return nil
    }
}
