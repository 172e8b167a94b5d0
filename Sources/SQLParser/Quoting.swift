/// Quoting by Unicode scalars, never by `Character`: Swift compares and replaces whole
/// grapheme clusters, so a `'` followed by a combining mark (U+0301) is not `"'"` to
/// `replacing(_:with:)` and would be left undoubled — ending a string literal early in the
/// SQL Readout prints (found by the fuzzer). Every quote Readout writes goes through here.
public enum Quoting {
    /// `text` between two `quote`s, every `quote` inside it doubled: `it's` → `'it''s'`.
    public static func wrapped(_ text: String, in quote: Unicode.Scalar) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(quote)
        for scalar in text.unicodeScalars {
            scalars.append(scalar)
            if scalar == quote { scalars.append(quote) }
        }
        scalars.append(quote)
        return String(scalars)
    }
}
