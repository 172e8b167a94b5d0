import Semantic
import Yams

/// Parses a data-check declaration file (`semantic/models/*.yml`).
///
/// ```yaml
/// tables:
///   experiments:
///     columns:
///       experiment_id: [unique, not_null]
///       status:
///         - accepted_values: [draft, review, running, readout, shipped, killed]
///     checks:
///       - expression_is_true: "started_at IS NULL OR started_at >= created_at"
/// ```
/// Column checks: `unique`, `not_null`, `canonical_timestamp`,
/// `accepted_values: [..]`, `relationships: {to: TABLE, field: COLUMN}`.
/// Table checks: `unique: [cols]`, `relationships: {columns: [..], to: TABLE, fields: [..]}`,
/// `expression_is_true: SQL`, `exposure_timing`.
/// Errors name the file, line and column of the offending entry.
enum DataCheckFile {
    static let columnChecks = ["unique", "not_null", "canonical_timestamp", "accepted_values", "relationships"]
    static let tableChecks = ["unique", "relationships", "expression_is_true", "exposure_timing"]

    static func parse(yaml: String, file: String) throws -> [DataCheck] {
        let root: Node
        do {
            root = try YAMLFile(text: yaml, path: file, allowEmpty: true).root
        } catch {
            throw WarehouseError(code: .checkFile, message: "\(error)")
        }
        if case .mapping(let mapping) = root, mapping.isEmpty { return [] }
        guard let tables = root.mapping?["tables"]?.mapping else {
            throw failure(file, root, "expected a top-level 'tables:' mapping of table name → checks")
        }
        var checks: [DataCheck] = []
        for (tableNode, spec) in tables {
            guard let table = tableNode.string, let specMapping = spec.mapping else {
                throw failure(file, spec, "each table maps to 'columns:' and/or 'checks:'")
            }
            for (key, _) in specMapping where !["columns", "checks"].contains(key.string ?? "") {
                throw failure(file, key, "unknown key '\(key.string ?? "")' under table \(table); use 'columns:' or 'checks:'")
            }
            if let columns = specMapping["columns"] {
                guard let columnMapping = columns.mapping else { throw failure(file, columns, "'columns:' maps column names to lists of checks") }
                for (columnNode, list) in columnMapping {
                    guard let column = columnNode.string else { throw failure(file, columnNode, "column names are plain text") }
                    for entry in try entries(list, file: file) {
                        checks.append(try columnCheck(entry, table: table, column: column, file: file))
                    }
                }
            }
            if let tableLevel = specMapping["checks"] {
                for entry in try entries(tableLevel, file: file) {
                    checks.append(try tableCheck(entry, table: table, file: file))
                }
            }
        }
        return checks
    }

    private static func entries(_ node: Node, file: String) throws -> [Node] {
        guard let sequence = node.sequence else { throw failure(file, node, "expected a list of checks (e.g. [not_null, unique])") }
        return Array(sequence)
    }

    /// A check entry is a bare name or a one-key mapping `name: argument`.
    private static func nameAndArgument(_ entry: Node, file: String) throws -> (String, Node?) {
        if let name = entry.scalar?.string { return (name, nil) }
        if let mapping = entry.mapping, mapping.count == 1, let first = mapping.first, let name = first.key.string {
            return (name, first.value)
        }
        throw failure(file, entry, "a check is a name or 'name: argument'")
    }

    private static func columnCheck(_ entry: Node, table: String, column: String, file: String) throws -> DataCheck {
        let (name, argument) = try nameAndArgument(entry, file: file)
        let origin = "\(file):\(line(entry))"
        switch name {
        case "unique": return DataCheck(table: table, kind: .unique(columns: [column]), origin: origin)
        case "not_null": return DataCheck(table: table, kind: .notNull(column: column), origin: origin)
        case "canonical_timestamp": return DataCheck(table: table, kind: .canonicalTimestamp(column: column), origin: origin)
        case "accepted_values":
            guard let values = argument?.sequence, !values.isEmpty else {
                throw failure(file, entry, "accepted_values takes a non-empty list, e.g. accepted_values: [draft, running]")
            }
            return DataCheck(table: table, kind: .acceptedValues(column: column, values: try values.map { try checkValue($0, file: file) }), origin: origin)
        case "relationships":
            guard let mapping = argument?.mapping, let to = mapping["to"]?.string, let field = mapping["field"]?.string else {
                throw failure(file, entry, "relationships takes {to: TABLE, field: COLUMN}")
            }
            return DataCheck(table: table, kind: .relationships(columns: [column], table: to, fields: [field]), origin: origin)
        default:
            throw failure(file, entry, "unknown column check '\(name)' on \(table).\(column); use one of: \(columnChecks.joined(separator: ", "))")
        }
    }

    private static func tableCheck(_ entry: Node, table: String, file: String) throws -> DataCheck {
        let (name, argument) = try nameAndArgument(entry, file: file)
        let origin = "\(file):\(line(entry))"
        switch name {
        case "unique":
            guard let columns = argument.flatMap(stringList), !columns.isEmpty else {
                throw failure(file, entry, "a table-level unique takes a list of columns, e.g. unique: [experiment_id, unit_id]")
            }
            return DataCheck(table: table, kind: .unique(columns: columns), origin: origin)
        case "relationships":
            guard let mapping = argument?.mapping, let to = mapping["to"]?.string,
                  let columns = mapping["columns"].flatMap(stringList), !columns.isEmpty
            else {
                throw failure(file, entry, "a table-level relationships takes {columns: [..], to: TABLE, fields: [..]} (fields default to columns)")
            }
            let fields = mapping["fields"].flatMap(stringList) ?? columns
            guard fields.count == columns.count else {
                throw failure(file, entry, "relationships needs as many fields (\(fields.count)) as columns (\(columns.count))")
            }
            return DataCheck(table: table, kind: .relationships(columns: columns, table: to, fields: fields), origin: origin)
        case "expression_is_true":
            guard let expression = argument?.string, !expression.isEmpty else {
                throw failure(file, entry, "expression_is_true takes a SQL predicate, e.g. expression_is_true: \"n_converted <= n_users\"")
            }
            return DataCheck(table: table, kind: .expressionIsTrue(expression), origin: origin)
        case "exposure_timing":
            return DataCheck(table: table, kind: .exposureTiming, origin: origin)
        default:
            throw failure(file, entry, "unknown table check '\(name)' on \(table); use one of: \(tableChecks.joined(separator: ", "))")
        }
    }

    private static func stringList(_ node: Node) -> [String]? {
        guard let sequence = node.sequence else { return nil }
        let values = sequence.compactMap(\.string)
        return values.count == sequence.count ? values : nil
    }

    private static func checkValue(_ node: Node, file: String) throws -> CheckValue {
        guard let scalar = node.scalar else { throw failure(file, node, "accepted values are plain scalars") }
        if scalar.style == .plain, Double(scalar.string) != nil {
            return .number(scalar.string)
        }
        return .text(scalar.string)
    }

    private static func line(_ node: Node) -> Int {
        (node.mark?.line ?? 0)
    }

    private static func failure(_ file: String, _ node: Node, _ message: String) -> WarehouseError {
        let position = node.mark.map { "\($0.line):\($0.column)" } ?? "?"
        return WarehouseError(code: .checkFile, message: "\(file):\(position): \(message).")
    }
}
