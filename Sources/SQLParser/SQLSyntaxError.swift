/// Why the lexer or parser could not accept a statement, and where.
public struct SQLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not SQL SQLite would accept, or a construct the parser refuses to guess at.
        case syntax = "syntax_error"
        /// Longer than the configured limit.
        case tooLong = "too_long"
        /// Nested deeper than the configured limit.
        case tooDeep = "too_deep"
    }

    public var code: Code
    public var message: String
    /// Byte offset in the UTF-8 source where the problem was found.
    public var offset: Int

    public init(_ code: Code, _ message: String, at offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at byte \(offset))" }
}

/// How much work the parser will do before refusing.
public struct ParserLimits: Sendable, Equatable {
    /// Longest accepted SQL text, in UTF-8 bytes.
    public var maxLength: Int
    /// Deepest nesting of expressions, parentheses and subqueries.
    public var maxDepth: Int
    /// Most tokens in one input.
    public var maxTokens: Int

    public init(maxLength: Int = 32_768, maxDepth: Int = 64, maxTokens: Int = 32_768) {
        self.maxLength = maxLength
        self.maxDepth = maxDepth
        self.maxTokens = maxTokens
    }

    public static let `default` = ParserLimits()
}
