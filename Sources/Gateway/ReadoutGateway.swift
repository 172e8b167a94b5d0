public import Semantic
import Foundation
public import Governance
public import Planner
import Warehouse
public import Analysis

/// The one door every face uses: question → plan → guard → execute → readout → audit,
/// SQL typed by a person through the same guard, and (with a ``Workflow``) API keys,
/// tracking, the experiment workflow, analyses and memos. No face opens the warehouse.
public final class ReadoutGateway {
    public let contract: SemanticContract
    let query: GovernedQuery
    let intents: IntentCatalog
    var planners: [PlannerChoice: any QueryPlanner]
    /// Writes the optional LLM readout (`--llm-readout`); nil when no LLM is configured.
    public var polisher: (any ReadoutPolisher)?
    /// The experiments each role may see, refreshed after `experimentCacheLifetime` so that
    /// new experiments (intake over HTTP) become nameable without a restart.
    private var experimentCache: [RoleName: (at: ContinuousClock.Instant, list: [ExperimentEntity])] = [:]
    public var experimentCacheLifetime: Duration = .seconds(10)
    private var contextCache: [RoleName: PlannerContext] = [:]
    /// The service side (keys, tracking, the experiment workflow, analyses); nil for a gateway
    /// that only answers questions and SQL (the CLI's `ask`, `query`, `repl`).
    public let workflow: Workflow?
    /// The statistics engine's settings (alpha, target power, minimum detectable effect) for sizing questions.
    public var analysis = AnalysisConfiguration()

    public init(contract: SemanticContract, guard queryGuard: QueryGuard, executor: (any ApprovedQueryRunner)?, audit: AuditLog?, intents: IntentCatalog,
                planners: [any QueryPlanner] = [RulePlanner()], workflow: Workflow? = nil) {
        self.contract = contract
        self.workflow = workflow
        self.query = GovernedQuery(guard: queryGuard, executor: executor, audit: audit)
        self.intents = intents
        self.planners = Dictionary(planners.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The planners this gateway can use, besides `auto`.
    /// Read-only connections on threads of their own that run the asks' and typed SQL's queries
    /// (the server sets them); nil runs them on the gateway's own connection, on the calling thread.
    public var readers: ReaderPool?

    /// Opens ``readers``: a pool of read-only connections with the gateway's guard, limits and
    /// audit log, each on a thread of its own.
    public func startReaders(_ configuration: ReaderPool.Configuration = ReaderPool.Configuration()) throws {
        guard let executor = query.executor else { return }
        let (guardrail, audit) = (query.guardrail, query.audit)
        readers = try ReaderPool(configuration: configuration) {
            GovernedQuery(guard: guardrail, executor: try executor.another(), audit: audit)
        }
    }

    /// The guard's decision on `sql` for the caller's role, nothing executed and nothing audited
    /// (`readout guard`, the MCP `dry_run` tool).
    public func dryRun(_ sql: String, caller: Caller) -> GuardDecision {
        query.guardrail.check(sql, role: caller.role.rawValue)
    }

    public var availablePlanners: [PlannerChoice] { PlannerChoice.allCases.filter { planners[$0] != nil } }

    /// Answers a question. `planner` is `auto` (LLM when configured, else rule) or a planner's name.
    ///
    /// Runs on the caller's actor (the server's service actor, or none for the CLI): while its
    /// query runs on a pooled reader (``readers``) the actor is free for other requests.
    public func ask(_ question: String, caller: Caller, planner requested: PlannerChoice = .auto, llmReadout: Bool = false, isolation: isolated (any Actor)? = #isolation) async -> Answer {
        let answer = await plannedAnswer(question, caller: caller, planner: requested)
        guard llmReadout, answer.outcome == .approved else { return answer }
        return await polished(answer, caller: caller)
    }

    /// The optional LLM readout, kept only when every number in it is grounded; otherwise the
    /// deterministic readout stays and the reason is recorded (answer and audit log).
    func polished(_ answer: Answer, caller: Caller, isolation: isolated (any Actor)? = #isolation) async -> Answer {
        var answer = answer
        guard let polisher else {
            answer.readoutNote = "No LLM is configured, so the deterministic readout is shown."
            return answer
        }
        let rows = polisher.sharesRows ? answer.rows.prefix(50).map { $0.map { $0.string ?? "NULL" } } : nil
        switch await polisher.polish(question: answer.question, readout: answer.readout, columns: answer.columns, rowCount: answer.rows.count, rows: rows) {
        case .failure(let failure):
            answer.readoutNote = "The LLM readout failed (\(failure.message)); the deterministic readout is shown."
        case .success(let text):
            if let number = GroundingCheck.firstUngrounded(in: text, sources: GroundingCheck.sources(answer: answer)) {
                answer.readoutNote = "The LLM readout was rejected: \(number) is not in, or derivable by rounding from, the result or the deterministic readout."
            } else {
                answer.readout = text.trimmingCharacters(in: .whitespacesAndNewlines)
                answer.readoutSource = .llm
                return answer
            }
        }
        do {
            try query.audit?.append(AuditEntry(
                principal: caller.principal, role: caller.role.rawValue, channel: caller.channel, question: answer.question, planner: "llm-readout",
                sqlReceived: nil, decision: .readoutRejected, reasonCodes: ["ungrounded_readout"], reasonMessages: [answer.readoutNote ?? ""]
            ))
        } catch {
            return Self.auditFailed(answer, error)
        }
        return answer
    }

    /// The longest question planned; a longer one is refused before any planning work.
    public static let maxQuestionLength = 2_000

    func plannedAnswer(_ question: String, caller: Caller, planner requested: PlannerChoice, isolation: isolated (any Actor)? = #isolation) async -> Answer {
        let clock = ContinuousClock()
        let started = clock.now
        guard question.count <= Self.maxQuestionLength else {
            let message = "The question is \(question.count.formatted()) characters long; the limit is \(Self.maxQuestionLength.formatted()). Ask one question at a time, in fewer words."
            return refused(question, reason: GuardReason(.tooLong, message), planner: requested.rawValue, caller: caller, started: started)
        }
        guard query.executor != nil else {
            return refusal(question, planner: requested.rawValue, caller: caller,
                           message: "No warehouse is available to answer from; create one with `readout demo` or point --db / READOUT_DB at one.", started: started)
        }
        let context = plannerContext(for: caller)
        let choice = requested == .auto ? (planners[.llm] != nil ? .llm : .rule) : requested
        // Refusals come before any planner: a request for emails is refused, not planned into
        // some permitted query. (The stub planner's scripted SQL is for testing the guard itself.)
        if choice != .stub, let refusal = RulePlanner.refusal(for: question, context: context) {
            var answer = refused(question, refusal: refusal, planner: choice.rawValue, caller: caller, started: started)
            answer.suggestions = context.intents.suggestions
            return answer
        }
        guard let planner = planners[choice] else {
            return refusal(question, planner: choice.rawValue, caller: caller,
                           message: "The \(choice.rawValue) planner is not available; choose one of: auto, \(availablePlanners.map(\.rawValue).joined(separator: ", ")).", started: started)
        }
        let plan = await planner.plan(question, context: context)
        if let repairable = planner as? any RepairablePlanner {
            return await askWithRepair(question, plan: plan, planner: repairable, context: context, caller: caller, started: started)
        }
        let planned = clock.now
        guard let sql = plan.sql else {
            return notPlanned(question, plan: plan, caller: caller, started: started)
        }
        let answer = await run(sql, question: question, plan: plan, caller: caller, started: started, planned: planned)
        // "How long would X need to detect a 5% lift?": the engine sizes it from the rows fetched.
        if let request = plan.power, answer.outcome == .approved {
            return SizingReadout.sized(answer, request: request, configuration: analysis)
        }
        return answer
    }

    /// The LLM path: its SQL goes through the guard; if refused, one repair round with the
    /// guard's reasons; if that fails too, or the model fails in any way, the rule planner
    /// answers and the answer (and audit log) say why.
    private func askWithRepair(_ question: String, plan first: Plan, planner: any RepairablePlanner, context: PlannerContext, caller: Caller, started: ContinuousClock.Instant, isolation: isolated (any Actor)? = #isolation) async -> Answer {
        var plan = first
        var fallbackReason: String?
        for attempt in 1...2 {
            guard let sql = plan.sql, plan.failure == nil else {
                fallbackReason = "\(planner.name) planner: \(plan.rationale)"
                break
            }
            let answer = await run(sql, question: question, plan: plan, caller: caller, started: started, planned: ContinuousClock.now)
            if answer.outcome != .blocked { return answer }
            let reasons = answer.reasons.map { "\($0.code.rawValue): \($0.message)" }
            if attempt == 2 {
                fallbackReason = "the guard refused the \(planner.name) planner's SQL twice (\(answer.reasons.map(\.code.rawValue).joined(separator: ", ")))"
                break
            }
            plan = await planner.repair(question, context: context, previous: sql, reasons: reasons)
        }
        var rule = RulePlanner().planNow(question, context: context)
        let reason = fallbackReason ?? "unknown"
        rule.planner = "rule"
        var answer: Answer
        if let sql = rule.sql {
            var audited = rule
            audited.planner = "rule (fallback from \(planner.name): \(reason))"
            answer = await run(sql, question: question, plan: audited, caller: caller, started: started, planned: ContinuousClock.now)
            answer.planner = "rule"
        } else {
            var audited = rule
            audited.planner = "rule (fallback from \(planner.name): \(reason))"
            answer = notPlanned(question, plan: audited, caller: caller, started: started)
            answer.planner = "rule"
        }
        answer.fallback = reason
        answer.readoutNote = "The \(planner.name) planner failed (\(reason)); the rule planner answered instead."
        return answer
    }

    private func notPlanned(_ question: String, plan: Plan, caller: Caller, started: ContinuousClock.Instant) -> Answer {
        var answer = refusal(question, planner: plan.planner, caller: caller, message: plan.rationale, started: started)
        answer.intent = plan.intent?.rawValue
        answer.suggestions = plan.suggestions
        answer.entities = plan.entities
        return answer
    }

    /// Runs SQL typed by a person (REPL, `readout query`) through the same guard, with a readout.
    public func runSQL(_ sql: String, caller: Caller, audited: Bool = true) -> Answer {
        let now = ContinuousClock.now
        let plan = Plan(planner: "sql", sql: sql, rationale: "SQL typed by the user.")
        return runHere(sql, question: "", plan: plan, caller: caller, started: now, planned: now, audited: audited)
    }

    /// SQL typed by a person over HTTP: the same guard, run on a pooled reader when the gateway has them.
    public func serveSQL(_ sql: String, caller: Caller, isolation: isolated (any Actor)? = #isolation) async -> Answer {
        let now = ContinuousClock.now
        let plan = Plan(planner: "sql", sql: sql, rationale: "SQL typed by the user.")
        return await run(sql, question: "", plan: plan, caller: caller, started: now, planned: now)
    }

    /// Guard → execute → audit on a pooled reader (``readers``), or on the gateway's own connection.
    private func run(_ sql: String, question: String, plan: Plan, caller: Caller, started: ContinuousClock.Instant, planned: ContinuousClock.Instant,
                     audited: Bool = true, isolation: isolated (any Actor)? = #isolation) async -> Answer {
        guard let readers else { return runHere(sql, question: question, plan: plan, caller: caller, started: started, planned: planned, audited: audited) }
        let answer = Self.blankAnswer(sql, question: question, plan: plan, started: started, planned: planned)
        switch await readers.run(sql, caller: caller, question: question.isEmpty ? nil : question, planner: plan.planner, audited: audited) {
        case .success(let outcome):
            return completed(answer, outcome: outcome, plan: plan, started: started, planned: planned)
        case .failure(.auditFailed(let message)):
            return finish(Self.auditFailed(answer, message), started: started)
        case .failure(.saturated(let seconds)):
            var busy = answer
            busy.outcome = .busy
            busy.retryAfter = seconds
            busy.readout = "Every reader is busy and the line is full; nothing was run. Try again in \(seconds) second\(seconds == 1 ? "" : "s")."
            return finish(busy, started: started)
        case .failure(.closed):
            var closed = answer
            closed.outcome = .busy
            closed.retryAfter = 1
            closed.readout = "The server is shutting down; nothing was run. Try again shortly."
            return finish(closed, started: started)
        }
    }

    private static func blankAnswer(_ sql: String, question: String, plan: Plan, started: ContinuousClock.Instant, planned: ContinuousClock.Instant) -> Answer {
        Answer(
            question: question, planner: plan.planner, intent: plan.intent?.rawValue, sql: sql, sqlExecuted: nil, outcome: .error,
            reasons: [], tables: [], columns: [], rows: [], truncated: false, readout: "", suggestions: plan.suggestions,
            entities: plan.entities, auditId: nil, fallback: nil,
            timings: Answer.Timings(planMilliseconds: Self.milliseconds(planned - started), queryMilliseconds: 0, readoutMilliseconds: 0, totalMilliseconds: 0)
        )
    }

    /// Guard → execute → audit on the gateway's own connection, on the calling thread.
    private func runHere(_ sql: String, question: String, plan: Plan, caller: Caller, started: ContinuousClock.Instant, planned: ContinuousClock.Instant, audited: Bool = true) -> Answer {
        let answer = Self.blankAnswer(sql, question: question, plan: plan, started: started, planned: planned)
        let outcome: GovernedQuery.Outcome
        do {
            outcome = try query.run(sql, caller: caller, question: question.isEmpty ? nil : question, planner: plan.planner, audited: audited)
        } catch {
            return finish(Self.auditFailed(answer, error), started: started)
        }
        return completed(answer, outcome: outcome, plan: plan, started: started, planned: planned)
    }

    /// The answer from a governed query's outcome: refusal, failure, or rows and their readout.
    private func completed(_ answer: Answer, outcome: GovernedQuery.Outcome, plan: Plan, started: ContinuousClock.Instant, planned: ContinuousClock.Instant) -> Answer {
        var answer = answer
        let clock = ContinuousClock()
        let queried = clock.now
        answer.timings.queryMilliseconds = Self.milliseconds(queried - planned)
        answer.auditId = outcome.audit?.id
        answer.reasons = outcome.decision.reasons
        answer.tables = outcome.decision.tables
        if !outcome.decision.isApproved {
            answer.outcome = .blocked
            answer.readout = "The guard refused the query: " + outcome.decision.reasons.map(\.message).joined(separator: " ")
            return finish(answer, started: started)
        }
        answer.sqlExecuted = outcome.decision.sql
        if let error = outcome.error {
            answer.outcome = error.code == .authorizerDenied ? .blocked : .error
            answer.reasons.append(GuardReason(GuardReason.Code(error.code), error.message))
            answer.readout = error.message
            return finish(answer, started: started)
        }
        answer.outcome = .approved
        if let result = outcome.result {
            answer.columns = result.columns
            answer.rows = result.rows.map { $0.map(Cell.init) }
            answer.truncated = result.truncated
        }
        answer.readout = ReadoutWriter.write(answer, entities: plan.entities)
        answer.timings.readoutMilliseconds = Self.milliseconds(clock.now - queried)
        return finish(answer, started: started)
    }

    private func refusal(_ question: String, planner: String, caller: Caller, message: String, started: ContinuousClock.Instant) -> Answer {
        var answer = Answer(
            question: question, planner: planner, intent: nil, sql: nil, sqlExecuted: nil, outcome: .notPlanned,
            reasons: [], tables: [], columns: [], rows: [], truncated: false, readout: message, suggestions: [],
            entities: [:], auditId: nil, fallback: nil,
            timings: Answer.Timings(planMilliseconds: Self.milliseconds(ContinuousClock.now - started), queryMilliseconds: 0, readoutMilliseconds: 0, totalMilliseconds: 0)
        )
        do {
            answer.auditId = try query.audit?.append(AuditEntry(
                principal: caller.principal, role: caller.role.rawValue, channel: caller.channel, question: question, planner: planner, sqlReceived: nil,
                decision: .notPlanned, reasonCodes: ["not_planned"], reasonMessages: [message]
            )).id
        } catch {
            return finish(Self.auditFailed(answer, error), started: started)
        }
        return finish(answer, started: started)
    }

    /// A refused request: `blocked` with the refusal's code, audited with the question.
    private func refused(_ question: String, refusal: Refusal, planner: String, caller: Caller, started: ContinuousClock.Instant) -> Answer {
        let code: GuardReason.Code = switch refusal.code {
        case .personalData: .personalData
        case .assetNotAllowed: .assetNotAllowed
        case .notReadOnly: .notReadOnly
        }
        return refused(question, reason: GuardReason(code, refusal.message), planner: planner, caller: caller, started: started)
    }

    private func refused(_ question: String, reason: GuardReason, planner: String, caller: Caller, started: ContinuousClock.Instant) -> Answer {
        var answer = Answer(
            question: question, planner: planner, intent: nil, sql: nil, sqlExecuted: nil, outcome: .blocked,
            reasons: [reason], tables: [], columns: [], rows: [], truncated: false, readout: reason.message,
            suggestions: [], entities: [:], auditId: nil, fallback: nil,
            timings: Answer.Timings(planMilliseconds: Self.milliseconds(ContinuousClock.now - started), queryMilliseconds: 0, readoutMilliseconds: 0, totalMilliseconds: 0)
        )
        do {
            answer.auditId = try query.audit?.append(AuditEntry(
                principal: caller.principal, role: caller.role.rawValue, channel: caller.channel, question: Self.storable(question), planner: planner, sqlReceived: nil,
                decision: .blocked, reasonCodes: [reason.code.rawValue], reasonMessages: [reason.message]
            )).id
        } catch {
            return finish(Self.auditFailed(answer, error), started: started)
        }
        return finish(answer, started: started)
    }

    /// A question as the audit log keeps it: an over-long one is cut at the limit (its length is in the reason).
    static func storable(_ question: String) -> String {
        question.count <= maxQuestionLength ? question : String(question.prefix(maxQuestionLength)) + "…"
    }

    /// The answer when its audit entry could not be written: nothing of it is given out.
    static func auditFailed(_ answer: Answer, _ error: any Error) -> Answer {
        auditFailed(answer, "\(error)")
    }

    static func auditFailed(_ answer: Answer, _ error: String) -> Answer {
        var failed = answer
        failed.outcome = .auditUnavailable
        failed.columns = []
        failed.rows = []
        failed.truncated = false
        failed.sqlExecuted = nil
        failed.auditId = nil
        failed.readout = "The audit log could not be written (\(error)), so nothing is answered. Check the audit database's disk and permissions."
        return failed
    }

    private func finish(_ answer: Answer, started: ContinuousClock.Instant) -> Answer {
        var answer = answer
        answer.timings.totalMilliseconds = Self.milliseconds(ContinuousClock.now - started)
        return answer
    }

    /// The planner's context for a caller's role, reused while the experiments it may see and the
    /// day stay the same (so the word sets derived from it are built once, not per question).
    func plannerContext(for caller: Caller) -> PlannerContext {
        let experiments = experiments(for: caller)
        let today = PlannerContext.utcToday()
        if let cached = contextCache[caller.role], cached.experiments == experiments, cached.today == today { return cached }
        let context = PlannerContext(contract: contract, role: caller.role.rawValue, experiments: experiments, intents: intents, today: today,
                                     dialect: query.guardrail.configuration.dialect)
        contextCache[caller.role] = context
        return context
    }

    /// The experiments `role` may read (row policies apply), for entity matching.
    func experiments(for caller: Caller) -> [ExperimentEntity] {
        let role = caller.role
        if let cached = experimentCache[role], ContinuousClock.now - cached.at < experimentCacheLifetime { return cached.list }
        let sql = "SELECT experiment_id, name, status, owner, primary_metric_id, started_at, ended_at FROM experiments ORDER BY experiment_id"
        // An unaudited metadata read (which experiments the role may name); the question itself is audited.
        let reader = Caller(principal: caller.principal, role: role, channel: caller.channel)
        guard let result = (try? query.run(sql, caller: reader, audited: false))?.result else {
            experimentCache[role] = (ContinuousClock.now, [])
            return []
        }
        // Arm names ("Model v2 large") let a question name an arm; without them, arms are named by id only.
        let variantSQL = "SELECT experiment_id, variation_id, name, is_control FROM experiment_variants ORDER BY experiment_id, variation_id"
        var variants: [String: [VariantEntity]] = [:]
        for row in (try? query.run(variantSQL, caller: reader, audited: false))?.result?.rows ?? [] {
            guard let experiment = row[0].string, let id = row[1].string else { continue }
            variants[experiment, default: []].append(VariantEntity(id: id, name: row[2].string ?? id, isControl: row[3].int64 == 1))
        }
        // The days each experiment has daily figures for, so a day past its data is declined, not answered with no rows.
        var dataDays: [String: (String, String)] = [:]
        let daysSQL = "SELECT experiment_id, min(date_day), max(date_day) FROM fct_experiment_exposure_quality_daily GROUP BY experiment_id"
        for row in (try? query.run(daysSQL, caller: reader, audited: false))?.result?.rows ?? [] {
            guard let experiment = row[0].string, let first = row[1].string, let last = row[2].string else { continue }
            dataDays[experiment] = (String(first.prefix(10)), String(last.prefix(10)))
        }
        let list = result.rows.map { row in
            let id = row[0].string ?? ""
            return ExperimentEntity(id: id, name: row[1].string ?? "", status: row[2].string ?? "", owner: row[3].string ?? "", primaryMetric: row[4].string ?? "", variants: variants[id] ?? [],
                                    startedAt: row[5].string.map { String($0.prefix(10)) }, endedAt: row[6].string.map { String($0.prefix(10)) },
                                    firstDataDay: dataDays[id]?.0, lastDataDay: dataDays[id]?.1)
        }
        experimentCache[role] = (ContinuousClock.now, list)
        return list
    }

    static func milliseconds(_ duration: Duration) -> Double {
        duration.inMilliseconds
    }
}
