/// Rewrites SQLite-style parameters (`?`, `?NNN`) into PostgreSQL's (`$1`, `$NNN`), so the
/// engine-independent SQL Readout writes runs unchanged on both. String literals, quoted
/// identifiers, comments and dollar-quoted strings are copied as they are.
enum Placeholders {
    static func postgres(_ sql: String) -> String {
        guard sql.contains("?") else { return sql }
        var output = ""
        output.reserveCapacity(sql.utf8.count + 8)
        var scalars = Array(sql.unicodeScalars)[...]
        var next = 1
        func copy(until terminator: Unicode.Scalar) {
            while let scalar = scalars.popFirst() {
                output.unicodeScalars.append(scalar)
                if scalar == terminator { return }
            }
        }
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "'", "\"":
                output.unicodeScalars.append(scalar)
                copy(until: scalar)
            case "-" where scalars.first == "-":
                output.unicodeScalars.append(scalar)
                copy(until: "\n")
            case "/" where scalars.first == "*":
                output.unicodeScalars.append(scalar)
                while let inner = scalars.popFirst() {
                    output.unicodeScalars.append(inner)
                    if inner == "*" && scalars.first == "/" {
                        output.unicodeScalars.append(scalars.removeFirst())
                        break
                    }
                }
            case "?":
                var digits = ""
                while let digit = scalars.first, ("0"..."9").contains(digit) {
                    digits.unicodeScalars.append(scalars.removeFirst())
                }
                if digits.isEmpty {
                    output += "$\(next)"
                    next += 1
                } else {
                    output += "$" + digits
                }
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
