import Foundation

/// A SQL script (a migration) cut into its statements at top-level semicolons: semicolons inside
/// string literals, quoted identifiers, comments and dollar-quoted bodies do not end a statement.
/// Statements holding only blanks and comments are dropped.
enum ScriptStatements {
    static func split(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var meaningful = false
        var scalars = Array(script.unicodeScalars)[...]
        func finish() {
            let text = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if meaningful, !text.isEmpty { statements.append(text) }
            current = ""
            meaningful = false
        }
        while let scalar = scalars.popFirst() {
            switch scalar {
            case ";":
                finish()
            case "'", "\"":
                meaningful = true
                current.unicodeScalars.append(scalar)
                while let next = scalars.popFirst() {
                    current.unicodeScalars.append(next)
                    if next == scalar { break }
                }
            case "-" where scalars.first == "-":
                current.unicodeScalars.append(scalar)
                while let next = scalars.popFirst() {
                    current.unicodeScalars.append(next)
                    if next == "\n" { break }
                }
            case "/" where scalars.first == "*":
                current.unicodeScalars.append(scalar)
                while let next = scalars.popFirst() {
                    current.unicodeScalars.append(next)
                    if next == "*", scalars.first == "/" {
                        current.unicodeScalars.append(scalars.removeFirst())
                        break
                    }
                }
            case "$":
                meaningful = true
                // A dollar quote: $$ or $tag$ … the same tag.
                var tag = "$"
                var lookahead = scalars
                while let next = lookahead.first, next.properties.isAlphabetic || next == "_" || ("0"..."9").contains(next) {
                    tag.unicodeScalars.append(lookahead.removeFirst())
                }
                guard lookahead.first == "$" else {
                    current.unicodeScalars.append(scalar)
                    continue
                }
                tag.unicodeScalars.append(lookahead.removeFirst())
                scalars = lookahead
                current += tag
                var body = ""
                while let next = scalars.popFirst() {
                    body.unicodeScalars.append(next)
                    if body.hasSuffix(tag) { break }
                }
                current += body
            default:
                if !scalar.properties.isWhitespace { meaningful = true }
                current.unicodeScalars.append(scalar)
            }
        }
        finish()
        return statements
    }
}
