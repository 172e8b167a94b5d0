import Foundation
import Semantic

/// The deterministic planner: recognises an intent (from `semantic/planner/intents.yml`)
/// and entities (experiments, metrics, variants, mode, dates — matched against the
/// contract and the experiments the role may see), then fills one of a fixed set of
/// SQL shapes over governed assets. It never guesses a table: when it cannot
/// answer it says so and suggests questions it can answer.
public struct RulePlanner: QueryPlanner {
    public let kind = PlannerChoice.rule

    public init() {}

    /// The refusal for a question, if it asks for personal data, raw data, an asset the role may
    /// not read, or a change. The gateway checks it before any planner (rule or LLM) plans.
    public static func refusal(for question: String, context: PlannerContext) -> Refusal? {
        RefusalCheck.check(corrected(question, context: context), context: context)
    }

    /// The question's words with typos corrected against every word the planner knows.
    static func corrected(_ question: String, context: PlannerContext) -> QuestionText {
        // Refusal words are known too, so "alter" is never corrected into "after".
        let known = context.cache.value("speller") { AccountabilityGate.knownWords(context).union(RefusalCheck.vocabulary(context)) }
        // What keeps a part of a chat question: the planner's vocabulary, refusal words (so "please update
        // the status" is never dropped as politeness), metrics, experiments, dates.
        let substantive = context.cache.value("substantive") {
            var substantive = AccountabilityGate.vocabulary.union(RefusalCheck.vocabulary(context))
                .subtracting(["table", "tables", "rows", "row", "from", "where", "join", "show", "give", "get", "list", "send", "print", "find",
                              "name", "display", "pull", "fetch", "identify", "answer", "ask", "query", "queries", "readout", "number", "numbers"])
                .union(AccountabilityGate.dateWords.subtracting(["on", "before", "after", "since", "until", "through", "between", "last", "st", "nd", "rd", "th"]))
            for metric in context.contract.metrics { substantive.formUnion(QuestionText(metric.name + " " + metric.synonyms.joined(separator: " ")).words) }
            for experiment in context.experiments { substantive.formUnion(experiment.words.filter { $0.count >= 3 }) }
            // "I'm on team-growth": a team named in context may be the filter ("our team's experiments").
            substantive.formUnion(context.experiments.map(\.owner))
            return substantive
        }
        // "# of tests" is "number of tests".
        // "# of tests" is "number of tests"; "p < 0.01" is "p-value below 0.01"; "<" and ">" are "below" and "above".
        let spelled = Shorthand.spelled(QuotedQuestion.extract(question), today: context.today).replacingOccurrences(of: "# of", with: "number of")
            .replacingOccurrences(of: #"\bp\s*(<=?|≤)"#, with: "p-value below ", options: [.regularExpression, .caseInsensitive])
            .replacingOccurrences(of: #"\bp\s*(>=?|≥)"#, with: "p-value above ", options: [.regularExpression, .caseInsensitive])
            .replacingOccurrences(of: "!=", with: " not ")
            // "isn't", "don't", "weren't": "not", so "isn't significant" reads as "not significant".
            .replacingOccurrences(of: #"(?i)\b(is|are|was|were|do|does|did|has|have|had|could|should|would)n['’]t\b"#, with: "$1 not", options: .regularExpression)
            // "Non-significant", "not statistically significant", "not stat sig": "not significant".
            .replacingOccurrences(of: #"(?i)\bnon[- ]?significant\b"#, with: "not significant", options: .regularExpression)
            .replacingOccurrences(of: #"(?i)\bnot (yet |statistically |stat\.? |stat-)?sig(nificant(ly)?)?\b"#, with: "not significant", options: .regularExpression)
            .replacingOccurrences(of: #"\b(below|under|above|over|than) half\b"#, with: "$1 50%", options: [.regularExpression, .caseInsensitive])
            .replacingOccurrences(of: #"\s*(<=?|≤)\s*(?=[0-9.])"#, with: " below ", options: .regularExpression)
            .replacingOccurrences(of: #"\s*(>=?|≥)\s*(?=[0-9.])"#, with: " above ", options: .regularExpression)
        let social = SocialContext.stripped(spelled, substantive: substantive, known: known)
        let question = AskerContext.reduced(social, substantive: substantive, known: known, context: context)
        let text = Speller.corrected(QuestionText(question), known: known)
        // Shorthand people type: "conv lift w/ CI", "srm p val for pricing pg", "trt vs ctrl", "which tests".
        let shorthand: [String: String] = ["conv": "conversion", "rev": "revenue", "trt": "treatment", "ctrl": "control", "pg": "page",
                                           "w": "with", "pval": "p-value", "pvals": "p-value", "tests": "experiments", "exps": "experiments",
                                           "stat": "stat", "likely": "chance", "likelihood": "chance", "probability": "chance",
                                           "btn": "button", "diff": "difference", "pct": "percent", "rn": "now", "r": "are", "ppl": "people",
                                           "plz": "please", "thx": "thanks", "ctb": "chance", "desc": "descending", "asc": "ascending", "req": "required",
                                           "srch": "search", "rel": "relative", "adj": "adjusted", "prob": "chance", "alloc": "allocation", "var": "variance",
                                           "avail": "available", "neg": "negative", "pos": "positive", "refunders": "refunded", "pre-assign": "pre-assignment"]
        // "Reached significance" is "significant".
        let reaching: Set<String> = ["reach", "reached", "reaches", "reaching", "hit", "hits", "achieved", "attained"]
        let words = text.words.enumerated().map { index, word -> String in
            let next = index + 1 < text.words.count ? text.words[index + 1] : ""
            let previous = index > 0 ? text.words[index - 1] : ""
            if word == "significance" && reaching.contains(previous) { return "significant" }
            // "z-test p for pricing", "holm-adjusted p": a p-value; "n per arm": users.
            if word == "p", !["value", "values"].contains(next),
               ["for", "on", "of", "in", "per", "by"].contains(next) || ["z-test", "z", "welch", "adjusted", "holm", "holm-adjusted", "raw", "two-sided", "srm", "min", "max", "lowest", "highest"].contains(previous) {
                return "p-value"
            }
            if word == "n", ["per", "by", "for", "in", "of", "users"].contains(next) { return "users" }
            // "exp rate 10/8 signup": the exposure rate; "by exp": by experiment.
            if word == "exp", next == "rate" { return "exposure" }
            if word == "exp", ["by", "per", "each", "every"].contains(previous) { return "experiment" }
            // "n exposed by arm": users.
            if word == "n", ["exposed", "assigned", "converted"].contains(next) { return "users" }
            // "which experiment was set up most recently": created.
            if word == "set", next == "up", ["was", "were", "been", "got"].contains(previous) { return "created" }
            return shorthand[word] ?? word
        }
        guard words != text.words else { return text }
        return QuestionText(original: text.original, words: words)
    }

    public func plan(_ question: String, context: PlannerContext) async -> Plan {
        planNow(question, context: context)
    }

    public func planNow(_ question: String, context: PlannerContext) -> Plan {
        let text = RulePlanner.corrected(question, context: context)
        var entities = EntityRecognizer.recognise(text, context: context)
        let suggestions = context.intents.suggestions
        if let refusal = RefusalCheck.check(text, context: context) {
            var plan = Plan(planner: name, sql: nil, rationale: refusal.message, entities: entities.description, suggestions: suggestions)
            plan.refusal = refusal
            return plan
        }
        if let problem = ReferenceCheck.problem(text, entities: &entities, context: context) {
            return Plan(planner: name, sql: nil, rationale: problem, entities: entities.description, suggestions: suggestions)
        }
        // "Average lift across running experiments", "lift by owner": an aggregate over the comparisons.
        if entities.dates == nil, text.words.allSatisfy({ !["highest", "lowest", "most", "least", "best", "worst", "top", "bottom", "biggest", "smallest"].contains($0) }),
           var aggregate = ResultsAggregate.parse(text.words, entities: entities),
           ResultsAggregate.leftover(text.words, entities: entities, context: context).allSatisfy({ !AccountabilityGate.knownWords(context).contains($0) }) {
            aggregate.consumed.formUnion(["experiments", "experiment", "across", "all", "every"])
            entities.consumed.formUnion(aggregate.consumed)
            let because = aggregate.description(entities)
            let unknown = AccountabilityGate.unknownWords(text, context: context, entities: entities)
            if !unknown.isEmpty {
                return Plan(planner: name, intent: .significantExperiments, sql: nil,
                            rationale: "I don't know \(unknown.map { "'\($0)'" }.joined(separator: ", ")), so I won't guess. What I understood: \(because.prefix(1).lowercased() + because.dropFirst())",
                            entities: entities.description, suggestions: suggestions)
            }
            var described = entities.description
            described["aggregate"] = aggregate.column.rawValue
            described["aggregate_of"] = because
            return Plan(planner: name, intent: .significantExperiments, sql: aggregate.sql(entities), rationale: because, entities: described)
        }
        guard var intent = bestIntent(text, context: context, entities: entities) else {
            let rationale = text.words.isEmpty
                ? "The question is empty."
                : "I could not match the question to anything I can answer from the governed data."
            return Plan(planner: name, sql: nil, rationale: rationale, entities: entities.description, suggestions: suggestions)
        }
        if intent.id == .compare, entities.experiments.count < 2 {
            intent = context.intents.intent(.results) ?? intent
        }
        intent = RulePlanner.reroute(intent, text: text, entities: &entities, context: context)
        // "Which arm has the highest conversion rate?" compares the arms' values.
        // "Which arm of recs v2 has the biggest lift?" stays a lift (the results order their arms by it).
        if entities.armOrder != nil, !entities.experiments.isEmpty, [.results, .significantExperiments, .sampleSize, .guardrails].contains(intent.id),
           !(intent.id == .results && !Set(text.words).isDisjoint(with: RulePlanner.liftWords)) {
            intent = context.intents.intent(.conversion) ?? intent
        }
        // "Conversion rate and lift for each treatment arm": the results carry both.
        if intent.id == .conversion, entities.experiments.count == 1, entities.perArm || entities.armOrder != nil,
           !Set(text.words).isDisjoint(with: ["lift", "lifts", "uplift", "uplifts"]) {
            intent = context.intents.intent(.results) ?? intent
        }
        // "Which team has the most users?": users summed per owner, the top one.
        if entities.groupRanking != nil, entities.experiments.isEmpty,
           !Set(text.words).isDisjoint(with: ["users", "units", "people", "participants", "traffic"]) {
            intent = context.intents.intent(.sampleSize) ?? intent
        }
        // "Revenue per user with both arms pooled": one value over the arms together, not a lift.
        if entities.pooled, intent.id == .results, entities.experiments.count == 1, Set(text.words).isDisjoint(with: ["lift", "lifts", "uplift", "effect", "impact"]) {
            intent = context.intents.intent(.conversion) ?? intent
        }
        // "Verdicts for checkout and pricing side by side": each one's verdict.
        if entities.experiments.count >= 2, [.compare, .results].contains(intent.id),
           !Set(text.words).isDisjoint(with: ["verdict", "verdicts", "decision", "decisions", "recommendation", "recommendations"]) {
            intent = context.intents.intent(.verdict) ?? intent
        }
        // "Lift for exposed users in checkout button" asks for the lift, though it says "users in".
        if intent.id == .sampleSize, !entities.counting, !entities.total,
           text.words.contains(where: { ["lift", "lifts", "uplift", "result", "results", "impact", "effect", "significant", "p-value", "pvalue"].contains($0) }) {
            intent = context.intents.intent(.results) ?? intent
        }
        // "How many users converted in control?": a count of converters (per arm when asked by arm).
        if entities.countsConversions, !entities.experiments.isEmpty, entities.ranking == nil {
            intent = context.intents.intent(entities.perArm ? .conversion : .sampleSize) ?? intent
        }
        // "Total converters across all experiments": converters summed over the experiments, not a count of experiments.
        if entities.countsConversions, entities.experiments.isEmpty, entities.ranking == nil, !entities.perArm,
           (CountedThing.parse(text.words) ?? .users) == .users {
            intent = context.intents.intent(.sampleSize) ?? intent
        }
        // "Total revenue in checkout button": a sum of the metric, not a lift.
        if entities.total, entities.metric?.kind == "continuous", !entities.experiments.isEmpty, [.results, .guardrails, .sampleSize].contains(intent.id) {
            intent = context.intents.intent(.conversion) ?? intent
        }
        // "Mean page load latency for control vs treatment": each arm's mean, not a guardrail verdict or a lift.
        if entities.asksForMean, entities.metric != nil, !entities.experiments.isEmpty, !entities.mentionsGuardrails, [.results, .guardrails].contains(intent.id) {
            intent = context.intents.intent(.conversion) ?? intent
        }
        // "Is the onboarding email test underpowered?" is about one experiment's decision.
        // "Is the checkout button stat sig?" is its result.
        if intent.id == .significantExperiments, !entities.experiments.isEmpty {
            intent = context.intents.intent(entities.slice == "underpowered" ? .verdict : .results) ?? intent
        }
        // "Are any experiments failing their guardrails?" is about every experiment's guardrails.
        if intent.id == .listExperiments, entities.mentionsGuardrails {
            intent = context.intents.intent(.guardrails) ?? intent
        }
        // "Total users across running experiments" counts users, not experiments.
        if intent.id == .listExperiments, entities.total || entities.counting || entities.groupBy != nil || text.words.contains("assigned") || text.words.contains("sample"),
           text.words.contains(where: { ["users", "user", "units", "participants", "people", "assignments", "enrollments", "sample", "assigned", "enrolled", "bucketed"].contains($0) }) {
            intent = context.intents.intent(.sampleSize) ?? intent
        }
        // "Verdicts for experiments in draft": the decisions, for the experiments named by status or owner.
        if intent.id == .listExperiments, !entities.counting || CountedThing.parse(text.words) == .experiments,
           text.words.contains(where: { ["verdict", "verdicts", "decision", "decisions", "recommendation", "recommendations", "hold", "launch", "launching", "rollback", "rolled"].contains($0) }) {
            intent = context.intents.intent(.verdict) ?? intent
        }
        // "Which experiments owned by team-growth are winning?", "lift for running experiments": results, not the list.
        if intent.id == .listExperiments { intent = listRedirect(intent, text: text, entities: entities, context: context) }
        // "Control conversion rate for every experiment": an arm's value in each experiment, not a lift.
        // "The ITT verdict and the exposed verdict side by side for every experiment": the verdicts.
        if [.results, .compare].contains(intent.id), entities.experiments.isEmpty, !Set(text.words).isDisjoint(with: ["verdict", "verdicts"]),
           Set(text.words).isDisjoint(with: RulePlanner.liftWords) {
            intent = context.intents.intent(.verdict) ?? intent
        }
        let acrossValues = intent.id == .conversion && entities.experiments.isEmpty && entities.ranking == nil
            && Set(text.words).isDisjoint(with: RulePlanner.liftWords)
            && (text.containsExactly("experiments") || entities.status != nil || entities.owner != nil)
        // "Lift for running experiments": every such experiment's primary-metric result, significant or not.
        if !acrossValues, [.results, .conversion].contains(intent.id), entities.experiments.isEmpty, entities.ranking == nil,
           entities.status != nil || entities.owner != nil || text.containsExactly("experiments") || text.words.contains("lifts"),
           !text.words.contains(where: { ["significant", "significance", "winning", "winners", "losing", "losers", "sig", "significantly"].contains($0) }) {
            if !["negative", "positive", "not_significant", "increased", "decreased"].contains(entities.slice ?? "") { entities.slice = "all" }
            intent = context.intents.intent(.significantExperiments) ?? intent
        }
        // Users across experiments ("total users across all running experiments") need no single experiment.
        var acrossExperiments = entities.experiments.isEmpty
            && ((intent.id == .sampleSize && (entities.counting || entities.total || entities.groupBy != nil)) || intent.id == .power && (entities.status != nil || entities.owner != nil || text.containsExactly("experiments") || text.words.contains("every")) || intent.id == .guardrails || intent.id == .health || acrossValues)
        // "experiments started since …": about experiments in general, not one of them.
        let aboutArms = text.words.contains { ["arm", "arms", "variant", "variants", "treatments", "treatment", "variations", "team", "teams"].contains($0) }
            || zip(text.words, text.words.dropFirst()).contains { $0.0 == "which" && ["experiment", "test"].contains($0.1) }
        if !acrossExperiments, intent.needs != .nothing, entities.experiments.isEmpty, text.containsExactly("experiments") || entities.owner != nil || aboutArms {
            intent = context.intents.intent(.listExperiments) ?? intent
            // "Assigned users for running experiments": each experiment's users.
            if text.words.contains(where: { ["assigned", "enrolled", "participants", "bucketed", "sample"].contains($0) }),
               text.words.contains(where: { ["users", "units", "people", "participants", "size", "sizes"].contains($0) }), !entities.counting, entities.groupBy == nil {
                entities.groupBy = "experiment_id"
                intent = context.intents.intent(.sampleSize) ?? intent
                acrossExperiments = true
            }
            let redirected = listRedirect(intent, text: text, entities: entities, context: context)
            if redirected.id != .results { intent = redirected }
        }
        // "Top 3 lifts", "worst performing test by lift", "slowest arm anywhere": a ranking across experiments needs none named.
        let rankingAcross = entities.experiments.isEmpty && entities.dates == nil
            && [.results, .conversion, .sampleSize, .power, .verdict, .significantExperiments, .health].contains(intent.id)
            && RankingQuery.parse(text.words, higherIsBetter: entities.metric?.direction != .decrease) != nil
        switch intent.needs {
        case .experiment, .twoExperiments:
            guard !entities.experiments.isEmpty || acrossExperiments || rankingAcross else {
                let known = context.experiments.map(\.id).joined(separator: ", ")
                return Plan(planner: name, intent: intent.id, sql: nil,
                            rationale: "Which experiment? I did not recognise one in the question. Experiments you can ask about: \(known.isEmpty ? "none" : known).",
                            entities: entities.description, suggestions: intent.examples + suggestions)
            }
            if intent.needs == .experiment, entities.tied.count > 1 {
                return Plan(planner: name, intent: intent.id, sql: nil,
                            rationale: "The question matches more than one experiment equally well: \(entities.tied.map(\.id).joined(separator: ", ")). Name the one you mean.",
                            entities: entities.description, suggestions: intent.examples)
            }
        case .nothing:
            break
        }
        if intent.id == .exposureQuality { entities.consumed.formUnion(entities.daily.consumed) }
        // "Which experiment has the biggest lift?": a ranking across experiments on the results table.
        let aboutStart = !Set(text.words).isDisjoint(with: ["created", "started", "launched", "began"])
            && !Set(text.words).isDisjoint(with: ["recently", "recent", "first", "earliest", "latest", "last", "newest", "oldest"])
        // "How many days was exposure under 90%, across all experiments?": the daily table, not a ranking of results.
        let aboutDays = !Set(text.words).isDisjoint(with: ["day", "days", "daily"]) && !Set(text.words).isDisjoint(with: ["exposure", "exposed", "assigned", "assignments"])
            && Set(text.words).isDisjoint(with: RulePlanner.liftWords.subtracting(["difference", "delta"]))
        if aboutDays, entities.experiments.isEmpty, [.results, .significantExperiments, .listExperiments].contains(intent.id) {
            intent = context.intents.intent(.exposureQuality) ?? intent
        }
        if entities.experiments.isEmpty, entities.groupOrder == nil, entities.groupRanking == nil, !aboutStart, !aboutDays, [.results, .listExperiments, .significantExperiments, .conversion, .guardrails, .power, .verdict, .sampleSize, .health].contains(intent.id),
           let ranking = RankingQuery.parse(text.words, higherIsBetter: entities.metric?.direction != .decrease) {
            entities.consumed.formUnion(ranking.consumed)
            entities.ranking = ranking
            intent = context.intents.intent(.significantExperiments) ?? intent
        }
        // "Is treatment_b better than treatment?", "is the large model slower than the small one?": the two arms'
        // values side by side. A lift, p-value or interval between them is not computed (each is against control).
        if intent.id == .results, entities.twoTreatments, !entities.experiments.isEmpty,
           text.words.allSatisfy({ !["lift", "lifts", "uplift", "significant", "significantly", "significance", "p-value", "pvalue", "p", "ci", "interval",
                                     "chance", "probability", "relative", "absolute", "difference", "delta", "effect"].contains($0) }) {
            intent = context.intents.intent(.conversion) ?? intent
        }
        // "Compare Model v2 small and Model v2 large on conversion lift": each arm's lift against control, side by side.
        let sideBySide = !Set(text.words).isDisjoint(with: ["compare", "comparing", "both", "each"]) || text.contains(phrase: ["side", "by", "side"])
        if intent.id == .results, entities.twoTreatments, !sideBySide {
            return Plan(planner: name, intent: intent.id, sql: nil,
                        rationale: "I compare each treatment arm with control, not treatment arms with each other, so I won't answer that as a lift. Ask for conversion by arm to see the arms side by side.",
                        entities: entities.description, suggestions: intent.examples + suggestions)
        }
        // Only the daily exposure table and the experiment list have dates; results are for the whole run.
        if entities.dates != nil, ![.exposureQuality, .listExperiments].contains(intent.id) {
            return Plan(planner: name, intent: intent.id, sql: nil,
                        rationale: "I can't answer that for particular days: what I understood (\(Self.clause(rationale(intent.id, entities)))) covers the whole experiment. Daily figures exist for exposure (ask for the exposure rate per day).",
                        entities: entities.description, suggestions: intent.examples + suggestions)
        }
        let unknown = AccountabilityGate.unknownWords(text, context: context, entities: entities)
        if !unknown.isEmpty {
            let quoted = unknown.map { "'\($0)'" }.joined(separator: ", ")
            let understood = rationale(intent.id, entities).trimmingCharacters(in: CharacterSet(charactersIn: "."))
            return Plan(planner: name, intent: intent.id, sql: nil,
                        rationale: "I don't know \(quoted), so I won't guess. What I understood: \(understood.prefix(1).lowercased() + understood.dropFirst()). Rephrase without \(unknown.count == 1 ? "it" : "them"), or ask one of the suggestions.",
                        entities: entities.description, suggestions: intent.examples + suggestions)
        }
        var sql = RulePlanner.sql(intent: intent.id, entities: entities)
        var compiledMeasure = false
        // A measure only the contract declares ("revenue per paying user"): compiled from its definition.
        if let measure = entities.measure, RulePlanner.declaredOnly(measure), entities.experiments.count == 1,
           [.conversion, .results, .sampleSize].contains(intent.id) {
            let metricID = entities.metric?.id ?? entities.experiments.first?.primaryMetric
            let kind = context.contract.metrics.first { $0.id == metricID }?.kind
            if !measure.metricKinds.isEmpty, let kind, !measure.metricKinds.contains(kind) {
                return Plan(planner: name, intent: intent.id, sql: nil,
                            rationale: "\(measure.name) is defined for \(measure.metricKinds.joined(separator: " and ")) metrics; name one (e.g. revenue) to get it.",
                            entities: entities.description, suggestions: intent.examples + suggestions)
            }
            intent = context.intents.intent(.conversion) ?? intent
            sql = RulePlanner.measureSQL(measure, entities: entities)
            compiledMeasure = true
        }
        // "Which has more users, signup flow or onboarding email?": the one that answers, by order.
        var described = entities.description
        if [.compare, .results, .sampleSize, .conversion].contains(intent.id), let word = WhichOfTwo.comparative(text.words, entities: entities) {
            sql = WhichOfTwo.sql(text.words, entities: entities)
            intent = context.intents.intent(.compare) ?? intent
            described["which_of"] = entities.experiments.map(\.id).joined(separator: ",")
            described["which_word"] = word
        }
        if compiledMeasure { described["measure_compiled"] = "true" }
        // "Which arm got more traffic?": the arms ranked by their users (the readout says so).
        if intent.id == .conversion, sql.contains("ORDER BY n_users") { described["ranked_by"] = sql.contains("ORDER BY n_users ASC") ? "fewest users" : "most users" }
        var because = rationale(intent.id, entities)
        // "How many days / experiments / arms / metrics": the count of what the reading lists.
        if entities.counting, let thing = CountedThing.parse(text.words), thing != .users,
           !sql.lowercased().contains("as \(thing.rawValue)"),
           let counted = RulePlanner.countSQL(thing, intent: intent.id, entities: entities, words: text.words, listing: sql) {
            sql = counted
            described["count"] = thing.rawValue
            described["count_of"] = RulePlanner.countDescription(thing, intent: intent.id, entities: entities, words: text.words)
                ?? because.trimmingCharacters(in: CharacterSet(charactersIn: "."))
            because = "The number of \(thing.rawValue): " + because.prefix(1).lowercased() + because.dropFirst()
        }
        let unhonoured = PlanCheck.unhonoured(text, intent: intent.id, entities: entities, sql: sql)
        if !unhonoured.isEmpty {
            let quoted = unhonoured.map { "'\($0)'" }.joined(separator: ", ")
            let understood = because.trimmingCharacters(in: CharacterSet(charactersIn: "."))
            return Plan(planner: name, intent: intent.id, sql: nil,
                        rationale: "I can answer: \(understood.prefix(1).lowercased() + understood.dropFirst()) — but not with \(quoted) applied, so I won't answer as if it were. Rephrase, or ask one of the suggestions.",
                        entities: described, suggestions: intent.examples + suggestions)
        }
        var plan = Plan(planner: name, intent: intent.id, sql: sql, rationale: because, entities: described)
        if intent.id == .power { plan.power = entities.power }
        return plan
    }

    /// "Which experiments owned by team-growth are winning?", "lift for running experiments": results, not the list.
    func listRedirect(_ intent: IntentCatalog.Intent, text: QuestionText, entities: Entities, context: PlannerContext) -> IntentCatalog.Intent {
        guard !entities.counting || [.experiments, .arms].contains(CountedThing.parse(text.words)) else { return intent }
        let words = Set(text.words)
        if !words.isDisjoint(with: ["srm", "health", "healthy", "unhealthy", "ratio", "mismatch", "blocked", "warning", "flagged"]) {
            return context.intents.intent(.health) ?? intent
        } else if !words.isDisjoint(with: ["significant", "significantly", "sig", "stat-sig", "statsig", "winning", "winners", "winner", "losing", "losers", "loser", "underpowered", "won", "lost", "lose"]) {
            return context.intents.intent(.significantExperiments) ?? intent
        } else if !words.isDisjoint(with: ["lift", "lifts", "uplift", "uplifts", "result", "results", "impact", "effect", "p-value", "pvalue"]) {
            return context.intents.intent(.results) ?? intent
        } else if !words.isDisjoint(with: ["power", "powered"]), entities.experiments.isEmpty {
            return context.intents.intent(.power) ?? intent
        } else if entities.metric != nil || !words.isDisjoint(with: ["cvr", "arpu"]) || text.contains(phrase: ["conversion", "rate"]) {
            // "Conversion rate per arm for all shipped experiments", "total revenue per team": the metric's values.
            return context.intents.intent(.conversion) ?? intent
        }
        return intent
    }

    func bestIntent(_ text: QuestionText, context: PlannerContext, entities: Entities) -> IntentCatalog.Intent? {
        var best: (IntentCatalog.Intent, Int)?
        // Words that named the experiment are not requests: "recomendations model v2" is not "recommendation".
        // A name word is part of the name when it stands next to another of the experiment's words
        // ("recommendations model v2"); alone ("the recommendation for recs model v2") it is a request.
        let named = Set(entities.experiments.flatMap(\.words))
        let isNamed = { (position: Int) -> Bool in
            let word = text.words[position]
            guard entities.consumed.contains(word), named.contains(where: { QuestionText.matches(word, $0, fuzzy: $0.count >= 7) }) else { return false }
            let neighbours = [position - 1, position + 1].filter { text.words.indices.contains($0) }.map { text.words[$0] }
            let idWords = entities.experiments.flatMap { QuestionText($0.id.replacingOccurrences(of: "_", with: " ")).words }
            return idWords.contains(word) || neighbours.contains { neighbour in named.contains { QuestionText.matches(neighbour, $0, fuzzy: $0.count >= 7) } }
        }
        let request = QuestionText(text.words.indices.filter { !isNamed($0) }.map { text.words[$0] }.joined(separator: " "))
        for intent in context.intents.intents {
            var score = 0
            for phrase in intent.phrases where request.contains(phrase: phrase) {
                score = max(score, phrase.count * 2)
            }
            if score > 0, intent.id == .compare, entities.experiments.count >= 2 { score += 2 }
            // An intent whose entity is missing loses ties to one that needs nothing.
            if score > 0, intent.needs != .nothing, entities.experiments.isEmpty { score -= 1 }
            if score > 0, score > (best?.1 ?? 0) { best = (intent, score) }
        }
        if let best { return best.0 }
        // A bare experiment mention reads as "how is it doing?"; "experiments" alone as a list.
        if !entities.experiments.isEmpty { return context.intents.intent(.results) }
        if text.containsExactly("experiments") || entities.status != nil || entities.owner != nil || entities.groupBy != nil { return context.intents.intent(.listExperiments) }
        // "Top 3 arms by revenue per user", "which arm is the slowest to load?": arms across experiments.
        if text.words.contains(where: { ["arm", "arms", "variant", "variants", "team", "teams"].contains($0) }) { return context.intents.intent(.listExperiments) }
        return nil
    }

    /// A sentence used inside another: its first letter lower-cased (unless an acronym starts it), no final period.
    static func clause(_ sentence: String) -> String {
        var text = sentence.hasSuffix(".") ? String(sentence.dropLast()) : sentence
        if let first = text.first, first.isUppercase, !(text.dropFirst().first?.isUppercase ?? false) {
            text = first.lowercased() + text.dropFirst()
        }
        return text
    }

    func rationale(_ intent: IntentID, _ entities: Entities) -> String {
        let experiment = entities.experiments.first?.id ?? "every experiment"
        switch intent {
        case .results: return "Lift of \(experiment) on \(entities.metric?.id ?? "its primary metric") (\(entities.mode.uppercased())), from the per-variant sufficient statistics."
        case .conversion: return "Conversion by variant for \(experiment) (\(entities.mode.uppercased()))."
        case .sampleSize, .health: return "Units per variant of \(experiment) with the planned allocation, for the sample-ratio check."
        case .exposureQuality: return "Daily exposure quality of \(experiment)."
        case .guardrails: return "Guardrail metrics of \(experiment) against control."
        case .details: return "The registry entry of \(experiment)."
        case .compare: return "Primary-metric results of \(entities.experiments.map(\.id).joined(separator: " and "))."
        case .listExperiments: return "Experiments\(entities.status.map { " with status \($0)" } ?? "")\(entities.owner.map { " owned by \($0)" } ?? "")."
        case .significantExperiments: return "Experiments by significance of their primary metric."
        case .metrics: return "The metric catalogue."
        case .power: return "The power check of \(experiment): the power it has now and the users per arm the configured minimum detectable effect needs."
        case .verdict: return entities.experiments.isEmpty ? "The decision on every experiment." : "The decision on \(experiment): verdict, health, guardrails, power and reasons."
        case .assets: return "The assets you may query."
        }
    }
}
