import Foundation

/// Readouts of an aggregate across experiments ("average lift by owner"): the figure first, then over
/// how many comparisons or experiments it was taken, per group when grouped.
enum AggregateReadout {
    static func write(_ rows: Rows, entities: [String: String]) -> String? {
        guard let column = entities["aggregate"] else { return nil }
        let of = (entities["aggregate_of"] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "."))
        func format(_ value: Double) -> String {
            switch column {
            case "uplift_rel": ReadoutFormat.signedPercent(value)
            case "rel_p_value": ReadoutFormat.p(value)
            case "chance_to_beat_control", "achieved_power": ReadoutFormat.percent(value, digits: 1)
            case "required_users_per_arm", "n_users": ReadoutFormat.count(Int(value.rounded()))
            default: (value >= 0 ? "+" : "") + ReadoutFormat.number(value)
            }
        }
        let counted = rows.columns.contains("comparisons") ? "comparisons" : "experiments"
        if let average = rows.columns.first(where: { $0.hasPrefix("avg_") }) {
            if rows.columns.first == average {
                guard let value = rows.double(0, average) else { return "\(of): no comparison has a value." }
                return "\(of): \(format(value)), over \(rows.text(0, counted)) \(counted)."
            }
            let group = rows.columns[0]
            let parts = (0..<rows.count).map { row in
                "\(rows.string(row, group) ?? "none") \(rows.double(row, average).map(format) ?? "no value") (\(rows.text(row, counted)))"
            }
            return "\(of): \(ReadoutFormat.list(parts))."
        }
        let keys = rows.columns.filter { ["owner", "status"].contains($0) }
        let parts = (0..<rows.count).map { row -> String in
            let arm = rows.string(row, "variation_id").map { " \($0)" } ?? ""
            let label = (keys.map { rows.text(row, $0) } + ["\(rows.text(row, "experiment_id"))\(arm)"]).joined(separator: " / ")
            return "\(label) \(rows.double(row, column).map(format) ?? "no value")"
        }
        return "\(of): \(ReadoutFormat.list(parts))."
    }
}
