/// Quoting by Unicode scalars, never by `Character`: Swift compares and replaces whole
/// grapheme clusters, so a `'` followed by a combining mark (U+0301) is not `"'"` to
/// `replacing(_:with:)` and would be left undoubled — ending a string literal early in the
/// SQL Readout prints (found by the fuzzer). Every quote Readout writes goes through here.
public enum Quoting {
    /// `text` between two `quote`s, every `quote` inside it doubled: `it's` → `'it''s'`.
    public static func wrapped(_ text: String, in quote: Unicode.Scalar) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        append(text, in: quote, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same, appended to `bytes` as UTF-8 (the formatter writes into one buffer).
    public static func append(_ text: String, in quote: Unicode.Scalar, to bytes: inout [UInt8]) {
        let mark = Array(String(quote).utf8)
        bytes.append(contentsOf: mark)
        if !text.unicodeScalars.contains(quote) {
            bytes.append(contentsOf: text.utf8)
        } else {
            for scalar in text.unicodeScalars {
                bytes.append(contentsOf: String(scalar).utf8)
                if scalar == quote { bytes.append(contentsOf: mark) }
            }
        }
        bytes.append(contentsOf: mark)
    }
}
