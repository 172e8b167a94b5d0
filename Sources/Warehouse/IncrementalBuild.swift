public import SQLParser
import Semantic
public import Foundation

/// What one incremental (or full) build did, as recorded in `readout_runs`.
public struct BuildRun: Sendable, Equatable {
    public var runID: Int64
    public var mode: String
    public var events: Int
    public var watermark: Int64
    public var experiments: [String]
    /// Whether the build dropped and recreated model tables (a full build, or a model refreshed
    /// `full`): on PostgreSQL their grants must be applied again; partitioned and appended
    /// models are refreshed in place and keep theirs.
    public var rebuiltTables: Bool
}

/// `readout build --incremental`: brings the models up to date with the events
/// tracked since the last build's watermark, without a full rebuild.
///
/// Affected (experiment, unit) pairs are the experiment each new event names with its unit; for
/// an event without an experiment, every experiment its unit is assigned to; and for a conversion
/// (any event but an exposure, which belongs to its own experiment) earlier than one of its unit's
/// assignments — pre-period data — that assignment's experiment.
/// Affected experiments are the pairs' experiments. Each model then refreshes as its
/// `-- incremental:` header says: `partition experiment_id unit_id` deletes and recomputes the
/// affected pairs' rows (models with a row per unit, so the work follows the new events, not the
/// experiment's size), `partition experiment_id` the affected experiments' rows (the per-arm
/// aggregates), `append event_id` adds the new events' rows, `full` rebuilds, `skip` leaves it.
/// All in one transaction, so readers (WAL) keep seeing the previous state until it commits.
public struct IncrementalBuild {
    let runner: ModelRunner

    let semantic: SemanticDirectory
    let computations: [any ModelComputation]

    public init(semantic: SemanticDirectory, computations: [any ModelComputation]) throws {
        self.semantic = semantic
        self.computations = computations
        self.runner = try ModelRunner(models: try semantic.models(), computations: computations)
    }

    /// The watermark of the last recorded build, or nil when none was recorded.
    public static func lastWatermark(_ connection: any WarehouseSession) throws -> Int64? {
        guard try connection.tableExists("readout_runs") else { return nil }
        return try connection.scalar("SELECT watermark FROM readout_runs ORDER BY run_id DESC LIMIT 1").int64
    }

    /// Records a full build's watermark (after `readout build` / `readout demo`).
    @discardableResult
    public static func recordFull(_ connection: any WritableWarehouseSession, started: Date = Date()) throws -> BuildRun {
        let watermark = try connection.scalar("SELECT coalesce(max(event_id), 0) FROM fct_events").int64 ?? 0
        let events = Int(try connection.scalar("SELECT count(*) FROM fct_events").int64 ?? 0)
        return try record(connection, mode: "full", started: started, events: events, watermark: watermark, experiments: [], rebuiltTables: true)
    }

    /// Runs an incremental build; without a previous watermark it falls back to a full one.
    public func run(on connection: any WritableWarehouseSession) throws -> BuildRun {
        // Each engine builds its own dialect's models.
        let runner = connection.dialect == .sqlite ? self.runner : try ModelRunner(models: try semantic.models(for: connection.dialect), computations: computations)
        let started = Date()
        guard let previous = try Self.lastWatermark(connection) else {
            try runner.run(on: connection)
            return try Self.recordFull(connection, started: started)
        }
        return try connection.transaction {
            let watermark = try connection.scalar("SELECT coalesce(max(event_id), 0) FROM fct_events").int64 ?? 0
            let events = Int(try connection.scalar("SELECT count(*) FROM fct_events WHERE event_id > ?", [DatabaseValue.integer(previous)]).int64 ?? 0)
            var affected: [String] = []
            if events > 0 {
                try connection.execute("CREATE TEMP TABLE IF NOT EXISTS readout_affected_units (experiment_id TEXT NOT NULL, unit_id TEXT NOT NULL, PRIMARY KEY (experiment_id, unit_id))")
                try connection.execute("DELETE FROM readout_affected_units")
                try connection.execute("""
                    INSERT INTO readout_affected_units (experiment_id, unit_id)
                    SELECT experiment_id, unit_id FROM fct_events WHERE event_id > ?1 AND experiment_id IS NOT NULL
                    UNION
                    SELECT a.experiment_id, a.unit_id FROM fct_events AS e JOIN fct_experiment_assignments AS a ON a.unit_id = e.unit_id
                    WHERE e.event_id > ?1 AND (e.experiment_id IS NULL OR (e.event_name <> 'exposure' AND e.occurred_at < a.assigned_at))
                    """, [DatabaseValue.integer(previous)])
                // Statistics for the planner: the refresh should start from these few pairs and look
                // the units up, not scan the models and probe the pairs.
                try connection.execute(connection.dialect == .sqlite ? "ANALYZE temp.readout_affected_units" : "ANALYZE readout_affected_units")
                try connection.execute("CREATE TEMP TABLE IF NOT EXISTS readout_affected (experiment_id TEXT PRIMARY KEY)")
                try connection.execute("DELETE FROM readout_affected")
                try connection.execute("INSERT INTO readout_affected (experiment_id) SELECT DISTINCT experiment_id FROM readout_affected_units")
                affected = try connection.rows("SELECT experiment_id FROM readout_affected ORDER BY 1").compactMap { $0[0].string }
                for model in runner.graph.ordered {
                    try refresh(model, runner: runner, on: connection, after: previous)
                }
            }
            let rebuilt = events > 0 && runner.graph.ordered.contains { if case .full = $0.incremental { true } else { false } }
            return try Self.record(connection, mode: "incremental", started: started, events: events, watermark: max(watermark, previous), experiments: affected,
                                   rebuiltTables: rebuilt)
        }
    }

    private func refresh(_ model: SemanticModel, runner: ModelRunner, on connection: any WritableWarehouseSession, after watermark: Int64) throws {
        let table = SQL.identifier(model.name)
        do {
            switch model.incremental {
            case .skip:
                return
            case .full:
                try runner.materialise(model, on: connection)
            case .append(let column):
                try insert(model, runner: runner, into: table, filter: "\(SQL.identifier(column)) > \(watermark)", on: connection)
            case .partition(let column):
                let filter = "\(SQL.identifier(column)) IN (SELECT experiment_id FROM readout_affected)"
                try connection.execute("DELETE FROM \(table) WHERE \(filter)")
                try insert(model, runner: runner, into: table, filter: filter, narrowed: true, on: connection)
            case .unitPartition(let experiment, let unit):
                let filter = "(\(SQL.identifier(experiment)), \(SQL.identifier(unit))) IN (SELECT experiment_id, unit_id FROM readout_affected_units)"
                try connection.execute("DELETE FROM \(table) WHERE \(filter)")
                try insert(model, runner: runner, into: table, filter: filter, narrowed: true, on: connection)
            }
        } catch let error as WarehouseError {
            var wrapped = error
            wrapped.message = "Incremental refresh of \(model.name) (\(model.file)) failed: \(error.message)"
            throw wrapped
        }
    }

    private func insert(_ model: SemanticModel, runner: ModelRunner, into table: String, filter: String, narrowed: Bool = false,
                        on connection: any WritableWarehouseSession) throws {
        // The model's own SQL, narrowed at its markers to the affected experiments; the outer
        // filter stays (a model without markers is still correct, only slower).
        let body = narrowed ? Self.narrowedToAffected(model.sql) : model.sql
        let select = "SELECT * FROM (\(body)) AS model WHERE \(filter)"
        if let name = model.computation, let computation = runner.computations[name] {
            try runner.insertComputed(computation, from: select, into: table, on: connection)
        } else {
            try connection.execute("INSERT INTO \(table) \(select)")
        }
    }

    /// A marker `/* readout:affected WHERE c.experiment_id */` (or `AND …`) becomes
    /// `WHERE c.experiment_id IN (SELECT experiment_id FROM readout_affected)`, and one naming two
    /// columns, `/* readout:affected WHERE c.experiment_id c.unit_id */`, becomes `WHERE
    /// (c.experiment_id, c.unit_id) IN (SELECT experiment_id, unit_id FROM readout_affected_units)`;
    /// in a full build the marker is a comment. Only a keyword and (qualified) column names are
    /// accepted in a marker.
    static func narrowedToAffected(_ sql: String) -> String {
        let opening = "/* readout:affected ", closing = " */"
        var result = ""
        var rest = Substring(sql)
        func isColumn(_ word: Substring) -> Bool {
            !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }
        }
        while let marker = rest.range(of: opening), let end = rest[marker.upperBound...].range(of: closing) {
            let words = rest[marker.upperBound..<end.lowerBound].split(separator: " ")
            result += rest[..<marker.lowerBound]
            if words.count == 2, words[0] == "WHERE" || words[0] == "AND", isColumn(words[1]) {
                result += "\(words[0]) \(words[1]) IN (SELECT experiment_id FROM readout_affected)"
            } else if words.count == 3, words[0] == "WHERE" || words[0] == "AND", isColumn(words[1]), isColumn(words[2]) {
                result += "\(words[0]) (\(words[1]), \(words[2])) IN (SELECT experiment_id, unit_id FROM readout_affected_units)"
            } else {
                result += rest[marker.lowerBound..<end.upperBound]  // not a marker Readout writes: left as a comment
            }
            rest = rest[end.upperBound...]
        }
        return result + rest
    }

    private static func record(_ connection: any WritableWarehouseSession, mode: String, started: Date, events: Int, watermark: Int64, experiments: [String],
                               rebuiltTables: Bool) throws -> BuildRun {
        guard try connection.tableExists("readout_runs") else {
            return BuildRun(runID: 0, mode: mode, events: events, watermark: watermark, experiments: experiments, rebuiltTables: rebuiltTables)
        }
        let run = try connection.scalar(
            "INSERT INTO readout_runs (mode, started_at, finished_at, events, watermark, experiments) VALUES (?, ?, ?, ?, ?, ?) RETURNING run_id",
            [mode, Timestamp.format(Int64(started.timeIntervalSince1970)), Timestamp.format(Int64(Date().timeIntervalSince1970)),
             events, DatabaseValue.integer(watermark), experiments.joined(separator: ",")]
        ).int64 ?? 0
        try snapshot(connection, run: run, experiments: mode == "full" ? nil : experiments)
        return BuildRun(runID: run, mode: mode, events: events, watermark: watermark, experiments: experiments, rebuiltTables: rebuiltTables)
    }

    /// One point of lift over time per treatment arm: the primary metric's decision test as this
    /// build left it, for every experiment (`nil`) or the ones it recomputed.
    private static func snapshot(_ connection: any WritableWarehouseSession, run: Int64, experiments: [String]?) throws {
        guard experiments?.isEmpty != true, try connection.tableExists("results_history"), try connection.tableExists("fct_experiment_results") else { return }
        var sql = """
            INSERT INTO results_history (run_id, experiment_id, analysis_mode, variation_id, n_users, relative_lift, rel_ci_low, rel_ci_high, p_value)
            SELECT ?, r.experiment_id, r.analysis_mode, r.variation_id, r.n_users, r.uplift_rel, r.rel_ci_low, r.rel_ci_high, r.adjusted_p_value
            FROM fct_experiment_results AS r JOIN experiments AS e ON e.experiment_id = r.experiment_id AND e.primary_metric_id = r.metric_id
            WHERE r.is_control = 0
            """
        var arguments: [any DatabaseValueConvertible] = [DatabaseValue.integer(run)]
        if let experiments {
            sql += " AND r.experiment_id IN (\(experiments.map { _ in "?" }.joined(separator: ", ")))"
            arguments += experiments.map { $0 as any DatabaseValueConvertible }
        }
        sql += """

            ON CONFLICT (experiment_id, analysis_mode, variation_id, run_id) DO UPDATE SET
                n_users = excluded.n_users, relative_lift = excluded.relative_lift, rel_ci_low = excluded.rel_ci_low,
                rel_ci_high = excluded.rel_ci_high, p_value = excluded.p_value
            """
        try connection.execute(sql, arguments)
    }
}
