public import Analysis
import Foundation
public import Governance
public import Semantic
public import Warehouse

/// What the gateway needs beyond questions and SQL for the faces that run the service:
/// the read-write warehouse session (API keys, tracked events, the experiment workflow),
/// a read-only one for analyses, and the statistics engine's settings. The gateway opens
/// them; no face does. Either engine: SQLite's ``Connection`` or a PostgreSQL session.
public final class Workflow {
    let writer: any WritableWarehouseSession
    let reader: any WarehouseSession
    /// Tracking, on a session of its own, group-committed.
    let tracking: TrackingQueue
    let keys: APIKeyStore
    let analysis: AnalysisConfiguration
    /// Opens one more session on the same warehouse, for a health probe that must not wait
    /// behind the service (each call returns a new session).
    public let openProbe: @Sendable () throws -> any WarehouseSession

    /// - Parameters:
    ///   - writer: the migrated warehouse, read-write; the workflow's writes (keys, experiments, alerts) go here.
    ///   - tracker: the same warehouse, read-write, for tracked events only (its own thread).
    ///   - reader: the same warehouse, for analyses (on SQLite a read-only connection).
    ///   - openProbe: opens a further session on the same warehouse.
    public init(writer: any WritableWarehouseSession, tracker: any WritableWarehouseSession, reader: any WarehouseSession,
                analysis: AnalysisConfiguration = AnalysisConfiguration(), openProbe: @escaping @Sendable () throws -> any WarehouseSession) throws {
        self.writer = writer
        self.reader = reader
        tracking = try TrackingQueue(session: tracker)
        keys = APIKeyStore(connection: writer)
        self.analysis = analysis
        self.openProbe = openProbe
    }

    /// A SQLite warehouse file.
    /// - Parameter warehousePath: an existing, migrated warehouse file.
    public convenience init(warehousePath: String, analysis: AnalysisConfiguration = AnalysisConfiguration()) throws {
        try self.init(writer: try Connection(path: warehousePath), tracker: try Connection(path: warehousePath),
                      reader: try Connection(path: warehousePath, mode: .readOnly), analysis: analysis) {
            try Connection(path: warehousePath, mode: .readOnly)
        }
    }

    deinit {
        tracking.close()
    }
}

/// Why the gateway refused a workflow request; faces map `kind` to their own terms (HTTP status).
public struct GatewayError: Error, Sendable {
    public enum Kind: Sendable, Equatable {
        case invalid, notFound, conflict
        /// The audit log (or another store) cannot be written or read: fail closed.
        case unavailable
    }

    public var kind: Kind
    /// A machine-readable code (`not_found`, `audit_unavailable`, …).
    public var code: String
    public var message: String
    public var field: String?
    public var allowed: [String]

    public init(_ kind: Kind, code: String, _ message: String, field: String? = nil, allowed: [String] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
        self.allowed = allowed
    }

    static func from(_ problem: WorkflowProblem) -> GatewayError {
        switch problem.kind {
        case .notFound: GatewayError(.notFound, code: "not_found", problem.message)
        case .conflict: GatewayError(.conflict, code: "conflict", problem.message, field: problem.field, allowed: problem.allowed)
        case .invalid: GatewayError(.invalid, code: "invalid_request", problem.message, field: problem.field, allowed: problem.allowed)
        }
    }

    static let noWorkflow = GatewayError(.unavailable, code: "unavailable", "This gateway has no warehouse connection for the workflow; start it with a warehouse.")
}

extension ReadoutGateway {
    func requireWorkflow() throws(GatewayError) -> Workflow {
        guard let workflow else { throw GatewayError.noWorkflow }
        return workflow
    }

    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let problem as WorkflowProblem {
            throw GatewayError.from(problem)
        }
    }

    // MARK: Keys and audit

    /// The key a bearer token names, nil when unknown or revoked.
    /// - Throws: ``GatewayError`` `unavailable` when the key store cannot be read (never a misleading "unknown key").
    public func authenticate(_ token: String) throws(GatewayError) -> APIKey? {
        let workflow = try requireWorkflow()
        do {
            return try workflow.keys.authenticate(token)
        } catch {
            throw GatewayError(.unavailable, code: "key_store_unavailable", "The API key store could not be read; try again shortly.")
        }
    }

    /// The key with this id while it is active, nil once revoked.
    public func activeKey(_ keyID: String) throws(GatewayError) -> APIKey? {
        let workflow = try requireWorkflow()
        do {
            return try workflow.keys.active(keyID: keyID)
        } catch {
            throw GatewayError(.unavailable, code: "key_store_unavailable", "The API key store could not be read; try again shortly.")
        }
    }

    public func auditEntries(_ filter: AuditFilter) throws -> [AuditEntry] {
        guard let audit = query.audit else { throw GatewayError.noWorkflow }
        return try audit.entries(filter)
    }

    /// Opens a session of its own on the workflow's warehouse (the health probe), when there is a workflow.
    public var openProbe: (@Sendable () throws -> any WarehouseSession)? { workflow?.openProbe }

    /// The audit log (thread-safe: appends are group-committed, the walk reads on its own connection).
    public var auditLog: AuditLog? { query.audit }

    // MARK: Experiments

    /// Experiment ids the caller's role may see: asked through the guard, so row policies apply.
    func visibleExperiments(_ caller: Caller) -> Set<String>? {
        if caller.role == .admin { return nil }
        let answer = runSQL("SELECT experiment_id FROM experiments", caller: caller, audited: false)
        return Set(answer.rows.compactMap { $0.first?.string })
    }

    public func experiments(status: String?, caller: Caller) throws -> [ExperimentRecord] {
        let workflow = try requireWorkflow()
        if let status, ExperimentLifecycle.transitions[status] == nil {
            throw GatewayError(.invalid, code: "invalid_request", "status: one of \(ExperimentLifecycle.transitions.keys.sorted().joined(separator: ", ")).", field: "status")
        }
        return try ExperimentRegistry(connection: workflow.writer).list(status: status, ids: visibleExperiments(caller))
    }

    public func experiment(_ id: String, caller: Caller) throws -> ExperimentRecord {
        let workflow = try requireWorkflow()
        guard visibleExperiments(caller)?.contains(id) ?? true, let record = try ExperimentRegistry(connection: workflow.writer).get(id) else {
            throw GatewayError(.notFound, code: "not_found", "No experiment \(id) (or not one your role may see).")
        }
        return record
    }

    public func createExperiment(_ intake: ExperimentIntake) throws -> ExperimentRecord {
        let workflow = try requireWorkflow()
        return try mapped { try ExperimentRegistry(connection: workflow.writer).create(intake) }
    }

    public func transition(_ id: String, to target: String) throws -> ExperimentRecord {
        let workflow = try requireWorkflow()
        return try mapped { try ExperimentRegistry(connection: workflow.writer).transition(id, to: target) }
    }

    /// Records a ship/kill decision and audits it.
    /// - Throws: `unavailable` (`audit_unavailable`) when the audit entry cannot be written; the
    ///   decision itself is then already recorded, and the message says so.
    public func decide(_ id: String, decision: String, rationale: String, caller: Caller) throws -> ExperimentRecord {
        let workflow = try requireWorkflow()
        let record = try mapped { try ExperimentRegistry(connection: workflow.writer).decide(id, decision: decision, rationale: rationale, by: caller.principal) }
        do {
            try query.audit?.append(AuditEntry(
                principal: caller.principal, role: caller.role.rawValue, channel: caller.channel, question: "\(decision) \(id)", sqlReceived: nil,
                decision: .decisionRecorded, reasonCodes: [decision], reasonMessages: [rationale], tables: ["experiment_decisions"]
            ))
        } catch {
            throw GatewayError(.unavailable, code: "audit_unavailable", "The decision was recorded, but its audit entry could not be written: check the audit database.")
        }
        return record
    }

    /// The statistics engine's analysis of an experiment the caller may see.
    public func results(_ id: String, mode: WarehouseExperiment.Mode, caller: Caller) throws -> AnalysisReport {
        let workflow = try requireWorkflow()
        _ = try experiment(id, caller: caller)
        let input = try WarehouseExperiment.load(id, mode: mode, from: workflow.reader)
        return Analyzer(configuration: workflow.analysis).analyze(input)
    }

    /// The decision memo of an experiment the caller may see, as Markdown or HTML.
    public func memo(_ id: String, html: Bool, mode: WarehouseExperiment.Mode, caller: Caller) throws -> String {
        let workflow = try requireWorkflow()
        _ = try experiment(id, caller: caller)
        let input = try WarehouseExperiment.load(id, mode: mode, from: workflow.reader)
        let memo = DecisionMemo(report: Analyzer(configuration: workflow.analysis).analyze(input), input: input)
        return html ? memo.html() : memo.markdown()
    }

    // MARK: Tracking

    /// Stores one tracked event; answered after it is durable (group-committed with events that
    /// arrive at the same time).
    public func track(_ event: TrackedEvent, isolation: isolated (any Actor)? = #isolation) async throws(GatewayError) -> TrackOutcome {
        let tracking = try requireWorkflow().tracking
        do {
            return try await tracking.track([.success(event)])[0]
        } catch {
            return .rejected(EventTracker.storageError(error))
        }
    }

    /// Stores a batch (validated whole, one transaction); answered after it is durable.
    public func trackBatch(_ events: [Result<TrackedEvent, TrackError>], isolation: isolated (any Actor)? = #isolation) async throws -> [TrackOutcome] {
        let tracking = try requireWorkflow().tracking
        do {
            return try await tracking.track(events)
        } catch {
            throw GatewayError(.unavailable, code: "storage_error", "The events could not be stored (none were): \((error as? WarehouseError)?.message ?? "\(error)")")
        }
    }

}
