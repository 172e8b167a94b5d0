import Foundation

/// An error in an aggregated-results CSV: the row (1-based, the header is row 1),
/// the column and the rule it broke.
public struct ResultsCSVError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var row: Int?
    public var column: String?
    public var message: String

    public var description: String {
        var place = file
        if let row { place += ": row \(row)" }
        if let column { place += ", column '\(column)'" }
        return "\(place): \(message)"
    }
}

/// Reads the common aggregated export:
///
///     variant,users,conversions[,guardrail_<name>...][,<metric>_sum,<metric>_sum_sq...]
///
/// one row per arm, the first row `control`. `conversions` becomes the binary
/// primary metric `conversion`; `guardrail_<name>` counts become binary
/// guardrails `<name>` (lower is better); each `<name>_sum`/`<name>_sum_sq`
/// pair becomes the continuous metric `<name>` (higher is better).
public enum ResultsCSV {
    public static func parse(_ text: String, file: String = "input.csv") throws(ResultsCSVError) -> ExperimentInput {
        func fail(_ row: Int?, _ column: String?, _ message: String) -> ResultsCSVError {
            ResultsCSVError(file: file, row: row, column: column, message: message)
        }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
            .enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let headerLine = lines.first else { throw fail(nil, nil, "the file is empty; expected a header 'variant,users,conversions'") }
        let header = split(headerLine.element).map { $0.lowercased() }
        for required in ["variant", "users", "conversions"] where !header.contains(required) {
            throw fail(1, required, "missing required column; the header must include variant,users,conversions (got \(header.joined(separator: ",")))")
        }
        var seen: Set<String> = []
        for name in header where !seen.insert(name).inserted { throw fail(1, name, "column appears twice") }
        var guardrails: [String] = []
        var continuous: [String] = []
        for name in header where !["variant", "users", "conversions"].contains(name) {
            if name.hasPrefix("guardrail_"), name.count > "guardrail_".count {
                guardrails.append(String(name.dropFirst("guardrail_".count)))
            } else if name.hasSuffix("_sum_sq") {
                let base = String(name.dropLast("_sum_sq".count))
                if !header.contains(base + "_sum") { throw fail(1, name, "has no matching '\(base)_sum' column") }
            } else if name.hasSuffix("_sum") {
                let base = String(name.dropLast("_sum".count))
                guard header.contains(base + "_sum_sq") else { throw fail(1, name, "has no matching '\(base)_sum_sq' column (continuous metrics need both)") }
                continuous.append(base)
            } else {
                throw fail(1, name, "unknown column; use guardrail_<name> for guardrail counts or <name>_sum and <name>_sum_sq for continuous metrics")
            }
        }
        guard lines.count >= 3 else { throw fail(nil, nil, "need at least two arms (a control row and a treatment row); found \(lines.count - 1)") }

        var arms: [ExperimentInput.Arm] = []
        var conversions: [ExperimentInput.Value] = []
        var guardrailValues = Array(repeating: [ExperimentInput.Value](), count: guardrails.count)
        var continuousValues = Array(repeating: [ExperimentInput.Value](), count: continuous.count)
        var variants: Set<String> = []
        for (lineIndex, line) in lines.dropFirst() {
            let row = lineIndex + 1
            let fields = split(line)
            guard fields.count == header.count else { throw fail(row, nil, "has \(fields.count) fields, the header has \(header.count)") }
            let record = Dictionary(uniqueKeysWithValues: zip(header, fields))
            let variant = record["variant", default: ""]
            if variant.isEmpty { throw fail(row, "variant", "is empty") }
            if !variants.insert(variant).inserted { throw fail(row, "variant", "duplicate variant label '\(variant)'") }
            if arms.isEmpty && variant != "control" { throw fail(row, "variant", "the first arm must be 'control' (got '\(variant)')") }
            let users = try count(record["users", default: ""], row: row, column: "users", fail: fail)
            if users == 0 { throw fail(row, "users", "must be greater than 0") }
            func bounded(_ column: String) throws(ResultsCSVError) -> ExperimentInput.Value {
                let value = try count(record[column, default: ""], row: row, column: column, fail: fail)
                if value > users { throw fail(row, column, "\(value) exceeds users (\(users))") }
                return .init(units: users, sum: Double(value))
            }
            arms.append(.init(variant: variant, users: users))
            conversions.append(try bounded("conversions"))
            for (index, name) in guardrails.enumerated() { guardrailValues[index].append(try bounded("guardrail_" + name)) }
            for (index, name) in continuous.enumerated() {
                let sum = try number(record[name + "_sum", default: ""], row: row, column: name + "_sum", fail: fail)
                let squares = try number(record[name + "_sum_sq", default: ""], row: row, column: name + "_sum_sq", fail: fail)
                if squares < 0 { throw fail(row, name + "_sum_sq", "a sum of squares cannot be negative") }
                if squares + 1e-9 * squares < sum * sum / Double(users) { throw fail(row, name + "_sum_sq", "is smaller than \(name)_sum² / users, which no data can produce") }
                continuousValues[index].append(.init(units: users, sum: sum, sumOfSquares: squares))
            }
        }
        var metrics = [ExperimentInput.Metric(id: "conversion", kind: .binary, role: .primary, higherIsBetter: true, values: conversions)]
        for (index, name) in continuous.enumerated() {
            metrics.append(.init(id: name, kind: .continuous, role: .secondary, higherIsBetter: true, values: continuousValues[index]))
        }
        for (index, name) in guardrails.enumerated() {
            metrics.append(.init(id: name, kind: .binary, role: .guardrail, higherIsBetter: false, values: guardrailValues[index]))
        }
        return ExperimentInput(name: URL(fileURLWithPath: file).lastPathComponent, arms: arms, metrics: metrics)
    }

    private static func count(_ text: String, row: Int, column: String, fail: (Int?, String?, String) -> ResultsCSVError) throws(ResultsCSVError) -> Int {
        guard let value = Int(text) else { throw fail(row, column, "must be a whole number (got '\(text)')") }
        guard value >= 0 else { throw fail(row, column, "cannot be negative (got \(value))") }
        return value
    }

    private static func number(_ text: String, row: Int, column: String, fail: (Int?, String?, String) -> ResultsCSVError) throws(ResultsCSVError) -> Double {
        guard let value = Double(text), value.isFinite else { throw fail(row, column, "must be a number (got '\(text)')") }
        return value
    }

    /// Splits one CSV line; double-quoted fields may contain commas and "" escapes.
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var previousWasClosingQuote = false
        for character in line {
            if quoted {
                if character == "\"" { quoted = false; previousWasClosingQuote = true } else { current.append(character) }
                continue
            }
            switch character {
            case "\"":
                // A quote right after a closing quote is an escaped quote inside the field.
                if previousWasClosingQuote { current.append("\"") }
                quoted = true
            case ",":
                fields.append(current)
                current = ""
            default:
                current.append(character)
            }
            previousWasClosingQuote = false
        }
        fields.append(current)
        return fields.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
