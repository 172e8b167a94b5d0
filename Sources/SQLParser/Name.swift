/// An SQL name as written, and the key SQLite compares it by.
///
/// SQLite matches names with ASCII-only case folding (`sqlite3StrICmp`): `A`–`Z`
/// fold to `a`–`z` and every other byte, including all non-ASCII text, must be
/// identical. There is no Unicode folding or normalisation, so `"É"` and `"é"`
/// are different names, and a Cyrillic `е` never matches a Latin `e`.
public struct Name: Sendable, Hashable, CustomStringConvertible {
    /// The name with quotes removed.
    public let text: String
    /// The comparison key: `text` with ASCII letters lowercased.
    public let key: String
    /// Written as a bare word of ASCII letters, digits and `_` that is no SQLite keyword
    /// (``Token/isPlainWord``); false when not known, and the printer checks the bytes.
    let isPlainWord: Bool
    /// Its number in the catalog's ``NameTable`` when the parser found it there, else -1.
    let number: Int32

    public init(_ text: String) {
        self.init(text, isPlainWord: false)
    }

    init(_ text: String, isPlainWord: Bool) {
        self.text = text
        self.key = Name.fold(text)
        self.isPlainWord = isPlainWord
        self.number = -1
    }

    /// A catalog spelling that reads back as itself (``SQLFormatter/isPlain(_:)``), numbered by its table.
    init(_ text: String, number: Int32) {
        self.text = text
        self.key = Name.fold(text)
        self.isPlainWord = true
        self.number = number
    }

    public static func == (lhs: Name, rhs: Name) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
    public var description: String { text }

    /// ASCII-only lowercase, as SQLite compares names.
    public static func fold(_ text: String) -> String {
        var text = text
        let hasUpper = text.withUTF8 { bytes in bytes.contains { $0 >= 0x41 && $0 <= 0x5A } }
        guard hasUpper else { return text }
        return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// Whether `bytes`, folded as ``fold(_:)`` folds, are the lower-case ASCII `word`.
    static func folds<Word: Collection<UInt8>>(_ bytes: UnsafeBufferPointer<UInt8>, to word: Word) -> Bool {
        guard word.count == bytes.count else { return false }
        for (a, b) in zip(word, bytes) where a != (b >= 0x41 && b <= 0x5A ? b + 32 : b) { return false }
        return true
    }
}
