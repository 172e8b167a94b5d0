public import SQLParser

/// Engine-independent code writes SQL that runs on both dialects; where they must differ
/// (migrations, a few models, column types of computed tables), the semantic folder holds
/// one file per dialect.
extension SQLDialect {
    /// The subfolder of `migrations/` and `models/` holding this dialect's own files
    /// (nil: the shared files are SQLite's).
    public var folder: String? {
        switch self {
        case .sqlite: nil
        case .postgresql: "postgresql"
        }
    }

    /// The column type to declare for a computed model's column declared in SQLite's
    /// terms (`TEXT`, `INTEGER`, `REAL`): PostgreSQL's `REAL` is single precision, so
    /// doubles are declared `DOUBLE PRECISION` and integers `BIGINT`.
    public func columnType(_ sqliteType: String) -> String {
        guard self == .postgresql else { return sqliteType }
        switch sqliteType.uppercased() {
        case "INTEGER", "INT": return "BIGINT"
        case "REAL", "DOUBLE", "FLOAT": return "DOUBLE PRECISION"
        default: return sqliteType
        }
    }
}
