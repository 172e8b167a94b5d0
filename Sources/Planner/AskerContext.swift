import Foundation

/// Chat requests often open with a sentence about the asker's own work: "I'm drafting the memo for
/// the signup flow test. What was its exposure rate on October 9th?" Its words ("drafting", "memo")
/// are not part of the request, but the experiment it names is what "its" refers to. Such a sentence
/// is reduced to the experiments it names — only when everything else in it is plainly about the
/// asker: no word the planner answers in (a measure, metric, arm, mode, date, number, order), no word
/// that would narrow or change the answer ("mobile", "only", "excluding", "weekly", "median") and no
/// proper name ("Germany"). Anything else keeps the sentence whole, so the accountability gate still
/// declines what it cannot apply. Precision first: a context sentence is never dropped if it could
/// have been a constraint.
enum AskerContext {
    /// Words that mark a sentence as being about who asks and why.
    static let markers: Set<String> = ["i", "im", "we", "were", "our", "my", "me", "us", "someone", "somebody", "context", "background",
                                       "fyi", "before", "hi", "hello", "hey", "quick"]

    /// Words that could narrow the population, change the grain or the statistic, or set a condition:
    /// in a sentence of their own they may be a constraint, so the sentence is kept for the gate to judge.
    static let restrictive: Set<String> = [
        "only", "just", "except", "excluding", "exclude", "excluded", "without", "not", "no", "ignore", "ignoring", "remove", "removing",
        "mobile", "desktop", "tablet", "ios", "android", "app", "apps", "web", "browser", "browsers", "device", "devices", "platform",
        "platforms", "country", "countries", "region", "regions", "regional", "geo", "geography", "market", "markets", "locale", "language",
        "city", "cities", "new", "returning", "existing", "premium", "paid", "paying", "logged", "anonymous", "guest", "guests", "bots",
        "internal", "employees", "segment", "segments", "segmented", "cohort", "cohorts", "tier", "tiers", "plan", "plans", "enterprise",
        "customers", "customer", "subscribers", "hourly", "hour", "hours", "weekly", "week", "weeks", "monthly", "month", "months",
        "quarter", "quarterly", "year", "yearly", "annual", "weekend", "weekends", "weekday", "weekdays", "daily", "median", "percentile",
        "percentiles", "quantile", "p90", "p95", "p99", "distribution", "histogram", "outliers", "outlier", "trimmed", "winsorized",
        "capped", "baseline", "previous", "prior", "last", "yesterday", "today", "compared", "versus", "vs", "split", "breakdown",
        "by", "per", "among", "where", "when", "if", "unless", "instead", "rather", "assume", "assuming", "suppose", "pretend", "hypothetically",
        "absolute", "relative", "adjusted", "raw", "pooled", "cuped", "bayesian", "frequentist", "sequential", "exposed", "saw", "seen",
        "itt", "intent", "treated", "control", "treatment", "arm", "arms", "variant", "variants", "first", "second", "third", "top", "bottom",
        "best", "worst", "highest", "lowest", "most", "least", "above", "below", "more", "less", "than", "between", "since",
        "after", "until", "through", "during",
    ]

    /// Words that narrow the population asked about ("mobile", "new users", "excluding bots"): a chat
    /// sentence holding one is never set aside as greeting or context.
    static let narrowing: Set<String> = [
        "only", "except", "excluding", "exclude", "excluded", "without", "ignore", "ignoring", "mobile", "desktop", "tablet", "ios",
        "android", "app", "apps", "web", "browser", "browsers", "device", "devices", "platform", "platforms", "country", "countries",
        "region", "regions", "regional", "geo", "market", "markets", "locale", "language", "city", "cities", "returning",
        "existing", "premium", "paid", "paying", "logged", "anonymous", "guest", "guests", "bots", "internal", "employees", "segment",
        "segments", "cohort", "cohorts", "tier", "tiers", "enterprise", "customers", "subscribers", "absolute", "relative", "adjusted",
        "raw", "pooled", "exposed", "median", "percentile",
    ]

    /// Whether a narrowing word is present that is not a team's name ("the platform team").
    static func narrows(_ words: [String]) -> Bool {
        words.indices.contains { index in
            narrowing.contains(words[index]) && !(index + 1 < words.count && ["team", "teams", "guild", "squad"].contains(words[index + 1]))
        }
    }

    /// Words about the asker's topic that never narrow a request ("a slide on sample sizes").
    static let topic: Set<String> = ["review", "readout", "results", "result", "numbers", "number", "analysis", "data", "report",
                                     "summary", "sample", "size", "sizes", "experiment", "experiments", "test", "tests", "team", "teams",
                                     "question", "questions", "metrics", "metric", "stats", "figures"]

    /// The question with each asker-context sentence reduced to the experiments it names (or dropped
    /// when it names none); the question unchanged when no sentence qualifies.
    static func reduced(_ question: String, substantive: Set<String>, known: Set<String>, context: PlannerContext) -> String {
        let parts = QuestionText.parts(of: question, at: [".", "!", "?", ";", ":", "—", "–", "\n"]).filter { !QuestionText($0).words.isEmpty }
        guard parts.count > 1 else {
            return parts.first.flatMap { reportedRequest($0, substantive: substantive, known: known, context: context) } ?? question
        }
        let partWords = parts.map { QuestionText($0).words.map { $0 == "i'm" ? "im" : (Speller.correction($0, known: known) ?? $0) } }
        // Only a sentence about the asker or one reporting someone's request can be set aside; most questions have
        // neither, and then no sentence's entities need recognising.
        guard partWords.contains(where: { !Set($0).isDisjoint(with: markers) })
            || parts.contains(where: { $0.range(of: reportingPattern, options: [.regularExpression, .caseInsensitive]) != nil }) else { return question }
        let judged = zip(parts, partWords).map { part, words -> (part: String, words: [String], experiments: [ExperimentEntity], named: Set<String>) in
            let entities = EntityRecognizer.recognise(QuestionText(original: part, words: words), context: context)
            let named = entities.experiments.reduce(into: Set<String>()) { $0.formUnion($1.words) }.union(entities.consumed)
            return (part, words, entities.experiments, named)
        }
        var changed = false
        var result: [String] = []
        for (index, entry) in judged.enumerated() {
            if let request = reportedRequest(entry.part, substantive: substantive, known: known, context: context) {
                changed = true
                result.append(request)
                continue
            }
            let others = judged.enumerated().filter { $0.offset != index }.map(\.element)
            // Another sentence must carry the request: a word the planner answers in beyond experiment names.
            let requestElsewhere = others.contains { other in
                other.words.contains { substantive.contains($0) && !SocialContext.weak.contains($0) && !other.named.contains($0) && !topic.contains($0) }
            }
            guard requestElsewhere, isAskerContext(entry.part, words: entry.words, named: entry.named, substantive: substantive) else {
                result.append(entry.part)
                continue
            }
            // Naming another experiment than the request does is not context: keep it, so the gate judges it.
            let askedExperiments = Set(others.flatMap { $0.experiments.map(\.id) })
            let contextExperiments = entry.experiments.map(\.id)
            if !askedExperiments.isEmpty, !contextExperiments.isEmpty, !Set(contextExperiments).isSubset(of: askedExperiments) {
                result.append(entry.part)
                continue
            }
            changed = true
            if !contextExperiments.isEmpty, askedExperiments.isEmpty { result.append(contextExperiments.joined(separator: " and ")) }
            // "I'm on team-growth … what are the verdicts on our team's experiments?": the team the context names.
            let owners = Set(context.experiments.map(\.owner))
            if let owner = entry.words.first(where: owners.contains),
               others.contains(where: { other in zip(other.words, other.words.dropFirst()).contains { ["our", "my"].contains($0.0) && ["team", "teams", "team's"].contains($0.1) } }) {
                result.append("owned by \(owner)")
            }
        }
        guard changed, !result.isEmpty else { return question }
        return result.joined(separator: ". ")
    }

    /// How a request made by someone else is reported: "wants to see", "asked", "would like to know".
    static let reportingPattern = #"\b(wants|want|wanted|needs|need|would like|asked|asks|is asking|was asking|are asking|is wondering|wonders|wondered|would love)( me| us)?( to (know|see|find out|check|understand|get|confirm|hear|learn))?\b"#

    /// "A director wants to see which experiments …", "my manager asked whether …": the request another
    /// person made, without who made it — when the reporter names nothing that could be a constraint.
    static func reportedRequest(_ part: String, substantive: Set<String>, known: Set<String>, context: PlannerContext) -> String? {
        guard let match = part.range(of: reportingPattern, options: [.regularExpression, .caseInsensitive]) else { return nil }
        let reporter = String(part[part.startIndex..<match.lowerBound])
        let request = String(part[match.upperBound...])
        let requestWords = QuestionText(request).words
        let reporterWords = QuestionText(reporter).words.map { Speller.correction($0, known: known) ?? $0 }
        guard !reporterWords.isEmpty, requestWords.count >= 2 else { return nil }
        // "Which experiment needs the largest sample?": the question's own verb, not someone's request.
        if ["which", "what", "how", "when", "where", "whose", "does", "do", "did", "is", "are", "will", "can"].contains(reporterWords[0]) { return nil }
        let requestNamesExperiment = !EntityRecognizer.recognise(QuestionText(request), context: context).experiments.isEmpty
        let owners = Set(context.experiments.flatMap { QuestionText($0.owner).words })
        for (index, word) in reporterWords.enumerated() {
            let teamName = index + 1 < reporterWords.count && ["team", "teams", "guild", "squad"].contains(reporterWords[index + 1])
            if word.first?.isNumber == true || (restrictive.contains(word) && !teamName) { return nil }
            if AccountabilityGate.fillers.contains(word) || markers.contains(word) || SocialContext.markers.contains(word) || SocialContext.weak.contains(word) { continue }
            // "A PM on the growth team wants to know … about the signup flow test": a team as the asker, when the request names its experiment.
            if owners.contains(word), requestNamesExperiment { continue }
            if substantive.contains(word) { return nil }
        }
        return containsProperName(reporter) ? nil : request
    }

    static func isAskerContext(_ part: String, words: [String], named: Set<String>, substantive: Set<String>) -> Bool {
        guard words.contains(where: markers.contains) else { return false }
        for (index, word) in words.enumerated() where !named.contains(word) {
            // "The platform team" names a team, not a platform.
            let teamName = index + 1 < words.count && ["team", "teams", "guild", "squad"].contains(words[index + 1])
            if word.first?.isNumber == true || (restrictive.contains(word) && !teamName) { return false }
            if AccountabilityGate.fillers.contains(word) || markers.contains(word) || SocialContext.markers.contains(word)
                || SocialContext.weak.contains(word) || topic.contains(word) { continue }
            // "the perf-alerts bot": the tool's name, however its words read.
            if index + 1 < words.count, tools.contains(words[index + 1]) { continue }
            if substantive.contains(word) { return false }
        }
        return !containsProperName(part)
    }

    static let weekdays: Set<String> = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let tools: Set<String> = ["bot", "assistant", "channel", "doc", "docs", "workspace", "thread", "digest", "dashboard", "standup",
                                     "sync", "meeting", "review", "deck", "summary", "report", "integration", "app", "page", "notebook"]

    /// A capitalised word after the first ("in Germany", "for Acme") that is not "I", a month or an acronym.
    static func containsProperName(_ part: String) -> Bool {
        let tokens = part.split(whereSeparator: { !$0.isLetter && $0 != "'" }).map(String.init)
        let greetings: Set<String> = ["hi", "hey", "hello", "thanks", "thank", "cheers", "dear", "morning", "you", "ok", "okay"]
        for (index, token) in tokens.enumerated().dropFirst() {
            guard let first = token.first, first.isUppercase, token.count > 1 else { continue }
            // "Hi Sam", "Thanks Readout": the one addressed, not a constraint.
            if greetings.contains(tokens[index - 1].lowercased()) { continue }
            if token.allSatisfy({ $0.isUppercase || $0.isNumber }) { continue }
            let lower = token.lowercased()
            if ["i'm", "i've", "i'd", "i'll"].contains(lower) || DateRange.months[lower] != nil || weekdays.contains(lower) { continue }
            // "A question from Priya", "relaying for Sam": the person asking, not a constraint.
            if index > 1, ["from", "for"].contains(tokens[index - 1].lowercased()),
               ["question", "questions", "request", "requests", "relaying", "relay", "ask", "asks", "message"].contains(tokens[index - 2].lowercased()) { continue }
            // "the Slack bot", "our Notion doc": a tool the asker uses, named before what it is.
            if index + 1 < tokens.count, tools.contains(tokens[index + 1].lowercased()) { continue }
            return true
        }
        return false
    }
}
