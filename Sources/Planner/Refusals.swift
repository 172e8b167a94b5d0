import Foundation
import Semantic

/// A request the planner refuses outright: it asks for personal data, for raw events,
/// individual users or an asset the role may not read, or to change something. Refusals
/// are answered as `blocked` with the code and audited with the question — never planned
/// into some other, permitted query.
public struct Refusal: Sendable, Equatable, Codable {
    public enum Code: String, Sendable, CaseIterable, Codable {
        case personalData = "personal_data"
        case assetNotAllowed = "asset_not_allowed"
        case notReadOnly = "not_read_only"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Finds refusals in a question's words (precision first: a refusal is better than a
/// permitted query that answers a different question).
enum RefusalCheck {
    /// Politeness and lead-in words skipped to find the request's first verb.
    static let leadIns: Set<String> = ["please", "pls", "can", "could", "would", "will", "you", "hey", "hi", "ok", "okay", "now",
                                       "go", "ahead", "just", "i", "want", "to", "need", "lets", "let", "us", "quickly", "kindly", "readout", "s", "and", "then", "also", "maybe", "so"]
    /// Verbs that change data when they open a request ("mark X as shipped", "kill the test").
    static let imperativeWrites: Set<String> = ["update", "set", "change", "modify", "mark", "remove", "create", "rename", "ship", "kill",
                                                "launch", "stop", "pause", "start", "approve", "reset", "add", "edit", "move", "record",
                                                "end", "rollback", "turn", "bump", "tidy", "clean", "cleanup", "removing", "deleting", "dropping", "clearing", "flip", "toggle", "adjust", "tweak", "conclude", "terminate", "halt", "cancel", "finish", "close", "deploy", "release", "rollout", "revert", "unship", "abort", "resume", "schedule", "allocate", "increase", "decrease", "raise", "lower", "extend", "unpause", "activate", "deactivate", "retire", "enable", "disable", "archive", "restore", "assign", "reassign",
                                                "write", "save", "overwrite", "grant", "revoke", "promote", "drop", "delete", "insert",
                                                "truncate", "alter", "replace", "upsert", "merge", "purge", "wipe", "erase", "clear", "fix", "correct", "backfill", "patch",
                                                "upd", "del"]
    /// Verbs that change data when a particle follows them ("roll back X", "shut down X", "turn off X").
    static let phrasalWrites: Set<String> = ["roll", "shut", "wind", "turn", "switch", "phase", "take", "spin", "scale", "ramp", "kill", "hand"]
    static let particles: Set<String> = ["back", "down", "off", "out", "up", "on", "over"]
    /// Verbs that change data wherever they stand.
    static let writes: Set<String> = ["delete", "deleting", "removing", "truncate", "insert", "alter", "upsert", "purge", "wipe", "erase", "overwrite"]
    static let personalWords: Set<String> = ["email", "emails", "mail", "phone", "phones", "address", "addresses", "password", "passwords",
                                             "pii", "personal", "ssn", "birthday", "birthdate", "ip", "identity", "identities", "contact", "contacts"]
    static let people: Set<String> = ["user", "users", "customer", "customers", "people", "person", "everyone", "everybody", "anyone", "anybody", "visitor", "visitors", "member", "members",
                                      "individual", "individuals", "shopper", "shoppers", "buyer", "buyers", "account", "accounts",
                                      "spender", "spenders", "payer", "payers", "subscriber", "subscribers", "client", "clients"]
    static let listing: Set<String> = ["list", "show", "give", "export", "dump", "download", "get", "send", "fetch", "print", "find", "name", "identify", "display", "pull"]
    static let aggregates: Set<String> = ["many", "count", "counts", "number", "numbers", "total", "totals", "per", "share", "rate", "rates", "half", "majority",
                                          "percentage", "percent", "average", "avg", "mean", "proportion", "fraction", "split", "size", "sizes"]
    /// Phrases naming data no governed asset holds.
    static let rawDataPhrases: [[String]] = [["raw", "events"], ["raw", "event"], ["event", "log"], ["event", "logs"], ["events", "table"],
                                             ["event", "stream"], ["clickstream"], ["api", "key"], ["api", "keys"], ["audit", "log"],
                                             ["assignment", "log"], ["assignments", "table"], ["users", "table"], ["user", "table"],
                                             ["session", "logs"], ["sessions", "table"], ["registered", "users"], ["signed", "up", "users"], ["user", "accounts"], ["who", "made"], ["recorded", "decisions"], ["recorded", "decision"], ["who", "decided"], ["who", "approved"], ["rationales"],
                                             ["who", "recorded"], ["who", "signed"], ["decision", "rationale"], ["rationale"],
                                             ["model", "build"], ["model", "builds"], ["build", "history"], ["build", "log"], ["build", "logs"],
                                             ["last", "build"], ["builds", "table"], ["readout", "runs"], ["pipeline", "runs"], ["build", "runs"],
                                             ["migrations"], ["schema", "migrations"], ["warehouse", "build"], ["warehouse", "builds"],
                                             ["cohort", "assignments"], ["cohort", "assignment"], ["unit", "assignments"], ["user", "assignments"],
                                             ["unit-level"], ["row-level"], ["event-level"], ["individual-level"], ["incremental", "build"], ["watermark"],
                                             ["run", "history"], ["model", "runs"], ["model", "run"], ["refresh", "history"], ["last", "refreshed"],
                                             ["last", "refresh"], ["was", "refreshed"], ["warehouse", "refreshed"]]

    /// Every word a refusal is recognised by (so typo correction never turns one into something else).
    static func vocabulary(_ context: PlannerContext) -> Set<String> {
        context.cache.value("refusal") { buildVocabulary(context) }
    }

    static func buildVocabulary(_ context: PlannerContext) -> Set<String> {
        var words = personalWords.union(people).union(imperativeWrites).union(writes).union(listing).union(phrasalWrites)
        words.formUnion(rawDataPhrases.flatMap { $0 })
        words.formUnion(["drop", "raw", "rows", "records", "entries", "table", "tables", "dump", "select", "from", "where", "join"])
        for asset in context.contract.assets.values {
            words.formUnion(asset.name.split(separator: "_").map(String.init))
            for column in asset.columns where column.pii { words.insert(column.name.lowercased()) }
        }
        return words
    }

    /// The refusal of a change: what it cannot do, and where changes go instead.
    static func changeRefused(_ what: String) -> Refusal {
        Refusal(.notReadOnly, "Readout only reads: it cannot \(what). Changes to experiments go through the workflow (readout serve, admin keys); ask about results, health or exposure instead.")
    }

    static func check(_ text: QuestionText, context: PlannerContext) -> Refusal? {
        let words = text.words
        guard !words.isEmpty else { return nil }
        let protected = experimentNamePositions(words, context: context)
        let free = words.indices.filter { !protected.contains($0) }.map { words[$0] }

        // Changes: a write verb anywhere, or a request that opens with one ("start date of …" is
        // not a request to start anything: an opening verb counts when an object follows it).
        // Each sentence or comma-separated part can open with a request ("Hi! When you get a sec, please update …").
        var clauseStarts: [Int] = [0]
        var counted = 0
        for clause in QuestionText.parts(of: text.original, at: [".", "!", "?", ";", ",", "—", "–", ":", "\n"]).dropLast() {
            counted += QuestionText(clause).words.count
            clauseStarts.append(counted)
        }
        // "Set required_users_per_arm for onboarding to 8000": a write verb with a column named as written.
        if text.original.contains("_"), let match = text.original.range(of: #"(?i)^\W*(?:please\s+|can you\s+|could you\s+)?(set|update|change|overwrite|reset|edit)\s+(?:the\s+)?[a-z0-9]+(?:_[a-z0-9]+)+\b"#,
                                           options: .regularExpression) {
            let verb = text.original[match].split(whereSeparator: \.isWhitespace).first { ["set", "update", "change", "overwrite", "reset", "edit"].contains($0.lowercased()) }
            return changeRefused("\(verb.map { $0.lowercased() } ?? "change") anything")
        }
        let experimentWords = Set(context.experiments.flatMap { QuestionText($0.id.replacingOccurrences(of: "_", with: " ")).words }).subtracting(["exp"])
        for start in Set(clauseStarts).sorted() where start < words.count {
            if let refusal = openingWriteRefusal(words, from: start, protected: protected, experimentWords: experimentWords) { return refusal }
        }
        // "… by setting them to 95%", "by changing the owner": a change, wherever it stands.
        for (index, word) in free.enumerated() where index > 0 && free[index - 1] == "by"
            && ["setting", "changing", "updating", "overwriting", "marking", "editing", "moving", "renaming", "resetting"].contains(word) {
            return changeRefused("change anything (\(word))")
        }
        if let verb = free.first(where: { writes.contains($0) }) {
            return changeRefused("\(verb) anything")
        }
        if let index = free.firstIndex(of: "drop"), index + 1 < free.count, ["table", "tables", "the", "all", "column", "experiment", "experiments", "database", "it", "this", "that"].contains(free[index + 1]) {
            return Refusal(.notReadOnly, "Readout only reads: it cannot drop anything.")
        }
        let openingPosition = words.indices.first { !protected.contains($0) && !leadIns.contains(words[$0]) }
        let opening = openingPosition.map { words[$0] }
        return personalOrAsset(words: words, free: free, opening: opening, text: text.original, context: context)
    }

    /// A part of the question that opens with a write verb and its object ("kill dark mode", "mark recs as shipped").
    static func openingWriteRefusal(_ words: [String], from start: Int, protected: Set<Int>, experimentWords: Set<String>) -> Refusal? {
        let openingPosition = words.indices.first { $0 >= start && !protected.contains($0) && !leadIns.contains(words[$0]) && !["when", "get", "a", "sec", "if", "then"].contains(words[$0]) }
        let opening = openingPosition.map { words[$0] }
        let objects: Set<String> = ["the", "a", "an", "it", "this", "that", "these", "those", "all", "every", "my", "our", "exp", "experiment",
                                    "experiments", "test", "tests", "treatment", "variant", "variants", "arm", "arms", "control", "status",
                                    "allocation", "alloc", "owner", "decision", "half", "some", "part", "more", "most", "rollout", "traffic", "feature", "flag", "table", "row", "rows", "value", "values", "things",
                                    "fct", "stg", "int", "dim", "agg", "kill", "launch", "ship"]
        // The word after the opening verb, in the question as written: an object ("the", "all") or
        // an experiment's name ("kill dark mode"); a particle first ("roll back X", "shut down X").
        var objectPosition = openingPosition.map { $0 + 1 }
        if let position = objectPosition, position < words.count, particles.contains(words[position]),
           let verb = opening, phrasalWrites.contains(verb) || imperativeWrites.contains(verb) {
            objectPosition = position + 1
        }
        // "Roll the checkout button treatment out to everyone", "turn dark mode off": the particle after the object.
        if let verb = opening, phrasalWrites.contains(verb), let position = openingPosition, position + 1 < words.count, !particles.contains(words[position + 1]),
           objects.contains(words[position + 1]) || protected.contains(position + 1) || experimentWords.contains(words[position + 1]),
           words[(position + 2)...].prefix(5).contains(where: particles.contains) {
            return changeRefused("\(verb) anything")
        }
        let objectFollows = objectPosition.map { $0 < words.count && (objects.contains(words[$0]) || protected.contains($0) || experimentWords.contains(words[$0])) } ?? false
        let openingWrite = opening.flatMap { verb -> String? in
            guard imperativeWrites.contains(verb) || phrasalWrites.contains(verb) else { return nil }
            if phrasalWrites.contains(verb) && !imperativeWrites.contains(verb) {
                // "roll back", "shut down", "wind down": only with the particle.
                guard let position = openingPosition, position + 1 < words.count, particles.contains(words[position + 1]) else { return nil }
            }
            return objectFollows || writes.contains(verb) ? verb : nil
        }
        if let verb = openingWrite {
            return changeRefused("\(verb) anything")
        }
        return nil
    }

    static func personalOrAsset(words: [String], free: [String], opening: String?, text: String, context: PlannerContext) -> Refusal? {
        let freeSet = Set(free)
        // Personal data: PII words, individual users, user ids.
        var personal = personalWords
        for asset in context.contract.assets.values {
            for column in asset.columns where column.pii { personal.insert(column.name.lowercased()) }
        }
        // An email address written into the question ("a customer (jane.doe@example.com) wants to know …").
        if text.range(of: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#, options: .regularExpression) != nil {
            return Refusal(.personalData, "That names a person by their email address. Readout never looks up individuals; ask about groups of users instead.")
        }
        // "One row per user", "user-level rows": individuals, whatever the table.
        if free.contains("user-level") || free.contains("person-level") || (0..<max(0, free.count - 2)).contains(where: { free[$0] == "row" && free[$0 + 1] == "per" && people.contains(free[$0 + 2]) }) {
            return Refusal(.personalData, "That asks for one row per user. Readout answers about groups of users, never individuals; ask for per-arm or per-day figures instead.")
        }
        // "The three-email onboarding sequence", "the email campaign test": the thing tested, not an address.
        let tested: Set<String> = ["sequence", "sequences", "campaign", "campaigns", "onboarding", "nurture", "flow", "test", "experiment", "series", "drip"]
        let personalWord = free.indices.first { index in
            guard personal.contains(free[index]) else { return false }
            let compound = index > 0 && free[index - 1].hasSuffix("-" + free[index])
            let nextIsTested = index + 1 < free.count && tested.contains(free[index + 1])
            let previousIsTested = index > 0 && ["onboarding", "nurture", "welcome", "drip", "lifecycle"].contains(free[index - 1])
            return !(["email", "emails", "mail", "mails"].contains(free[index]) && (compound || nextIsTested || previousIsTested))
        }.map { free[$0] }
        if let word = personalWord {
            return Refusal(.personalData, "That asks for personal data (\(word)). No role may read it through Readout, and no answer contains it; ask about aggregates (users, conversion, revenue per arm) instead.")
        }
        for (index, word) in free.enumerated() where word == "u" && index + 1 < free.count && free[index + 1].allSatisfy(\.isNumber) {
            return Refusal(.personalData, "That asks about one user (\(word)_\(free[index + 1])). Readout answers about groups of users, never individuals.")
        }
        // "Give me the cohort for pricing page", "export the treatment cohort": its members, one row per user.
        if let verb = opening, listing.contains(verb), let start = free.firstIndex(of: verb), !freeSet.contains(where: aggregates.contains) {
            let skipped: Set<String> = ["me", "us", "the", "a", "an", "all", "full", "entire", "whole", "complete", "treatment", "control", "exposed", "assigned", "experiment", "test"]
            if let position = free[(start + 1)...].firstIndex(where: { !skipped.contains($0) }), ["cohort", "cohorts"].contains(free[position]),
               position + 1 == free.count || !["table", "tables", "data", "log", "logs", "rows", "records", "assignment", "assignments"].contains(free[position + 1]) {
                return Refusal(.personalData, "That asks for the members of a cohort, one row per user. Readout answers about groups of users, never individuals; ask how many users are in each arm instead.")
            }
        }
        // "Where less than half of the assigned users got exposed": a share, not people.
        let comparesShare = zip(free, free.dropFirst()).contains { ["than", "below", "above", "under", "over"].contains($0.0) && Double($0.1) != nil }
        if !freeSet.contains(where: aggregates.contains), !comparesShare {
            let pairs = Array(zip(free, free.dropFirst()))
            let userID = pairs.contains { (people.contains($0) || ["unit", "units"].contains($0)) && ["id", "ids", "key", "keys", "list", "names", "name"].contains($1) }
                || (freeSet.contains(where: { ["name", "names", "identities", "ids"].contains($0) }) && freeSet.contains(where: people.contains)
                    && !freeSet.contains(where: { ["experiment", "experiments", "arm", "arms", "variant", "variants", "metric", "metrics", "test"].contains($0) }))
            let whichUsers = pairs.contains { ["which", "whose", "what"].contains($0) && (people.contains($1) || ["unit", "units"].contains($1)) }
                || free.indices.dropLast(2).contains { ["which", "whose"].contains(free[$0]) && people.contains(free[$0 + 2]) }
            let listsPeople = opening.map(listing.contains) == true && freeSet.contains(where: people.contains)
                // "names of the customers who got refunds", "ids of users in treatment".
                || free.indices.contains { index in
                    ["names", "name", "ids", "identities", "list", "details"].contains(free[index]) && index + 1 < free.count && free[index + 1] == "of"
                        && free[(index + 2)...].prefix(2).contains(where: people.contains)
                }
            let whoDid = opening == "who" && freeSet.contains(where: ["converted", "purchased", "bought", "saw", "clicked", "signed", "refunded", "churned", "visited", "got"].contains)
                // "Who were the 10 biggest spenders?" — people, not an owner ("who owns …").
                || opening == "who" && freeSet.contains(where: people.contains) && freeSet.isDisjoint(with: ["owns", "own", "owner", "owned", "runs", "run", "team", "teams", "responsible"])
            if userID || whichUsers || listsPeople || whoDid {
                return Refusal(.personalData, "That asks for individual users. Readout answers about groups — how many users, per arm, per day — never lists people.")
            }
        }

        // SQL in the question: "select * from users" reads the table named after FROM.
        if let index = free.firstIndex(of: "from"), freeSet.contains("select"), index + 1 < free.count {
            let table = free[index + 1]
            if table == "users" || personal.contains(table) {
                return Refusal(.personalData, "That asks for the users table, which holds personal data. No role may read it through Readout; ask about aggregates instead.")
            }
        }
        // Assets the role may not read: raw events, keys, logs, decisions, named tables.
        if freeSet.contains("raw"), let what = free.first(where: { ["event", "events", "exposures", "rows", "data", "logs", "log", "records"].contains($0) }) {
            return Refusal(.assetNotAllowed, "That asks for raw \(what), which no asset the \(context.role) role may read holds: Readout answers from aggregated, governed tables.")
        }
        for phrase in rawDataPhrases where free.count >= phrase.count && (0...(free.count - phrase.count)).contains(where: { Array(free[$0..<($0 + phrase.count)]) == phrase }) {
            return Refusal(.assetNotAllowed, "That asks for \(phrase.joined(separator: " ")), which no asset the \(context.role) role may read holds. Ask about aggregated results, exposure quality or experiment details instead.")
        }
        // Rows of raw event-level data: "exposure events", "the exposures table", "rows from the assignments".
        if !freeSet.contains(where: aggregates.contains) {
            let rawNouns: Set<String> = ["exposure", "exposures", "assignment", "assignments", "conversion", "conversions", "session", "sessions",
                                         "click", "clicks", "pageview", "pageviews", "purchase", "purchases", "order", "orders", "event", "events"]
            let containers: Set<String> = ["event", "events", "table", "tables", "rows", "row", "records", "record", "entries", "log", "logs", "dump",
                                           "timestamp", "timestamps"]
            // Pairs within one sentence ("… on conversion? Table: experiment, arm" asks for a table format, not the conversion table).
            let pairs = QuestionText.parts(of: text, at: [".", "!", "?", ";", ":"]).flatMap { part -> [(String, String)] in
                let words = QuestionText(part).words
                return Array(zip(words, words.dropFirst()))
            }.filter { freeSet.contains($0.0) }
            // "Every tracked event for signup flow", "the last 20 events": event rows, which no governed asset holds.
            if let word = free.first(where: { ["event", "events"].contains($0) }), !free.contains("conversion") || free.contains("tracked") {
                return Refusal(.assetNotAllowed, "That asks for \(word): event-level rows no asset the \(context.role) role may read holds. Ask about aggregates instead (exposure rate per day, users per arm, conversion per arm).")
            }
            if let pair = pairs.first(where: { rawNouns.contains($0) && containers.contains($1) && $0 != $1 }) {
                return Refusal(.assetNotAllowed, "That asks for \(pair.0) \(pair.1): event-level rows no asset the \(context.role) role may read holds. Ask about aggregates instead (exposure rate per day, users per arm, conversion per arm).")
            }
            if let index = free.firstIndex(where: { ["rows", "records", "entries"].contains($0) }), index + 1 < free.count,
               free[(index + 1)...].prefix(3).contains(where: rawNouns.contains) {
                return Refusal(.assetNotAllowed, "That asks for event-level rows, which no asset the \(context.role) role may read holds. Ask about aggregates instead (exposure rate per day, users per arm, conversion per arm).")
            }
        }
        let readable = context.contract.readableAssets(for: context.role).map(\.name)
        // "The migrations table", "the cohort table", "the decisions log": a distinctive word of an asset
        // the role may not read, next to "table", "log", "rows" or "data".
        let generic: Set<String> = ["fct", "stg", "int", "dim", "agg", "experiment", "experiments", "results", "result", "metric", "metrics",
                                    "variant", "variants", "by", "daily", "quality", "exposure", "conversion", "analysis", "input", "ai",
                                    "allowed", "assets", "verdicts", "outcomes", "readout", "pre", "exposures", "events", "tracked"]
        let containers: Set<String> = ["table", "tables", "log", "logs", "rows", "data", "records"]
        for asset in context.contract.assets.keys.sorted() where !readable.contains(asset) {
            let parts = asset.split(separator: "_").map(String.init).filter { !generic.contains($0) && $0.count >= 4 }
            for (index, word) in free.enumerated() where parts.contains(where: { QuestionText.matches(word, $0, fuzzy: false) }) {
                let neighbours = [index - 1, index + 1].filter { free.indices.contains($0) }.map { free[$0] }
                if neighbours.contains(where: containers.contains) {
                    return Refusal(.assetNotAllowed, "The \(context.role) role may not read \(asset). `readout contract show` lists what it may read.")
                }
            }
        }
        // "The exposure validation table": an unreadable asset's own words, in a row, beside "table", "rows" or "data".
        for asset in context.contract.assets.keys.sorted() where !readable.contains(asset) {
            let core = asset.split(separator: "_").map(String.init).filter { !$0.isEmpty && !["fct", "stg", "int", "dim", "agg", "experiment"].contains($0) }
            guard core.count >= 2 else { continue }
            // Any two or more of its words in a row ("the metric outcomes table" for int_experiment_metric_outcomes__conversion).
            for length in stride(from: core.count, through: 2, by: -1) where free.count > length {
                for offset in 0...(core.count - length) {
                    let run = Array(core[offset..<(offset + length)])
                    for start in 0...(free.count - length) where Array(free[start..<(start + length)]) == run {
                        let neighbours = [start - 1, start + length].filter { free.indices.contains($0) }.map { free[$0] }
                        if neighbours.contains(where: containers.contains) {
                            return Refusal(.assetNotAllowed, "The \(context.role) role may not read \(asset). `readout contract show` lists what it may read.")
                        }
                    }
                }
            }
        }
        if let refusal = unknownTable(free: free, text: text, readable: readable, context: context) { return refusal }
        for asset in context.contract.assets.keys.sorted() where asset.contains("_") && !readable.contains(asset) {
            let parts = asset.split(separator: "_").map(String.init)
            // The name as written, or without its layer prefix ("experiment_assignments" for fct_experiment_assignments).
            var spellings = [parts]
            if parts.count >= 3, ["fct", "stg", "int", "dim", "agg"].contains(parts[0]) { spellings.append(Array(parts.dropFirst())) }
            for spelling in spellings where free.count >= spelling.count
                && (0...(free.count - spelling.count)).contains(where: { Array(free[$0..<($0 + spelling.count)]) == spelling }) {
                return Refusal(.assetNotAllowed, "The \(context.role) role may not read \(asset). `readout contract show` lists what it may read.")
            }
        }
        return nil
    }

    /// "The payments table", "select * from billing": a table by a name no asset the role may read
    /// carries. Words that shape the answer ("as a table", "a small table", "the appendix table") and
    /// words of readable assets ("the verdicts table") are not table names.
    static func unknownTable(free: [String], text: String, readable: [String], context: PlannerContext) -> Refusal? {
        let readableWords = Set(readable.flatMap { $0.split(separator: "_").map(String.init) }).union(readable)
        let shaping: Set<String> = ["a", "an", "the", "as", "in", "into", "one", "single", "small", "simple", "nice", "clean", "quick", "short",
                                    "markdown", "pivot", "summary", "appendix", "comparison", "html", "csv", "plain", "text", "this", "that",
                                    "same", "following", "which", "what", "many", "available", "allowed", "my", "your", "our", "all", "any",
                                    "other", "these", "those", "some", "two", "three", "separate", "wide", "long", "ascii", "slack", "sortable",
                                    "per", "by", "of", "and", "or", "with", "to", "for", "its", "their", "whole", "full", "entire"]
        func refused(_ name: String) -> Refusal {
            Refusal(.assetNotAllowed, "That asks for a table called \(name), which is not an asset the \(context.role) role may read. `readout contract show` lists what it may read; ask about aggregated results, exposure quality or experiment details instead.")
        }
        // The word before "table" in the same sentence or clause ("… per arm. Table only." names no table).
        let freeSet = Set(free)
        for part in QuestionText.parts(of: text, at: [".", "!", "?", ";", ":", ",", "—", "–", "\n", "(", ")"]) {
            let words = QuestionText(part).words
            for (index, word) in words.enumerated() where ["table", "tables"].contains(word) && index > 0 {
                let name = words[index - 1]
                guard freeSet.contains(name), !shaping.contains(name), !readableWords.contains(name), name.count >= 3, !name.allSatisfy(\.isNumber) else { continue }
                return refused(name)
            }
        }
        // SQL written into the question: the table after FROM.
        if free.contains("select"), let index = free.firstIndex(of: "from"), index + 1 < free.count {
            var position = index + 1
            if free[position] == "the", position + 1 < free.count { position += 1 }
            let name = free[position]
            if !readable.contains(name), !readableWords.contains(name), !shaping.contains(name) { return refused(name) }
        }
        return nil
    }

    /// Positions of words that are part of an experiment's name or id as written in the question
    /// (two or more of its words in a row), so "onboarding email" is an experiment, not a request for emails.
    static func experimentNamePositions(_ words: [String], context: PlannerContext) -> Set<Int> {
        var positions: Set<Int> = []
        for experiment in context.experiments {
            for source in [experiment.name, experiment.id.replacingOccurrences(of: "_", with: " ")] {
                let parts = QuestionText(source).words.filter { $0 != "exp" }
                guard parts.count >= 2 else { continue }
                for start in words.indices where start + 1 < words.count {
                    for offset in 0..<(parts.count - 1) where QuestionText.matches(words[start], parts[offset], fuzzy: false)
                        && QuestionText.matches(words[start + 1], parts[offset + 1], fuzzy: false) {
                        positions.insert(start)
                        positions.insert(start + 1)
                    }
                }
            }
        }
        return positions
    }
}
