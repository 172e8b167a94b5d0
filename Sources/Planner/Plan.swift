public import SQLParser
import Foundation
public import Semantic

/// What a planner made of a question: SQL to run, or a reasoned refusal.
public struct Plan: Sendable, Codable, Equatable {
    /// `rule`, `stub` or `llm`.
    public var planner: String
    /// The recognised intent (rule planner); nil for other planners.
    public var intent: IntentID?
    /// Set when the request must be refused (personal data, raw data, changes): answered `blocked`.
    public var refusal: Refusal?
    /// The SQL to run; nil when the planner cannot answer.
    public var sql: String?
    /// Why this SQL (or why none), in a sentence.
    public var rationale: String
    /// Recognised entities: experiment, experiments, metric, variant, mode, status, owner, since.
    public var entities: [String: String]
    /// Questions the planner can answer, offered when it cannot answer this one.
    public var suggestions: [String]
    /// Set when the planner failed rather than declined (timeout, HTTP error, malformed reply, no SQL):
    /// the gateway then falls back to the rule planner.
    public var failure: String?
    /// A sizing question for the statistics engine: the SQL fetches the baseline and traffic, the
    /// engine computes users per arm and days (rule planner, power intent).
    public var power: PowerRequest?

    public init(planner: String, intent: IntentID? = nil, sql: String?, rationale: String, entities: [String: String] = [:], suggestions: [String] = [], failure: String? = nil) {
        self.planner = planner
        self.intent = intent
        self.sql = sql
        self.rationale = rationale
        self.entities = entities
        self.suggestions = suggestions
        self.failure = failure
    }
}

/// An experiment the caller's role may see, as planners match it.
public struct ExperimentEntity: Sendable, Equatable {
    public var id: String
    public var name: String
    public var status: String
    public var owner: String
    public var primaryMetric: String
    /// The experiment's arms, so "the large model" can name `treatment_b`.
    public var variants: [VariantEntity]
    /// The day it started (YYYY-MM-DD), so "the first week" can be placed; nil before it starts.
    public var startedAt: String?
    /// The day it ended (YYYY-MM-DD), or nil while it runs.
    public var endedAt: String?
    /// The first and last days it has daily figures for (YYYY-MM-DD), when known: a running experiment's
    /// data can stop before today.
    public var firstDataDay: String?
    public var lastDataDay: String?

    public init(id: String, name: String, status: String, owner: String, primaryMetric: String, variants: [VariantEntity] = [], startedAt: String? = nil,
                endedAt: String? = nil, firstDataDay: String? = nil, lastDataDay: String? = nil) {
        self.firstDataDay = firstDataDay
        self.lastDataDay = lastDataDay
        self.id = id
        self.name = name
        self.status = status
        self.owner = owner
        self.primaryMetric = primaryMetric
        self.variants = variants
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

/// One arm of an experiment as people name it ("Model v2 large").
public struct VariantEntity: Sendable, Equatable {
    public var id: String
    public var name: String
    public var isControl: Bool

    public init(id: String, name: String, isControl: Bool) {
        self.id = id
        self.name = name
        self.isControl = isControl
    }
}

/// Everything a planner may know: the contract as the caller's role sees it and
/// the experiments that role may read. Never PII, never rows.
public struct PlannerContext: Sendable {
    public var contract: SemanticContract
    public var role: String
    public var experiments: [ExperimentEntity]
    public var intents: IntentCatalog
    /// Today (`YYYY-MM-DD`, UTC), for relative dates and the default year.
    public var today: String
    /// The SQL the warehouse speaks (and the guard reads): the planners write it.
    public var dialect: SQLDialect
    /// Word sets derived from this context, built once (see ``VocabularyCache``).
    let cache = VocabularyCache()

    public init(contract: SemanticContract, role: String, experiments: [ExperimentEntity], intents: IntentCatalog, today: String = PlannerContext.utcToday(),
                dialect: SQLDialect = .sqlite) {
        self.contract = contract
        self.role = role
        self.experiments = experiments
        self.intents = intents
        self.today = today
        self.dialect = dialect
    }

    /// Today's date in UTC, `YYYY-MM-DD`.
    public static func utcToday() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return DateRange.format(parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}

/// Turns a question into SQL. Implementations never execute anything.
/// Which planner to ask: `auto` is the LLM when one is configured, else the rule planner.
public enum PlannerChoice: String, Sendable, CaseIterable, Codable {
    case auto, rule, stub, llm
}

public protocol QueryPlanner: Sendable {
    /// Which planner this is (never `auto`).
    var kind: PlannerChoice { get }
    func plan(_ question: String, context: PlannerContext) async -> Plan
}

/// A planner that can try again when the guard refuses its SQL, given the reasons.
public protocol RepairablePlanner: QueryPlanner {
    func repair(_ question: String, context: PlannerContext, previous sql: String, reasons: [String]) async -> Plan
}

extension QueryPlanner {
    /// The planner's name, as answers and the audit log record it.
    public var name: String { kind.rawValue }
}
