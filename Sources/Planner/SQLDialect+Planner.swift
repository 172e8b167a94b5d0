import SQLParser

/// The few expressions the planner writes differently per engine; everything else it writes is
/// SQL both SQLite and PostgreSQL read the same way.
extension SQLDialect {
    /// The values of a text column joined with ", " (an aggregate).
    func groupConcat(_ column: String) -> String {
        switch self {
        case .sqlite: "group_concat(\(column), ', ')"
        case .postgresql: "string_agg(\(column), ', ')"
        }
    }

    /// Days from one ISO timestamp (stored as text) to another, with the fraction of a day.
    func daysBetween(_ start: String, _ end: String) -> String {
        switch self {
        case .sqlite: "julianday(\(end)) - julianday(\(start))"
        case .postgresql: "extract(epoch FROM CAST(\(end) AS timestamp) - CAST(\(start) AS timestamp)) / 86400"
        }
    }

    /// The ISO day (text) `days` days before the ISO day an expression gives.
    func daysBefore(_ day: String, _ days: Int) -> String {
        switch self {
        case .sqlite: "date(\(day), '-\(days) days')"
        case .postgresql: "CAST(CAST(\(day) AS date) - \(days) AS text)"
        }
    }

    /// The scalar larger-of function: SQLite's two-argument `max`, PostgreSQL's `greatest`.
    var greatest: String {
        switch self {
        case .sqlite: "max"
        case .postgresql: "greatest"
        }
    }
}
