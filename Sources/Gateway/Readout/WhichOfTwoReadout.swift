import Foundation

/// "Which has more users, A or B?": the one that answers, its figure, and what it was compared with.
enum WhichOfTwoReadout {
    static func write(_ rows: Rows, entities: [String: String]) -> String? {
        guard let compared = entities["which_of"], let column = rows.columns.last, !rows.isEmpty else { return nil }
        let word = entities["which_word"] ?? "higher"
        func value(_ row: Int) -> String {
            switch column {
            case "n_users": rows.int(row, column).map { "\(ReadoutFormat.count($0)) users" } ?? "n/a"
            case "uplift_rel": rows.double(row, column).map { "a relative lift of \(ReadoutFormat.signedPercent($0))" } ?? "n/a"
            case "uplift_abs": rows.double(row, column).map { "an absolute lift of \(ReadoutFormat.number($0))" } ?? "n/a"
            case "rel_p_value": rows.double(row, column).map(ReadoutFormat.p) ?? "n/a"
            case "conversion_rate": rows.double(row, column).map { "a conversion rate of \(ReadoutFormat.percent($0))" } ?? "n/a"
            default: rows.double(row, column).map { "\(column.replacingOccurrences(of: "_", with: " ")) \(ReadoutFormat.number($0))" } ?? "n/a"
            }
        }
        func label(_ row: Int) -> String { rows.text(row, "experiment_id") + (rows.string(row, "variation_id").map { " (\($0))" } ?? "") }
        let names = compared.split(separator: ",").map(String.init)
        let others = (1..<rows.count).map { "\(label($0)) \(value($0))" }
        return "\(label(0)) — \(value(0)), the \(word) of \(ReadoutFormat.list(names))" + (others.isEmpty ? "." : "; then \(ReadoutFormat.list(others)).")
    }
}
