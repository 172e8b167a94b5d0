import Foundation
import Semantic

/// Precision first: every content word of a question must be understood — consumed by an
/// entity (experiment, metric, variant, status, owner, date, mode), by the vocabulary the
/// planner answers in, or be a known filler. A word left over ("country", "retention",
/// "mobile") means the planner would answer a different question, so it declines and says
/// which words it did not understand.
enum AccountabilityGate {
    /// Function words and conversational filler that carry no request of their own.
    static let fillers: Set<String> = [
        "a", "an", "the", "of", "in", "on", "at", "for", "to", "with", "by", "about", "into", "across", "among", "over", "than",
        "and", "or", "but", "so", "vs", "versus", "between", "per", "each", "every", "all", "any", "both", "either", "its", "it", "this",
        "that", "these", "those", "there", "here", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done",
        "has", "have", "had", "having", "what", "whats", "which", "who", "whom", "whose", "when", "where", "why", "how", "much", "many",
        "me", "my", "our", "we", "us", "you", "your", "i", "they", "them", "their", "he", "she", "please", "pls", "can", "could",
        "would", "will", "should", "shall", "may", "might", "must", "show", "tell", "give", "get", "got", "see", "look", "looking",
        "let", "lets", "know", "want", "need", "like", "just", "so", "far", "now", "right", "currently", "current", "latest", "today",
        "overall", "hey", "hi", "ok", "okay", "quick", "quickly", "question", "some", "same", "also", "too", "only", "just", "still",
        "yet", "already", "ever", "as", "if", "then", "not", "no", "yes", "again", "up", "out", "s", "t", "doing", "going", "gone",
        "sure", "really", "actually", "exactly", "please", "thanks", "thank", "find", "report", "summary", "summarize", "summarise",
        "list", "display", "check", "checking", "looks", "numbers", "number", "figures", "stats", "status", "statuses", "data", "info", "information",
        "tested", "testing", "running", "run", "ran", "live", "one", "ones", "there", "exp", "experiment", "experiments", "test", "tests",
        "ab", "a/b", "split", "study", "program", "feature", "version", "because", "re", "ve", "ll", "d", "m", "used", "use", "hello",
        "hiya", "greetings", "under", "kind", "kindly", "through", "via", "wondering", "curious", "tell", "could", "you",
        // Contractions of "not" as the tokenizer splits them ("don't" → "don", "t"), and plain speech.
        "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "haven", "hasn", "hadn", "won", "wouldn", "couldn", "shouldn", "even",
        "say", "says", "said", "show", "shows", "showed", "shown", "happen", "happened", "happening", "two", "three", "our", "we've",
        "keeping", "keep", "kept", "showing", "carry", "carries", "reference", "offer", "offers", "everything",
        "behind", "able", "things", "thing", "asking", "together", "alongside", "getting", "moment", "e", "ie", "eg", "i",
        // How chat requests ask for the form of an answer; they never change what is asked.
        "reply", "briefly", "brief", "concisely", "concise", "short", "plain", "fine", "plenty", "verbatim", "line", "bullet", "enough",
        "advance", "return", "format", "formatted", "paste", "post", "posting", "relay", "relaying", "forward", "forwarding",
        "bot", "assistant", "chatbot", "kindly", "cheers", "appreciated", "appreciate", "asap", "sec", "second", "minute", "minutes",
        "real", "actual", "exact", "exactly", "precise", "round", "rounded", "rounding", "figure", "value", "digits", "pull", "fetch", "currently", "each", "one", "ones",
    ]

    /// How chat tools and busy people frame a request — who relays it, for whom, for which document,
    /// in what form. They never narrow or change what is asked, so they are understood as framing
    /// (a word that could be a constraint or a dimension — "weekly", "mobile", "only", "channel",
    /// "marketing", "sales", "support tickets" — is not among them).
    static let framing: Set<String> = [
        // Who asks or relays.
        "pm", "pms", "vp", "vps", "cfo", "ceo", "cto", "coo", "cpo", "exec", "execs", "executive", "executives", "director", "directors",
        "manager", "managers", "lead", "leads", "head", "analyst", "analysts", "scientist", "scientists", "engineer", "engineers",
        "author", "stakeholder", "stakeholders", "leadership", "colleague", "colleagues", "boss", "founder",
        "designer", "finance", "legal", "success", "customer-success", "ops",
        "operations", "squad", "guild", "council", "committee", "bot", "bots", "assistant", "assistants", "helper",
        "agent", "copilot", "ai", "llm", "job", "cron", "engine", "scheduled", "schedule", "automated", "automation", "integration", "webhook",
        "on-call", "oncall", "relaying", "relay", "relayed", "view", "reviewing", "auditing", "triaging", "drafting", "writing", "preparing",
        "compiling", "validating", "summarizing", "summarising", "putting", "building", "updating", "checking", "double-checking", "sanity", "prepping", "prepped",
        "ahead", "anyway", "context", "background", "fyi", "forwarding", "forwarded", "behalf", "asked", "asks", "asking", "wants", "wanted",
        "someone", "somebody", "here", "from", "via", "trying", "roughly", "whatever", "y", "n", "marked", "full",
        // For which document or meeting.
        "doc", "docs", "document", "deck", "slide", "slides", "digest", "memo", "memos", "newsletter", "notes", "note", "writeup",
        "write-up", "retro", "retrospective", "postmortem", "post-mortem", "standup", "stand-up", "sync", "meeting", "offsite",
        "all-hands", "townhall", "thread", "dashboard", "tile", "okr", "okrs", "qbr", "planning", "prep",
        "presentation", "briefing", "brief", "recap", "readme", "wiki", "announcement", "announcements",
        // In what form.
        "commentary", "comments", "table", "tabular", "bullets", "bullet", "points", "one-liner", "one-line", "oneliner", "sentence",
        "sentences", "separately", "markdown", "csv", "json", "caveats", "explanation", "explain", "tldr", "tl", "dr",
        "fyi", "btw", "tbh", "imo", "asap", "thx", "ty", "chat", "slack", "update",
        // What the answer is for: documents, meetings, occasions.
        "roadmap", "appendix", "celebrate", "celebrating", "merchandising", "incident", "incidents", "timeline", "postmortems", "chasing",
        "sprint", "qa", "sign-off", "signoff", "request", "org", "pnl", "flag", "flagging", "escalation", "runbook", "handoff", "hand-off", "analytics", "product", "products",
        "auditor", "auditors", "audit", "basically", "quote", "quoting", "reassure", "merchant", "merchants", "replying", "reply", "customer-care",
        "support",
        "perf", "paged", "paging", "route", "routing", "board", "saying", "stuff", "atm", "nah", "nope", "dumb", "sorry",
        "morning",
    ]

    /// The words the planner answers in: measures, dimensions, modes and comparisons it knows.
    static let vocabulary: Set<String> = [
        "newest", "oldest", "rely", "relies", "breakdown", "arm-level", "variant-level", "unhealthy", "everywhere", "anywhere", "slowed", "dipped", "dip", "dips", "showed", "shows", "showing",
        "secondary", "minus", "expected", "actual", "configured", "lift", "lifts", "uplift", "uplifts", "relative", "absolute", "difference", "delta", "effect", "impact", "result", "results",
        "conversion", "conversions", "convert", "converts", "converted", "converting", "cvr", "rate", "rates", "revenue", "arpu",
        "p", "pvalue", "p-value", "value", "values", "significant", "significance", "stat", "sig", "statistically", "confidence",
        "interval", "intervals", "ci", "cis", "chance", "beat", "beats", "beating", "win", "wins", "winning", "winner", "winners",
        "lose", "losing", "loser", "losers", "lost", "won", "better", "worse", "arm", "arms", "variant", "variants", "variation",
        "variations", "control", "treatment", "treatments", "group", "users", "user", "units", "unit", "sample", "size", "sizes",
        "assigned", "enrolled", "participants", "traffic", "exposed", "exposure", "exposures", "saw", "seen", "itt", "intent",
        "treat", "guardrail", "guardrails", "latency", "refund", "refunds", "srm", "ratio", "mismatch", "mismatches", "health",
        "healthy", "balanced", "imbalance", "allocation", "power", "powered", "underpowered", "verdict", "verdicts", "decision",
        "decisions", "recommendation", "recommend", "recommending", "recommends", "recommended", "ship", "launch", "launchable", "rollback", "roll", "back", "hold", "day", "days",
        "daily", "date", "dates", "trend", "over", "time", "logging", "broken", "quality", "valid", "worst", "best", "compare",
        "comparison", "side", "metric", "metrics", "kpi", "kpis", "primary", "hypothesis", "details", "detail", "describe", "owner",
        "owned", "owns", "team", "started", "start", "end", "ended", "since", "draft", "review", "shipped", "killed", "readout",
        "assets", "tables", "available", "schema", "datasets", "answer", "ask", "doing", "perform", "performing", "performed", "how",
        "harm", "regression", "regressions", "safe", "safety", "did", "page", "load", "ms", "more", "less", "higher", "lower",
        "problem", "problems", "issue", "issues", "failing", "fail", "fails", "failed", "defined", "define", "track", "tracked",
        "tracking", "query", "queries", "anything", "something", "going", "happening", "work", "working", "worked", "change", "changes",
        "active", "ongoing", "underway", "created", "creation", "state", "stage", "teams", "owners", "populations", "population",
        "triggered", "total", "sum", "allocated", "counts", "sizes", "mean", "means", "average", "averages", "avg", "allowed",
        "permitted", "access", "adjusted", "corrected", "correction", "move", "moved", "moves", "terms",
        "increased", "increase", "increases", "raised", "grew", "boosted", "decreased", "decrease", "decreases", "reduced", "reduce",
        "reduces", "lowered", "dropped", "p-val", "pval", "val", "z-test", "z", "ztest", "welch", "t-test", "holm", "holm-adjusted",
        "bh", "bonferroni", "benjamini", "hochberg", "reach", "reached", "reaches", "cuped", "variance", "theta", "remove", "removed", "reduction",
        "add", "added", "adds", "badge", "badges", "analysis", "analyses", "make", "made", "makes", "pages", "log", "logged", "logs",
        "people", "persons", "rank", "ranked", "sort", "sorted", "whole", "entire", "blocked", "warning", "warnings",
        "ended", "finished", "completed", "concluded", "pre-assignment", "pre", "assignment", "pooled", "overall", "combined", "method", "methods", "delta-method",
        "no-go", "nogo", "stat-sig", "statsig", "cut", "cuts", "share", "proportion", "fraction", "percentage", "percent", "probability",
        "likelihood", "odds", "take", "took", "achieved", "achieve", "bigger", "smaller", "larger", "breach", "breaches", "breached",
        "violated", "violation", "violations", "tripped", "rolled", "rolling", "dip", "dipped", "fell", "fall", "slowest", "fastest",
        "loser", "losers", "up", "down", "went", "go", "goes",
        // Words the order, threshold and aggregate readers consume (so typo correction never rewrites them).
        "smallest", "largest", "biggest", "highest", "lowest", "least", "most", "fewest", "best", "top", "maximum", "minimum", "max", "min",
        "strongest", "weakest", "peak", "below", "above", "exceeding", "exceeds", "greater", "fewer", "first", "second", "third", "fourth",
        "which", "ranking", "outside", "window", "multi", "multiple", "valid", "invalid", "detect", "detectable", "long", "longer",
        "duration", "mde", "minimum", "point", "points", "pp", "bucketed", "bucket", "buckets", "cohort", "cohorts", "enroll", "enrolls",
        "drop", "drops", "beaten", "busiest", "quietest", "assign", "assigns", "assignments", "positive", "negative", "came", "come",
        "put", "anywhere", "grouped", "counting", "off", "bottom", "hit", "reaching", "upper", "bound", "bounds", "reasons", "reason",
        "adequately", "adequate", "enough", "sufficiently", "sufficient", "severe", "severely", "bought", "purchased", "buyers",
        "purchasers", "holding", "launching", "during", "produce", "produced", "produces", "improvement", "improvements", "improve",
        "improved", "improves", "raise", "trending", "lifted", "boost", "drive", "drove", "driven", "generate", "generated", "yield",
        "yielded", "deliver", "delivered", "whether", "q", "direction", "directions", "recently", "recent", "flagged", "sitting", "insignificant", "inconclusive", "zero", "include", "includes", "cross", "crosses",
        "pass", "passes", "passed", "passing", "hurting", "hurt", "hurts", "harming", "harms", "harmed", "worsened", "worsen", "worsening", "enrollment", "enrollments", "enrolment", "based", "basis", "name", "names", "named", "checked",
        "unchecked", "onward", "onwards", "owning", "descending", "ascending", "limit", "milliseconds", "millisecond", "bayesian", "dim", "earns", "earn", "earned", "brings", "bring", "brought", "judged", "measured",
        "idea", "alpha", "ids", "raw", "unadjusted", "within", "lack", "clear", "cleared", "noise", "noisy", "fluke", "wide", "width", "narrow",
        "plus", "meaning", "classed", "classified", "situation",
    ]

    static let dateWords: Set<String> = [
        "yesterday", "last", "week", "weeks", "month", "months", "after", "before", "until", "through", "on", "since", "between",
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "jun", "june", "jul", "july", "aug", "august", "sep",
        "sept", "september", "oct", "october", "nov", "november", "dec", "december", "st", "nd", "rd", "th",
    ]

    /// Words that turn a condition around or take something out ("not running", "excluding the
    /// draft", "never exposed", "without control"). Skipping one answers the opposite question, so
    /// none is filler: each occurrence must be read by a construct that applies it (see
    /// ``unappliedNegations(_:entities:)``), or the planner declines and names it.
    static let negations: Set<String> = [
        "not", "no", "never", "without", "except", "excluding", "excl", "exclude", "excludes", "excluded", "besides",
        "ignoring", "ignore", "non", "nor", "neither", "none", "isn", "aren", "wasn", "weren", "don", "doesn", "didn",
        "haven", "hasn", "hadn",
    ]

    /// Ranks other than the first ("the second highest", "3rd lowest"): the planner answers the top
    /// row, so an ordinal before a superlative is a different question.
    static let ordinals: Set<String> = ["second", "third", "fourth", "fifth", "2nd", "3rd", "4th", "5th", "next"]
    static let superlatives: Set<String> = [
        "highest", "lowest", "best", "worst", "biggest", "smallest", "largest", "most", "least", "top", "bottom", "fastest",
        "slowest", "strongest", "weakest", "greatest", "longest", "shortest", "worst-performing", "best-performing",
    ]

    /// The negations, exclusions and ranks in `words` that no construct of the planner applies: each
    /// is reported as not understood. A negation is applied when it is part of a reading the planner
    /// has — "not significant", "not enough power", "not ok", "no data", "never exposed", "not
    /// started", "not checked" — or only frames a yes/no question ("… or not?", "yes or no").
    static func unappliedNegations(_ words: [String], entities: Entities) -> [String] {
        var unapplied: [String] = []
        func add(_ word: String) { if !unapplied.contains(word) { unapplied.append(word) } }
        for (index, word) in words.enumerated() {
            let previous = index > 0 ? words[index - 1] : ""
            let next = index + 1 < words.count ? words[index + 1] : ""
            let following = Array(words[min(index + 1, words.count)...].prefix(3))
            if ordinals.contains(word), words[min(index + 1, words.count)...].prefix(2).contains(where: superlatives.contains) {
                add(word)
                continue
            }
            // "Other than checkout", "apart from the draft", "aside from pricing": an exclusion.
            if ["other", "apart", "aside"].contains(word), ["than", "from"].contains(next) {
                add(word)
                continue
            }
            // "Same for pricing", "same breakdown as before", "like last time": a reference to an earlier question
            // this one does not carry (each question is answered on its own).
            if word == "same", index == 0 || ["for", "as", "breakdown", "thing", "numbers", "question", "query", "again", "please", "but", "table", "view"].contains(next) {
                add("same")
                continue
            }
            if ["as", "like"].contains(previous), ["before", "above", "earlier", "previously"].contains(word),
               index + 1 >= words.count || !(DateRange.months[next] != nil || next.first?.isNumber == true) {
                add("\(previous) \(word)")
                continue
            }
            // "All but the first day", "all but one": everything except something.
            if word == "but", ["all", "anything", "everything", "any"].contains(previous) {
                add("\(previous) but")
                continue
            }
            // "Ratio of treatment to control": only the sample ratio (SRM) is a ratio the planner knows.
            if word == "ratio", !["sample", "split", "allocation", "traffic", "srm"].contains(previous), !words.contains("srm"), !words.contains("mismatch") {
                add(word)
                continue
            }
            guard negations.contains(word) else { continue }
            // The part of a hyphenated word the planner knows as a whole ("no-go").
            if index > 0, previous.contains("-"), previous.split(separator: "-").contains(Substring(word)) { continue }
            // "… or not?", "yes or no", "yes/no", "whether or not": how a yes/no question is asked.
            if ["not", "no"].contains(word), previous == "or" || previous == "yes" || next == "or" { continue }
            // "Not sure whether …", "I do not know if …": the asker's doubt.
            if word == "not", ["sure", "certain", "know", "understand", "clear"].contains(next), !["significant", "enough"].contains(where: following.dropFirst().contains) { continue }
            // "No. of users": number.
            if word == "no", next == "of" { continue }
            if word == "not", next == "significant", entities.slice == "not_significant" { continue }
            if word == "not", entities.slice == "underpowered", following.contains("enough") || following.contains("powered") { continue }
            if word == "not", ["ok", "okay"].contains(next), entities.asksForFailures { continue }
            if word == "no", following.prefix(2).contains(where: ["data", "no_data"].contains) { continue }
            // "No commentary", "no summary needed": the form of the answer.
            if word == "no", ["commentary", "comments", "comment", "summary", "explanation", "explanations", "caveats", "prose", "narrative",
                              "fluff", "chit-chat", "chitchat", "preamble", "intro", "text", "extra"].contains(next) { continue }
            if ["not", "never", "weren", "wasn"].contains(word), following.contains(where: ["checked", "check"].contains) { continue }
            if ["not", "never", "hasn", "haven"].contains(word), following.contains(where: ["started", "launched", "begun", "start", "begin"].contains) { continue }
            if word == "never", entities.assignedAndExposed { continue }
            // "Experiments that are not running": applied as every status but that one (PlanCheck makes sure the SQL does).
            if ["not", "no"].contains(word), entities.statusNegated, let status = entities.status, let names = Entities.statusWords[status],
               following.contains(where: names.contains) { continue }
            add(word)
        }
        return unapplied
    }

    /// The question's words the planner did not understand (empty when it understood all).
    static func unknownWords(_ text: QuestionText, context: PlannerContext, entities: Entities) -> [String] {
        let unapplied = unappliedNegations(text.words, entities: entities)
        var known = knownWords(context).union(entities.consumed).union(toolNames(text.original)).union(relayedFor(text.original))
        if let variant = entities.variant { known.formUnion(QuestionText(variant.replacingOccurrences(of: "_", with: " ")).words) }
        // "the new checkout button", "the new page": the change an experiment tests. "New users", "new experiments"
        // narrow what is counted, so there "new" stays unknown.
        // "Assigned but never saw it": the units assigned and not exposed, beside the two counts.
        if entities.assignedAndExposed { known.formUnion(["never", "but"]) }
        // "The plausible range", "the margin of error", "the worst-case lift": the interval (results rows carry its
        // bounds and half-width). "Error rate" or a range of dates stays unknown.
        for phrase in [["plausible", "range"], ["likely", "range"], ["margin", "of", "error"], ["worst", "case"]] where text.contains(phrase: phrase) {
            known.formUnion(phrase)
        }
        // "Monday Oct 5th": a weekday that names the one day asked about says nothing more. A weekday that
        // does not match the day ("Tuesday Oct 5"), or stands alone ("on Mondays"), stays unknown.
        if let day = entities.dates, day.isSingleDay, text.words.contains(where: { Self.weekdays[$0] != nil }),
           let weekday = day.from.flatMap(DateRange.weekday(of:)) {
            for word in text.words where Self.weekdays[word] == weekday { known.insert(word) }
        }
        // "everyone assigned": the ITT population.
        for (index, word) in text.words.enumerated() where ["everyone", "everybody"].contains(word) && index + 1 < text.words.count && text.words[index + 1] == "assigned" {
            known.insert(word)
        }
        for index in text.words.indices where namesDocumentTime(text.words, at: index) { known.insert(text.words[index]) }
        // "Is zero inside the interval?", "an interval entirely above zero": where the interval lies.
        if text.words.contains("zero"), !Set(text.words).isDisjoint(with: ["interval", "intervals", "ci", "cis", "bound", "bounds"]) {
            known.formUnion(["zero", "inside", "within", "entirely", "fully", "completely", "above", "below", "cross", "crosses", "crossing", "include", "includes",
                             "contain", "contains", "straddle", "straddles", "span", "spans"])
        }
        // "Show power next to the users it needs", "powered well enough", "a clean Healthy badge".
        for (index, word) in text.words.enumerated() where index + 1 < text.words.count {
            let next = text.words[index + 1]
            if (word == "next" && next == "to") || (word == "well" && next == "enough") || (word == "clean" && ["healthy", "bill", "badge", "health"].contains(next)) {
                known.insert(word)
            }
        }
        // "Than the old one", "beats the original design": control, which every lift is against.
        for (index, word) in text.words.enumerated() where ["old", "original", "existing", "current"].contains(word) && index + 1 < text.words.count
            && ["one", "version", "model", "design", "page", "button", "flow", "experience", "layout", "variant", "arm"].contains(text.words[index + 1]) { known.insert(word) }
        // "Extra revenue per user", "revenue booked".
        if !Set(text.words).isDisjoint(with: ["revenue", "money", "dollars", "arpu", "conversion", "conversions"]) { known.formUnion(["extra", "booked", "additional"]) }
        if !Set(text.words).isDisjoint(with: ["arm-level", "variant-level"]) { known.insert("level") }
        if text.words.contains("sign-off") { known.formUnion(["sign", "off"]) }
        // "Planning next sprint", "for next quarter's roadmap": when the answer is used.
        for (index, word) in text.words.enumerated() where word == "next" && index + 1 < text.words.count
            && ["sprint", "quarter", "quarters", "planning", "review", "sync", "standup", "offsite"].contains(text.words[index + 1]) { known.insert("next") }
        // "Across the board", "for new PMs", "a sizing question from the PM", "the 80% power target".
        if text.contains(phrase: ["across", "the", "board"]) { known.formUnion(["board"]) }
        for (index, word) in text.words.enumerated() where word == "new" && index + 1 < text.words.count
            && ["pms", "pm", "hires", "hire", "analysts", "folks", "people", "joiners", "teammates"].contains(text.words[index + 1]) { known.insert("new") }
        if text.contains(phrase: ["sizing", "question"]) { known.insert("sizing") }
        if text.words.contains("target"), !Set(text.words).isDisjoint(with: ["power", "powered"]) { known.insert("target") }
        // "It was supposed to be 50/50": the planned split.
        if text.contains(phrase: ["supposed", "to", "be"]) || text.contains(phrase: ["supposed", "to", "get"]) { known.insert("supposed") }
        // "Expected vs observed allocation": the planned split beside the actual one.
        if text.words.contains("observed") { known.formUnion(["expected", "observed", "actual"]) }
        // "The arms look a bit lopsided": a sample-ratio worry.
        if text.words.contains("lopsided") || text.words.contains("skewed") {
            if !entities.experiments.isEmpty { known.formUnion(["lopsided", "skewed", "bit", "look", "looks", "arms", "little", "kind", "of"]) }
        }
        // "How many users landed in control?", "entered an experiment": assigned.
        for (index, word) in text.words.enumerated() where ["landed", "entered", "belong", "belongs", "belonging"].contains(word) && index + 1 < text.words.count {
            if ["in", "into", "an", "each", "the", "to", "a"].contains(text.words[index + 1]) { known.insert(word) }
        }
        // "Did making the checkout button bigger work?", "lowering the free shipping threshold": the change an experiment made.
        let experimentWords = Set(context.experiments.flatMap(\.words))
        for (index, word) in text.words.enumerated() where ["making", "lowering", "raising", "adding", "changing", "moving", "switching", "using", "showing", "dropping", "cutting"].contains(word) {
            if text.words[(index + 1)...].prefix(3).contains(where: { experimentWords.contains($0) }) { known.insert(word) }
        }
        let changes: Set<String> = ["page", "design", "version", "flow", "button", "model", "models", "recommendation", "experience", "feature", "variant", "arm", "treatment",
                                    "layout", "sequence", "ranking", "checkout", "pricing", "signup", "onboarding", "search", "recs", "recommendations", "change",
                                    "threshold", "offer", "look", "copy", "default", "emails", "email"]
        for (index, word) in text.words.enumerated() where word == "new" && index + 1 < text.words.count
            && (changes.contains(text.words[index + 1]) || entities.consumed.contains(text.words[index + 1])) {
            known.insert("new")
        }
        // "Which PM ran the most winning experiments?": a person asked about is a dimension the warehouse lacks.
        let askedPeople = Set(zip(text.words, text.words.dropFirst()).filter { ["which", "what", "whose"].contains($0.0)
            && ["pm", "pms", "manager", "managers", "analyst", "analysts", "engineer", "engineers", "person", "people", "director", "designer", "author", "lead"].contains($0.1) }.map(\.1))
        var reported: Set<String> = []
        // "2026-10-08" is also read as its parts ("2026", "10", "08").
        let isoParts = Set(text.words.filter { $0.count == 10 && $0.contains("-") }.flatMap { $0.split(separator: "-").map(String.init) })
        let phrases = unapplied.filter { $0.contains(" ") }
        return phrases + text.words.filter { word in
            if unapplied.contains(word) { return reported.insert(word).inserted }
            if negations.contains(word) { return false }
            if Speller.unsupported.contains(word) || askedPeople.contains(word) { return true }
            if known.contains(word) { return false }
            // Numbers, percentages, ordinals and dates: "50", "94%", "15th", "2026-10-08".
            // A year no experiment ran in ("results for 2025"): data the warehouse does not have.
            // (Known when the experiments' dates are unknown, in the current year, or as part of an ISO date.)
            if let year = Int(word), (1990...2100).contains(year), !word.contains("-"), !isoParts.contains(word) {
                let years = Set(context.experiments.flatMap { [$0.startedAt, $0.endedAt, $0.firstDataDay, $0.lastDataDay] }.compactMap { $0.flatMap { Int($0.prefix(4)) } })
                if !years.isEmpty, !years.contains(year), year != Int(context.today.prefix(4)) { return reported.insert(word).inserted }
            }
            if word.first?.isNumber == true { return false }
            // "sample-ratio": known when every part is.
            if word.contains("-"), word.split(separator: "-").allSatisfy({ known.contains(String($0)) }) { return false }
            // Plurals of known words, and typos of long ones ("latncy", "experment"); short words
            // must be exact, so "slower" is not "lower".
            return !known.contains { QuestionText.matches(word, $0, fuzzy: $0.count >= 7) }
        }
    }

    /// "The weekly digest", "the Monday update", "weekly exec digest": when a document is due, not a
    /// weekly (or daily) grain of the answer.
    static func namesDocumentTime(_ words: [String], at index: Int) -> Bool {
        let documents: Set<String> = ["update", "digest", "sync", "standup", "stand-up", "review", "report", "newsletter", "recap", "meeting", "deck",
                                      "memo", "notes", "summary", "briefing", "call", "email", "post", "readout", "planning", "doc", "session"]
        let when: Set<String> = ["weekly", "daily", "monthly", "quarterly", "yearly", "annual", "monday", "tuesday", "wednesday", "thursday", "friday",
                                 "morning", "afternoon", "perf"]
        guard when.contains(words[index]), index + 1 < words.count else { return false }
        let next = words[index + 1], after = index + 2 < words.count ? words[index + 2] : ""
        return documents.contains(next) || (["exec", "team", "leadership", "product", "growth", "metrics", "experiment", "experiments", "ops", "planning",
                                             "business", "all-hands", "board", "staff", "org"].contains(next) && (documents.contains(after) || ["doc", "deck", "meeting", "session"].contains(after)))
    }

    /// The person a request is relayed from ("a question from Priya", "relaying for Sam"): who asks.
    static func relayedFor(_ original: String) -> Set<String> {
        let tokens = original.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let asking: Set<String> = ["question", "questions", "request", "requests", "relaying", "relay", "ask", "asks", "message"]
        var names: Set<String> = []
        for index in tokens.indices.dropFirst(2) where tokens[index].first?.isUppercase == true
            && ["from", "for"].contains(tokens[index - 1].lowercased()) && asking.contains(tokens[index - 2].lowercased()) {
            names.insert(tokens[index].lowercased())
        }
        return names
    }

    /// Names of the tools a request comes through, as written before what they are ("the Slack bot",
    /// "the Notion AI helper", "our Jira integration"): framing, not a constraint.
    static func toolNames(_ original: String) -> Set<String> {
        let tokens = original.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let tools: Set<String> = ["bot", "bots", "assistant", "ai", "helper", "channel", "doc", "docs", "workspace", "integration", "app", "copilot", "agent"]
        var names: Set<String> = []
        for (index, token) in tokens.enumerated() where index + 1 < tokens.count && token.first?.isUppercase == true {
            if tools.contains(tokens[index + 1].lowercased()) || (index + 2 < tokens.count && tokens[index + 1] == "AI" && tools.contains(tokens[index + 2].lowercased())) {
                names.insert(token.lowercased())
            }
        }
        return names
    }

    /// Weekday names and abbreviations, 1 = Sunday … 7 = Saturday (as ``DateRange/weekday(of:)`` numbers them).
    static let weekdays: [String: Int] = [
        "sunday": 1, "sun": 1, "monday": 2, "mon": 2, "tuesday": 3, "tue": 3, "tues": 3, "wednesday": 4, "wed": 4,
        "thursday": 5, "thu": 5, "thur": 5, "thurs": 5, "friday": 6, "fri": 6, "saturday": 7, "sat": 7,
    ]

    /// Every word the planner understands for this context: fillers, its vocabulary, dates, intent
    /// phrases, the contract's metrics and synonyms, the experiments' names, owners and statuses.
    static func knownWords(_ context: PlannerContext) -> Set<String> {
        context.cache.value("known") { buildKnownWords(context) }
    }

    static func buildKnownWords(_ context: PlannerContext) -> Set<String> {
        var known = fillers.union(vocabulary).union(dateWords).union(framing)
        for intent in context.intents.intents { for phrase in intent.phrases { known.formUnion(phrase) } }
        for metric in context.contract.metrics {
            known.formUnion(QuestionText(metric.id.replacingOccurrences(of: "_", with: " ")).words)
            known.formUnion(QuestionText(metric.name).words)
            for synonym in metric.synonyms { known.formUnion(QuestionText(synonym).words) }
        }
        for measure in context.contract.measures {
            for synonym in measure.synonyms { known.formUnion(QuestionText(synonym).words) }
        }
        for experiment in context.experiments {
            known.formUnion(experiment.words)
            known.formUnion(QuestionText(experiment.owner).words)
            known.insert(experiment.status)
            for variant in experiment.variants { known.formUnion(QuestionText(variant.name).words) }
        }
        return known
    }
}
