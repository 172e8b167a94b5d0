public import SQLParser
import Foundation

/// What happened to one model in a build.
public struct ModelRunReport: Sendable, Hashable {
    public var model: String
    public var rows: Int
    public var seconds: Double
}

/// Materialises models into tables, in dependency order, in one transaction.
///
/// Each model is rebuilt from scratch (`DROP` then `CREATE TABLE … AS`, or
/// the computation's rows for computed models) and then indexed. Because the
/// whole build is one transaction, a failing model leaves every table as it
/// was before the build: readers never see half a build.
public struct ModelRunner: Sendable {
    public let graph: ModelGraph
    let computations: [String: any ModelComputation]

    public init(models: [SemanticModel], computations: [any ModelComputation]) throws {
        self.graph = try ModelGraph(models: models)
        self.computations = Dictionary(computations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for model in graph.ordered {
            if let name = model.computation, self.computations[name] == nil {
                throw WarehouseError(
                    code: .modelFile,
                    message: "\(model.file): '-- compute: \(name)' names no known computation. Known: \(self.computations.keys.sorted().joined(separator: ", "))."
                )
            }
        }
    }

    /// Builds every model. `progress` is called after each one.
    ///
    /// - Throws: `.modelGraph` when a source table a model reads is missing,
    ///   or the SQLite error of the failing model (with the model's file).
    @discardableResult
    public func run(on connection: any WritableWarehouseSession, progress: (ModelRunReport) -> Void = { _ in }) throws -> [ModelRunReport] {
        for source in graph.sourceDependencies.sorted() where try !connection.tableExists(source) {
            throw WarehouseError(
                code: .modelGraph,
                message: "A model reads the table \(source), which does not exist in \(connection.location). Run migrations first (readout build does), or fix '-- depends_on:'."
            )
        }
        return try connection.transaction {
            var reports: [ModelRunReport] = []
            for model in graph.ordered {
                let started = Date()
                let rows: Int
                do {
                    rows = try materialise(model, on: connection)
                } catch let error as WarehouseError {
                    var wrapped = error
                    wrapped.message = "Model \(model.name) (\(model.file)) failed: \(error.message)"
                    throw wrapped
                }
                let report = ModelRunReport(model: model.name, rows: rows, seconds: Date().timeIntervalSince(started))
                reports.append(report)
                progress(report)
            }
            return reports
        }
    }

    @discardableResult
    func materialise(_ model: SemanticModel, on connection: any WritableWarehouseSession) throws -> Int {
        let table = SQL.identifier(model.name)
        try connection.execute("DROP TABLE IF EXISTS \(table)")
        if let name = model.computation, let computation = computations[name] {
            let columns = computation.outputColumns
            try connection.execute("CREATE TABLE \(table) (\(columns.map { "\(SQL.identifier($0.name)) \(connection.dialect.columnType($0.type))" }.joined(separator: ", ")))")
            try insertComputed(computation, from: model.sql, into: table, on: connection)
        } else {
            try connection.execute("CREATE TABLE \(table) AS \(model.sql)")
        }
        for index in model.indexes {
            let indexName = SQL.identifier("\(model.name)__\(index.columns.joined(separator: "_"))\(index.condition == nil ? "" : "__partial")")
            let condition = index.condition.map { " WHERE \($0)" } ?? ""
            try connection.execute("CREATE INDEX \(indexName) ON \(table) (\(index.columns.map(SQL.identifier).joined(separator: ", ")))\(condition)")
        }
        return Int(try connection.scalar("SELECT count(*) FROM \(table)").int64 ?? 0)
    }
}

extension ModelRunner {
    /// Runs `select`, hands all its rows to the computation, and inserts what it returns.
    func insertComputed(_ computation: any ModelComputation, from select: String, into table: String, on connection: any WritableWarehouseSession) throws {
        let rows = try connection.rows(select)
        try connection.insertRows(into: table, columnCount: computation.outputColumns.count, try computation.compute(rows))
    }
}

/// Small helpers for SQL text Readout writes itself (never for user input); the same on SQLite and PostgreSQL.
public enum SQL {
    /// A double-quoted identifier, with embedded quotes doubled.
    public static func identifier(_ name: String) -> String {
        Quoting.wrapped(name, in: "\"")
    }

    /// A single-quoted string literal, with embedded quotes doubled.
    public static func literal(_ text: String) -> String {
        Quoting.wrapped(text, in: "'")
    }
}
