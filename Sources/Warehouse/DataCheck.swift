public import SQLParser
/// One dbt-style data check on one table.
///
/// Each check is a query for the rows that break it; the check passes when
/// that query returns nothing.
public struct DataCheck: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// No two rows share these columns (rows with a NULL among them are ignored, as in dbt).
        case unique(columns: [String])
        case notNull(column: String)
        /// Every non-NULL value is one of these (numbers compare as numbers).
        case acceptedValues(column: String, values: [CheckValue])
        /// Every row's `columns` (all non-NULL) match a row of `table` on `fields`.
        case relationships(columns: [String], table: String, fields: [String])
        /// Text in the warehouse's canonical `YYYY-MM-DD HH:MM:SS` form.
        case canonicalTimestamp(column: String)
        /// Every row satisfies this SQL predicate (dbt_utils' expression_is_true).
        case expressionIsTrue(String)
        /// On an exposure-validation table: `validation_status` agrees with the
        /// timestamps — 'valid' rows were first exposed at or after assignment and
        /// inside the experiment's run; rows exposed before assignment are
        /// 'pre_assignment'; 'no_exposure' rows have no exposure time.
        case exposureTiming
    }

    public var table: String
    public var kind: Kind
    /// Where it was declared, e.g. `semantic/models/_checks.yml:12`.
    public var origin: String

    public init(table: String, kind: Kind, origin: String) {
        self.table = table
        self.kind = kind
        self.origin = origin
    }

    /// A readable name such as `unique(experiments.experiment_id)`.
    public var name: String {
        switch kind {
        case .unique(let columns): return "unique(\(table).\(columns.joined(separator: "+")))"
        case .notNull(let column): return "not_null(\(table).\(column))"
        case .acceptedValues(let column, _): return "accepted_values(\(table).\(column))"
        case .relationships(let columns, let parent, let fields):
            return "relationships(\(table).\(columns.joined(separator: "+")) → \(parent).\(fields.joined(separator: "+")))"
        case .canonicalTimestamp(let column): return "canonical_timestamp(\(table).\(column))"
        case .expressionIsTrue(let expression): return "expression_is_true(\(table): \(expression))"
        case .exposureTiming: return "exposure_timing(\(table))"
        }
    }

    /// The query for the rows that break the check.
    public var failingRowsSQL: String { failingRowsSQL(for: .sqlite) }

    /// The query returning the rows that break the check, in `dialect`.
    public func failingRowsSQL(for dialect: SQLDialect) -> String {
        let t = SQL.identifier(table)
        switch kind {
        case .unique(let columns):
            let list = columns.map(SQL.identifier).joined(separator: ", ")
            let notNull = columns.map { "\(SQL.identifier($0)) IS NOT NULL" }.joined(separator: " AND ")
            return "SELECT \(list), count(*) AS occurrences FROM \(t) WHERE \(notNull) GROUP BY \(list) HAVING count(*) > 1"
        case .notNull(let column):
            return "SELECT * FROM \(t) WHERE \(SQL.identifier(column)) IS NULL"
        case .acceptedValues(let column, let values):
            let c = SQL.identifier(column)
            return "SELECT \(c), count(*) AS occurrences FROM \(t) WHERE \(c) IS NOT NULL AND \(c) NOT IN (\(values.map(\.sqlLiteral).joined(separator: ", "))) GROUP BY \(c)"
        case .relationships(let columns, let parent, let fields):
            let notNull = columns.map { "child.\(SQL.identifier($0)) IS NOT NULL" }.joined(separator: " AND ")
            let match = zip(columns, fields).map { "parent.\(SQL.identifier($1)) = child.\(SQL.identifier($0))" }.joined(separator: " AND ")
            return "SELECT child.* FROM \(t) AS child WHERE \(notNull) AND NOT EXISTS (SELECT 1 FROM \(SQL.identifier(parent)) AS parent WHERE \(match))"
        case .canonicalTimestamp(let column):
            let c = SQL.identifier(column)
            if dialect == .postgresql {
                return "SELECT * FROM \(t) WHERE \(c) IS NOT NULL AND \(c) !~ '^[0-9]{4}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]$'"
            }
            return "SELECT * FROM \(t) WHERE \(c) IS NOT NULL AND (typeof(\(c)) <> 'text' OR datetime(\(c)) IS NOT \(c))"
        case .expressionIsTrue(let expression):
            return "SELECT * FROM \(t) WHERE NOT coalesce((\(expression)), \(dialect == .postgresql ? "false" : "0"))"
        case .exposureTiming:
            return """
                SELECT v.experiment_id, v.unit_id, v.assigned_at, v.first_exposure_at, v.validation_status, e.started_at, e.ended_at
                FROM \(t) AS v JOIN experiments AS e ON e.experiment_id = v.experiment_id
                WHERE (v.validation_status = 'valid' AND (v.first_exposure_at IS NULL
                        OR v.first_exposure_at < v.assigned_at
                        OR e.started_at IS NULL OR v.first_exposure_at < e.started_at
                        OR (e.ended_at IS NOT NULL AND v.first_exposure_at > e.ended_at)))
                   OR (v.validation_status = 'no_exposure' AND v.first_exposure_at IS NOT NULL)
                   OR (v.validation_status <> 'no_exposure' AND v.first_exposure_at IS NULL)
                   OR (v.first_exposure_at < v.assigned_at AND v.validation_status <> 'pre_assignment')
                """
        }
    }
}

/// A value in an `accepted_values` list: text, or a number when written unquoted.
public enum CheckValue: Sendable, Hashable {
    case text(String)
    case number(String)

    var sqlLiteral: String {
        switch self {
        case .text(let text): return SQL.literal(text)
        case .number(let digits): return digits
        }
    }
}

/// The outcome of one check.
public struct DataCheckResult: Sendable, Hashable {
    public enum Status: String, Sendable {
        case pass, fail, error
    }

    public var check: DataCheck
    public var status: Status
    /// How many failing rows (or duplicate keys / bad values, for grouped checks) there are.
    public var failures: Int
    /// Up to five failing rows.
    public var sample: [Row]
    /// The SQLite error when the check could not run.
    public var error: String?
}

/// Runs data checks against a warehouse connection.
public struct DataCheckRunner: Sendable {
    public var sampleSize: Int

    public init(sampleSize: Int = 5) {
        self.sampleSize = sampleSize
    }

    public func run(_ checks: [DataCheck], on connection: any WarehouseSession) -> [DataCheckResult] {
        checks.map { run($0, on: connection) }
    }

    public func run(_ check: DataCheck, on connection: any WarehouseSession) -> DataCheckResult {
        let failing = check.failingRowsSQL(for: connection.dialect)
        do {
            let failures = Int(try connection.scalar("SELECT count(*) FROM (\(failing)) AS failing").int64 ?? 0)
            let sample = failures == 0 ? [] : try connection.rows("\(failing) LIMIT \(sampleSize)")
            return DataCheckResult(check: check, status: failures == 0 ? .pass : .fail, failures: failures, sample: sample, error: nil)
        } catch {
            return DataCheckResult(check: check, status: .error, failures: 0, sample: [], error: String(describing: error))
        }
    }
}
