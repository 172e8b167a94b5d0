import Foundation

/// One model: a SQL file under `semantic/models/` that materialises one table.
///
/// The file starts with a header of `-- key: value` comment lines:
/// - `grain:` the columns that identify a row (required; checked as unique by `readout check`),
/// - `depends_on:` the tables and models it reads (required, may be empty),
/// - `index:` columns to index after materialising (optional, repeatable), optionally followed
///   by ` WHERE condition` for a partial index (the rows an incremental refresh looks up),
/// - `compute:` the name of a Swift computation that turns the SELECT's rows
///   into the table's rows (optional; see ``ModelComputation``),
/// - `description:` what a row means (continuation lines are indented).
/// The rest of the file is one SELECT.
public struct SemanticModel: Sendable, Hashable {
    public var name: String
    public var grain: [String]
    public var dependencies: [String]
    public var indexes: [Index]
    public var computation: String?
    /// How `readout build --incremental` refreshes the model.
    public var incremental: Incremental = .full
    public var description: String
    /// The SELECT that produces the table (header comments included; SQLite ignores them).
    public var sql: String
    /// Where the model came from, for error messages.
    public var file: String

    /// An index created after the table is materialised: its columns, and for a partial index
    /// the condition its rows meet (SQL from the model's header, valid in both dialects).
    public struct Index: Sendable, Hashable {
        public var columns: [String]
        public var condition: String?

        public init(columns: [String], condition: String? = nil) {
            self.columns = columns
            self.condition = condition
        }
    }

    public init(name: String, grain: [String], dependencies: [String], indexes: [Index] = [], computation: String? = nil, description: String = "", sql: String, file: String) {
        self.name = name
        self.grain = grain
        self.dependencies = dependencies
        self.indexes = indexes
        self.computation = computation
        self.description = description
        self.sql = sql
        self.file = file
    }

    /// How an incremental build refreshes a model.
    public enum Incremental: Sendable, Hashable {
        /// Rebuild from scratch (the default).
        case full
        /// Recompute only the rows whose `column` (e.g. experiment_id) new events touch.
        case partition(column: String)
        /// Recompute only the rows of the (experiment, unit) pairs new events touch: for models
        /// with one row per unit, whose rows depend on that unit's events alone.
        case unitPartition(experiment: String, unit: String)
        /// Append the rows whose `column` (e.g. event_id) is above the previous watermark.
        case append(column: String)
        /// Leave as is (filled by something else, e.g. the contract).
        case skip
    }

    static let headerKeys: Set<String> = ["grain", "depends_on", "index", "compute", "description", "incremental"]

    /// Parses a model file's text.
    ///
    /// - Throws: `.modelFile` naming the file, line and field when the header
    ///   is missing a required key, repeats one, or uses an unknown key.
    public static func parse(name: String, text: String, file: String) throws -> SemanticModel {
        var fields: [String: String] = [:]
        var indexes: [Index] = []
        var lastKey: String?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard trimmed.hasPrefix("--") else { break }  // the header ends at the first SQL line
            let body = trimmed.dropFirst(2)
            if let (key, value) = keyValue(body) {
                guard headerKeys.contains(key) else {
                    throw WarehouseError(
                        code: .modelFile,
                        message: "\(file):\(offset + 1): unknown header key '\(key)'. Use one of: \(headerKeys.sorted().joined(separator: ", "))."
                    )
                }
                if key == "index" {
                    if let range = value.range(of: " WHERE ") {
                        let condition = value[range.upperBound...].trimmingCharacters(in: .whitespaces)
                        guard !condition.isEmpty else {
                            throw WarehouseError(code: .modelFile, message: "\(file):\(offset + 1): '-- index: \(value)' has WHERE without a condition; write e.g. '-- index: experiment_id WHERE converted = 1'.")
                        }
                        indexes.append(Index(columns: list(String(value[..<range.lowerBound])), condition: condition))
                    } else {
                        indexes.append(Index(columns: list(value)))
                    }
                } else if fields[key] != nil {
                    throw WarehouseError(code: .modelFile, message: "\(file):\(offset + 1): header key '\(key)' appears twice; give it once.")
                } else {
                    fields[key] = value
                }
                lastKey = key
            } else if let key = lastKey, key == "description", body.hasPrefix("   ") {
                fields[key, default: ""] += " " + body.trimmingCharacters(in: .whitespaces)
            } else {
                lastKey = nil  // free prose between header keys
            }
        }
        guard let grain = fields["grain"].map(list), !grain.isEmpty else {
            throw WarehouseError(code: .modelFile, message: "\(file): missing '-- grain: col, …' header. Every model declares the columns that identify one row.")
        }
        guard let dependencies = fields["depends_on"].map(list) else {
            throw WarehouseError(code: .modelFile, message: "\(file): missing '-- depends_on: table, …' header. List every table or model the SELECT reads (leave it empty if none).")
        }
        var sql = text
        while let last = sql.last, last.isWhitespace || last == ";" { sql.removeLast() }
        var model = SemanticModel(
            name: name,
            grain: grain,
            dependencies: dependencies,
            indexes: indexes,
            computation: fields["compute"].flatMap { $0.isEmpty ? nil : $0 },
            description: fields["description"] ?? "",
            sql: sql,
            file: file
        )
        if let value = fields["incremental"] {
            let words = value.split(separator: " ").map(String.init)
            switch (words.first, words.count) {
            case ("partition", 2): model.incremental = .partition(column: words[1])
            case ("partition", 3): model.incremental = .unitPartition(experiment: words[1], unit: words[2])
            case ("append", 2): model.incremental = .append(column: words[1])
            case ("full", 1): model.incremental = .full
            case ("skip", 1): model.incremental = .skip
            default:
                throw WarehouseError(code: .modelFile, message: "\(file): '-- incremental: \(value)' is not understood; write 'partition experiment_id', 'partition experiment_id unit_id', 'append event_id', 'full' or 'skip'.")
            }
        }
        return model
    }

    private static func keyValue(_ body: Substring) -> (String, String)? {
        let text = body.drop(while: { $0 == " " })
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let key = text[..<colon]
        guard !key.isEmpty, key.allSatisfy({ $0.isLowercase || $0 == "_" }) else { return nil }
        return (String(key), text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    private static func list(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The identifiers the SQL mentions outside comments and string literals.
    var referencedIdentifiers: Set<String> {
        var identifiers: Set<String> = []
        var current = ""
        var iterator = Array(sql.unicodeScalars)[...]
        func flush() {
            if !current.isEmpty { identifiers.insert(current.lowercased()) }
            current = ""
        }
        while let scalar = iterator.popFirst() {
            switch scalar {
            case "-" where iterator.first == "-":
                flush()
                while let next = iterator.popFirst(), next != "\n" {}
            case "/" where iterator.first == "*":
                flush()
                iterator.removeFirst()
                while let next = iterator.popFirst() {
                    if next == "*" && iterator.first == "/" { iterator.removeFirst(); break }
                }
            case "'":
                flush()
                while let next = iterator.popFirst() {
                    if next == "'" {
                        if iterator.first == "'" { iterator.removeFirst() } else { break }
                    }
                }
            case _ where scalar.properties.isAlphabetic || scalar == "_" || ("0"..."9").contains(scalar):
                current.unicodeScalars.append(scalar)
            default:
                flush()
            }
        }
        flush()
        return identifiers
    }
}
