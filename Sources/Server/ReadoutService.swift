public import Semantic
import Foundation
import Hummingbird
public import Gateway
public import Analysis
public import Governance
public import Warehouse

/// Everything the routes need, behind one actor: SQLite connections are used by
/// one task at a time (see docs/architecture.md, threading model).
public actor ReadoutService {
    let gateway: Gateway
    let keys: APIKeyStore
    let tracker: EventTracker
    /// The read-write warehouse connection: keys, tracked events, experiment workflow.
    let writer: Connection
    let audit: AuditLog
    let warehousePath: String
    /// The statistics engine's settings for results and memos (readout.yaml `analysis:`).
    let analysis: AnalysisConfiguration
    public let contract: SemanticContract
    private var buckets: [String: TokenBucket] = [:]
    let rate: Double
    let burst: Double
    /// A token Prometheus may scrape `/metrics` with, besides admin keys.
    let scrapeToken: String?

    /// - Parameters:
    ///   - keysConnection: a read-write connection to the warehouse (for `api_keys` and tracked events).
    public init(gateway: Gateway, keysConnection: Connection, audit: AuditLog, warehousePath: String, analysis: AnalysisConfiguration = AnalysisConfiguration(),
                rate: Double = 20, burst: Double = 40, scrapeToken: String? = nil) throws {
        self.analysis = analysis
        self.scrapeToken = scrapeToken
        self.gateway = gateway
        self.keys = APIKeyStore(connection: keysConnection)
        self.tracker = try EventTracker(connection: keysConnection)
        self.writer = keysConnection
        self.audit = audit
        self.warehousePath = warehousePath
        self.contract = gateway.contract
        self.rate = rate
        self.burst = burst
    }

    /// The key for a token, nil when unknown or revoked.
    /// - Throws: 503 when the key store cannot be read (never a misleading 401).
    func authenticate(_ token: String) throws -> APIKey? {
        do {
            return try keys.authenticate(token)
        } catch {
            throw APIError(.serviceUnavailable, "key_store_unavailable", "The API key store could not be read; try again shortly. The error was logged.")
        }
    }

    /// Takes one token from the key's bucket; the seconds to wait when empty.
    func admit(_ keyID: String) -> Double? {
        var bucket = buckets[keyID] ?? TokenBucket(capacity: burst, rate: rate)
        let wait = bucket.take()
        buckets[keyID] = bucket
        return wait
    }

    func ask(_ question: String, key: APIKey, planner: String) async -> Answer {
        let answer = await gateway.ask(question, caller: Caller(principal: key.name, role: RoleName(key.role), channel: .http), planner: planner)
        record(answer)
        return answer
    }

    func query(_ sql: String, key: APIKey) -> Answer {
        let answer = gateway.runSQL(sql, caller: Caller(principal: key.name, role: RoleName(key.role), channel: .http))
        record(answer)
        return answer
    }

    private func record(_ answer: Answer) {
        ServiceMetrics.guardDecision(answer.outcome.rawValue, codes: answer.reasons.map(\.code.rawValue))
        if answer.fallback != nil { ServiceMetrics.plannerFallback(from: "llm") }
    }

    func track(_ event: TrackedEvent) -> TrackOutcome {
        let outcome = tracker.track(event)
        ServiceMetrics.ingested(Self.label(outcome))
        return outcome
    }

    func trackBatch(_ events: [Result<TrackedEvent, TrackError>]) throws -> [TrackOutcome] {
        let outcomes = try tracker.trackBatch(events)
        for outcome in outcomes { ServiceMetrics.ingested(Self.label(outcome)) }
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
        guard key.role == "admin" else { throw APIError.forbidden(role: key.role, allowed: ["admin"]) }
    }

    func auditEntries(_ filter: AuditFilter) throws -> [AuditEntry] { try audit.entries(filter) }
    func verifyAudit() throws -> AuditVerification { try audit.verify() }

    /// Whether both databases answer.
    func health() -> (warehouse: Bool, audit: Bool) {
        let warehouse = (try? Connection(path: warehousePath, mode: .readOnly).scalar("SELECT count(*) FROM experiments")) != nil
        let auditOK = (try? audit.entries(AuditFilter(limit: 1))) != nil
        return (warehouse, auditOK)
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
        tokens = min(capacity, tokens + (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * rate)
        last = now
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return (1 - tokens) / rate
    }
}

