import SQLParser
import Foundation
import Semantic
import Warehouse

/// Rows to print, with their column names, rendered as an aligned table, JSON or CSV.
struct ResultTable {
    var columns: [String]
    var rows: [[DatabaseValue]]

    init(columns: [String], rows: [[DatabaseValue]]) {
        self.columns = columns
        self.rows = rows
    }

    init(_ rows: [Row], columns: [String]? = nil) {
        self.columns = columns ?? rows.first?.columns ?? []
        self.rows = rows.map(\.values)
    }

    func rendered(as format: OutputFormat) -> String {
        switch format {
        case .table: return aligned()
        case .json: return JSON.array(rows.map { JSON.object(zip(columns, $0.map(JSON.value))) }) + "\n"
        case .csv: return ([columns.map(CSV.field)] + rows.map { $0.map { CSV.field(CSV.text($0)) } }).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        }
    }

    /// A psql-style table: headers, a rule, right-aligned numbers, long cells cut with "…".
    func aligned(maxCellWidth: Int = 60) -> String {
        let cells = rows.map { $0.map { Self.display($0, maxWidth: maxCellWidth) } }
        let widths = columns.indices.map { column in
            ([columns[column].count] + cells.map { $0[column].count }).max() ?? 0
        }
        let numeric = columns.indices.map { column in
            rows.allSatisfy { row in
                switch row[column] { case .integer, .real, .null: return true; default: return false }
            }
        }
        func line(_ values: [String], header: Bool) -> String {
            values.indices.map { index in
                let pad = String(repeating: " ", count: widths[index] - values[index].count)
                return numeric[index] && !header ? pad + values[index] : values[index] + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var output = [line(columns, header: true), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        output += cells.map { line($0, header: false) }
        output.append("(\(rows.count) row\(rows.count == 1 ? "" : "s"))")
        return output.joined(separator: "\n") + "\n"
    }

    static func display(_ value: DatabaseValue, maxWidth: Int = .max) -> String {
        let text: String
        switch value {
        case .null: text = ""
        case .real(let number): text = formatted(number)
        default: text = value.description
        }
        let singleLine = text.replacingOccurrences(of: "\n", with: " ")
        return singleLine.count > maxWidth ? String(singleLine.prefix(maxWidth - 1)) + "…" : singleLine
    }

    /// Up to six decimals for ordinary magnitudes; scientific notation for tiny or huge ones.
    static func formatted(_ number: Double) -> String {
        guard number.isFinite else { return String(number) }
        let magnitude = abs(number)
        if number == 0 { return "0" }
        if magnitude < 1e-4 || magnitude >= 1e12 { return String(format: "%.3e", number) }
        var text = String(format: "%.6f", number)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// Minimal JSON writing with stable key order (what a reader diffs).
enum JSON {
    static func string(_ text: String) -> String { JSONText.quoted(text) }

    static func value(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let number): return String(number)
        case .real(let number): return number.isFinite ? "\(number)" : "null"
        case .text(let text): return string(text)
        case .blob(let data): return string(data.base64EncodedString())
        }
    }

    static func object<S: Sequence>(_ pairs: S) -> String where S.Element == (String, String) {
        "{" + pairs.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    static func array(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ",\n ") + "]"
    }
}

/// RFC 4180 CSV fields.
enum CSV {
    static func text(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return ""
        case .real(let number): return "\(number)"
        default: return value.description
        }
    }

    static func field(_ text: String) -> String {
        // By bytes: a quote followed by a combining mark is one Character, and must still be quoted.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return Quoting.wrapped(text, in: "\"")
    }
}
