import Planner
import Warehouse
import Synchronization
import Foundation
public import Gateway
public import Governance
import Hummingbird
public import Semantic

/// Everything the routes need, behind one actor: the gateway (the one door to the data;
/// its SQLite connections are used by one task at a time, see docs/architecture.md) and
/// the per-key rate limits. The service opens no connection of its own.
public actor ReadoutService {
    let gateway: ReadoutGateway
    public let contract: SemanticContract
    private var buckets: [String: TokenBucket] = [:]
    /// The pages' LLM-polished prose, by the deterministic prose it rewrote.
    var polishCache: [String: ExperimentOverview] = [:]
    let rate: Double
    let burst: Double
    /// The gateway's audit log, reached without the actor for the long walk and the head.
    nonisolated let audit: AuditLog?
    /// Opens the health probe's own session on the warehouse, and the session it keeps.
    nonisolated let openProbe: (@Sendable () throws -> any WarehouseSession)?
    private nonisolated let probe = Mutex<(any WarehouseSession)?>(nil)
    /// A token Prometheus may scrape `/metrics` with, besides admin keys.
    let scrapeToken: String?

    /// - Parameter gateway: a gateway with a ``Workflow`` (keys, tracking, experiments).
    public init(gateway: ReadoutGateway, rate: Double = 20, burst: Double = 40, scrapeToken: String? = nil) {
        self.scrapeToken = scrapeToken
        self.gateway = gateway
        self.audit = gateway.auditLog
        self.openProbe = gateway.openProbe
        self.contract = gateway.contract
        self.rate = rate
        self.burst = burst
    }

    /// The key for a token, nil when unknown or revoked.
    /// - Throws: 503 when the key store cannot be read (never a misleading 401).
    func authenticate(_ token: String) throws -> APIKey? {
        do {
            return try gateway.authenticate(token)
        } catch {
            throw APIError(error)
        }
    }

    /// Takes one token from the key's bucket; the seconds to wait when empty.
    func admit(_ keyID: String) -> Double? {
        var bucket = buckets[keyID] ?? TokenBucket(capacity: burst, rate: rate)
        let wait = bucket.take()
        buckets[keyID] = bucket
        return wait
    }

    func ask(_ question: String, caller: Caller, planner: PlannerChoice = .auto) async -> Answer {
        let answer = await gateway.ask(question, caller: caller, planner: planner)
        record(answer)
        return answer
    }

    func query(_ sql: String, key: APIKey) async -> Answer {
        let answer = await gateway.serveSQL(sql, caller: key.caller)
        record(answer)
        return answer
    }

    /// An answer in the metrics: turned away, or the guard's decision (REST and MCP alike).
    func record(_ answer: Answer) {
        if answer.outcome == .busy {
            ServiceMetrics.turnedAway()
            return
        }
        ServiceMetrics.guardDecision(answer.outcome.rawValue, codes: answer.reasons.map(\.code.rawValue))
        if answer.fallback != nil { ServiceMetrics.plannerFallback(from: "llm") }
    }

    /// Tracking waits for its group commit without holding the actor: other requests go on meanwhile.
    func track(_ event: TrackedEvent) async throws -> TrackOutcome {
        let outcome: TrackOutcome
        do {
            outcome = try await gateway.track(event)
        } catch {
            throw APIError(error)
        }
        ServiceMetrics.ingested(Self.label(outcome))
        return outcome
    }

    func trackBatch(_ events: [Result<TrackedEvent, TrackError>]) async throws -> [TrackOutcome] {
        let outcomes: [TrackOutcome]
        do {
            outcomes = try await gateway.trackBatch(events)
        } catch let error as GatewayError {
            throw APIError(error)
        }
        // One counter update per status, not per event (a counter is looked up in the registry).
        var counts: [String: Int] = [:]
        for outcome in outcomes { counts[Self.label(outcome), default: 0] += 1 }
        for (status, count) in counts { ServiceMetrics.ingested(status, count: count) }
        return outcomes
    }

    static func label(_ outcome: TrackOutcome) -> String {
        switch outcome {
        case .accepted: "accepted"
        case .duplicate: "duplicate"
        case .rejected: "rejected"
        }
    }

    /// `/metrics` takes an admin key or the scrape token.
    func authorizeScrape(_ header: String?) throws {
        guard let header, header.lowercased().hasPrefix("bearer ") else { throw APIError.unauthorized("Send Authorization: Bearer with an admin key or the scrape token.") }
        let token = String(header.dropFirst(7))
        if let scrapeToken, !scrapeToken.isEmpty, APIKeyStore.constantTimeEqual(token, scrapeToken) { return }
        guard let key = try authenticate(token) else { throw APIError.unauthorized("The key is unknown or revoked.") }
        guard RoleName(key.role) == .admin else { throw APIError.forbidden(role: key.role, allowed: [RoleName.admin.rawValue]) }
    }

    func auditEntries(_ filter: AuditFilter) throws -> [AuditEntry] { try gatewayCall { try gateway.auditEntries(filter) } }

    /// Walks the chain on a thread of its own and a connection of its own: the service (and every
    /// other request) goes on meanwhile. Cancelling the calling task stops the walk.
    nonisolated func verifyAudit(expectedHead: AuditHead?) async throws -> AuditVerification {
        guard let audit else { throw Self.auditUnavailable(nil) }
        let cancelled = CancelFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    do {
                        continuation.resume(returning: try audit.verify(expectedHead: expectedHead, isCancelled: { cancelled.isSet }))
                    } catch {
                        continuation.resume(throwing: Self.auditUnavailable(error))
                    }
                }
                thread.name = "readout-audit-verify"
                thread.start()
            }
        } onCancel: {
            cancelled.set()
        }
    }

    /// The newest entry's sequence number and hash.
    nonisolated func auditHead() throws -> AuditHead? {
        guard let audit else { throw Self.auditUnavailable(nil) }
        do {
            return try audit.head()
        } catch {
            throw Self.auditUnavailable(error)
        }
    }

    /// 503 `audit_unavailable`: no log configured (`error` nil), or it could not be read.
    static func auditUnavailable(_ error: (any Error)?) -> APIError {
        APIError(.serviceUnavailable, "audit_unavailable", error.map { "The audit log could not be read: \($0)" } ?? "No audit log is configured.")
    }

    /// Whether both databases answer: on a connection of its own, never behind the actor or the
    /// readers, so `/healthz` answers at once however busy the service is.
    nonisolated func health() -> (warehouse: Bool, audit: Bool) {
        let warehouse = probe.withLock { session -> Bool in
            if session == nil { session = try? openProbe?() }
            guard (try? session?.scalar("SELECT count(*) FROM experiments")) != nil else {
                session = nil  // opened again on the next probe (a restarted PostgreSQL server)
                return false
            }
            return true
        }
        let readable: Bool
        do {
            readable = try audit.map { _ = try $0.head(); return true } ?? false
        } catch {
            readable = false
        }
        return (warehouse, readable)
    }

    /// Runs a gateway call, turning its refusals into the HTTP error shape.
    func gatewayCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GatewayError {
            throw APIError(error)
        }
    }
}

extension APIKey {
    /// The caller a key stands for over HTTP.
    var caller: Caller { Caller(principal: name, role: RoleName(role), channel: .http) }
}

extension APIError {
    /// The HTTP form of a gateway refusal.
    init(_ error: GatewayError) {
        let status: HTTPResponse.Status = switch error.kind {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        }
        var details: [String: String] = [:]
        if let field = error.field { details["field"] = field }
        if !error.allowed.isEmpty { details["allowed"] = error.allowed.joined(separator: ", ") }
        self.init(status, error.code, error.message, details: details)
    }
}

/// A token bucket: `capacity` requests at once, refilled at `rate` per second.
struct TokenBucket {
    let capacity: Double
    let rate: Double
    var tokens: Double
    var last: ContinuousClock.Instant

    init(capacity: Double, rate: Double) {
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.last = .now
    }

    /// nil when admitted, else seconds until a token is available.
    mutating func take(now: ContinuousClock.Instant = .now) -> Double? {
        let elapsed = now - last
        tokens = min(capacity, tokens + elapsed.inSeconds * rate)
        last = now
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return (1 - tokens) / rate
    }
}


/// Set once from a cancellation handler, read by a worker thread.
final class CancelFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
