/// The SQL a warehouse engine speaks. The parser reads each dialect's own syntax; the
/// guard checks both the same way (tables, columns, row policies) with each dialect's
/// own function allowlist and schema rules.
public enum SQLDialect: String, Sendable, Hashable, CaseIterable {
    case sqlite
    case postgresql

    /// The schema unqualified names resolve in, and the only one a query may name.
    public var defaultSchema: String {
        switch self {
        case .sqlite: "main"
        case .postgresql: "public"
        }
    }

    /// How people call it in messages.
    public var displayName: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgresql: "PostgreSQL"
        }
    }
}
