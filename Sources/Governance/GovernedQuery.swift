import Foundation
import Semantic
import Warehouse

/// Guard → execute → audit for one SQL text: the single path by which any
/// caller (CLI, REPL, HTTP, planners) runs SQL on the warehouse.
public final class GovernedQuery {
    public struct Outcome: Sendable {
        public var decision: GuardDecision
        public var result: QueryResult?
        public var error: ExecutionError?
        public var audit: AuditEntry?
    }

    public let guardrail: QueryGuard
    public let executor: (any ApprovedQueryRunner)?
    public let audit: AuditLog?

    /// - Parameters:
    ///   - executor: nil when there is no warehouse (every approved query then fails as `unavailable`).
    ///   - audit: nil only in tests that do not look at the log.
    public init(guard guardrail: QueryGuard, executor: (any ApprovedQueryRunner)?, audit: AuditLog?) {
        self.guardrail = guardrail
        self.executor = executor
        self.audit = audit
    }

    /// - Parameter audited: false only for the service's own metadata reads (e.g. which experiments a role may see).
    /// - Throws: the audit log's error when the entry cannot be written: then no result is
    ///   returned, even if the query ran (an unaudited answer is no answer).
    public func run(_ sql: String, caller: Caller, question: String? = nil, planner: String? = nil, audited: Bool = true) throws -> Outcome {
        var (outcome, entry) = execute(sql, caller: caller, question: question, planner: planner, audited: audited)
        if let entry, let audit { outcome.audit = try audit.append(entry) }
        return outcome
    }

    /// Guard → execute, and the audit entry that records it (nil when not audited), not yet
    /// written: the caller appends it (``AuditLog/append(_:at:)`` or, without holding a thread,
    /// ``AuditLog/appendDurably(_:at:)``) and gives out no result unless that succeeds.
    public func execute(_ sql: String, caller: Caller, question: String? = nil, planner: String? = nil, audited: Bool = true) -> (Outcome, AuditEntry?) {
        let started = ContinuousClock.now
        let role = caller.role.rawValue
        let decision = guardrail.check(sql, role: role)
        var outcome = Outcome(decision: decision, result: nil, error: nil, audit: nil)
        if decision.isApproved, let approved = decision.sql {
            do throws(ExecutionError) {
                guard let executor else {
                    throw ExecutionError(code: .unavailable, message: "No warehouse is available to run the query; create one with `readout demo`.")
                }
                outcome.result = try executor.run(approved, role: role)
            } catch {
                outcome.error = error
            }
        }
        guard audited, audit != nil else { return (outcome, nil) }
        var reasons = decision.reasons
        if let error = outcome.error {
            reasons.append(GuardReason(GuardReason.Code(error.code), error.message))
        }
        let elapsed = ContinuousClock.now - started
        let entry = AuditEntry(
            principal: caller.principal,
            role: role,
            channel: caller.channel,
            question: question,
            planner: planner,
            sqlReceived: sql,
            sqlExecuted: outcome.result != nil || outcome.error != nil ? decision.sql : nil,
            decision: !decision.isApproved || outcome.error?.code == .authorizerDenied ? .blocked : outcome.error == nil ? .approved : .error,
            reasonCodes: reasons.map(\.code.rawValue),
            reasonMessages: reasons.map(\.message),
            tables: decision.tables,
            durationMicroseconds: elapsed.wholeMicroseconds,
            rowCount: outcome.result.map { Int64($0.rows.count) },
            error: outcome.error.map { "\($0.code.rawValue): \($0.message)" }
        )
        return (outcome, entry)
    }
}

extension GuardReason.Code {
    /// The reason code of a failure while running an approved query: a timeout says `timeout`.
    public init(_ code: ExecutionError.Code) {
        self = switch code {
        case .authorizerDenied: .authorizerDenied
        case .timeout: .timeout
        case .sqlite, .database: .queryFailed
        case .unavailable: .unavailable
        }
    }
}
