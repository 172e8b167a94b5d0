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
        case symbol(String)
        case end
    }

    public var kind: Kind
    /// Byte offset of the first byte in the UTF-8 source.
    public var start: Int
    /// Byte offset one past the last byte.
    public var end: Int
    /// Identifiers, strings and quoted names: the value with quotes removed and
    /// doubled quotes undone. Numbers, blobs, parameters: the source text.
    public var text: String

    public init(kind: Kind, start: Int, end: Int, text: String) {
        self.kind = kind
        self.start = start
        self.end = end
        self.text = text
    }

    func isSymbol(_ symbol: String) -> Bool {
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
