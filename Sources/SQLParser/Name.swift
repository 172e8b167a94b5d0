/// An SQL name as written, and the key SQLite compares it by.
///
/// SQLite matches names with ASCII-only case folding (`sqlite3StrICmp`): `A`–`Z`
/// fold to `a`–`z` and every other byte, including all non-ASCII text, must be
/// identical. There is no Unicode folding or normalisation, so `"É"` and `"é"`
/// are different names, and a Cyrillic `е` never matches a Latin `e`.
public struct Name: Sendable, Hashable, CustomStringConvertible {
    /// The name with quotes removed.
    public var text: String
    /// The comparison key: `text` with ASCII letters lowercased.
    public var key: String

    public init(_ text: String) {
        self.text = text
        self.key = Name.fold(text)
    }

    public static func == (lhs: Name, rhs: Name) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
    public var description: String { text }

    /// ASCII-only lowercase, as SQLite compares names.
    public static func fold(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var changed = false
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A {
            bytes[index] += 32
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }
}
