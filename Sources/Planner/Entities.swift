import SQLParser
import Foundation
import Semantic

/// What the rule planner found in a question.
struct Entities {
    var experiments: [ExperimentEntity] = []
    var metric: MetricDefinition?
    /// Further metrics the question names.
    var otherMetrics: [MetricDefinition] = []
    var variant: String?
    var mode = "itt"
    var modeStated = false
    var status: String?
    /// "Experiments that are not running", "tests that aren't live yet": every status but `status`.
    var statusNegated = false
    /// Every status named ("shipped or running experiments").
    var statuses: [String] = []
    var owner: String?
    /// The days the question names ("on Oct 8", "after September 15th", "between … and …").
    var dates: DateRange?
    /// What the question asks of the daily exposure table, when that is what it is about.
    var daily = DailyQuery()
    /// The question's words (typos corrected).
    var words: Set<String> = []
    /// The same, in order.
    var wordList: [String] = []
    /// For "which experiments are …": winning, losing, significant or underpowered.
    var slice: String?
    /// Words consumed by an experiment match (so "onboarding email" is not a request for emails).
    var consumed: Set<String> = []
    /// Experiments that tied for the best match (the question is ambiguous between them).
    var tied: [ExperimentEntity] = []
    /// "How many …", "number of …", "count …": the answer is a count.
    var counting = false
    /// "per team", "by status": the experiments column a count is grouped by.
    var groupBy: String?
    /// "Top 2 teams by total users": the groups kept, largest first.
    var groupRanking: Int?
    /// "Which team has the fewest users?": the group ranking from the smallest.
    var groupAscending = false
    /// "The last three days of the test": the experiment's last N days of data.
    var lastDays: Int?
    /// "Which team has the most experiments?": the group with the highest (true) or lowest count.
    var groupOrder: Bool?
    /// "Which experiments have more than two arms?": (comparison, number of arms).
    var armCount: (String, Int)? {
        let numbers = ["one": 1, "two": 2, "three": 3, "four": 4, "five": 5]
        let armNouns: Set<String> = ["arms", "arm", "variants", "variations", "variant", "variation"]
        for index in wordList.indices.dropFirst() where armNouns.contains(wordList[index]) {
            guard let n = Int(wordList[index - 1]) ?? numbers[wordList[index - 1]] else { continue }
            let before = wordList[..<(index - 1)].suffix(2)
            if before.elementsEqual(["more", "than"]) || before.last == "over" { return (">", n) }
            if before.elementsEqual(["fewer", "than"]) || before.elementsEqual(["less", "than"]) { return ("<", n) }
            if before.elementsEqual(["at", "least"]) { return (">=", n) }
            if before.elementsEqual(["at", "most"]) { return ("<=", n) }
            if ["has", "have", "with", "exactly", "only"].contains(before.last ?? "") { return ("=", n) }
        }
        return nil
    }
    /// "created after …": dates refer to when experiments were created, not started.
    var aboutCreation = false
    /// The question says "guardrail(s)".
    var mentionsGuardrails = false
    /// A ranking or threshold across experiments on a results measure.
    var ranking: RankingQuery?
    /// "Which experiments fail the SRM check?": only the failing ones.
    var asksForFailures = false
    /// A measure declared in the contract that the question names ("revenue per paying user").
    var measure: MeasureDefinition?
    /// "How long would X need to run to detect a 5% lift?": a sizing question for the engine.
    var power: PowerRequest?
    /// "Pooled conversion rate": every arm together.
    var pooled = false
    /// "Which experiments have ended?": those with an end date.
    var ended = false
    /// "Are the guardrails ok for recs?": the experiment's one guardrail status.
    var guardrailSummary = false
    /// "Model v2 large vs Model v1": a treatment arm and the control named, side by side.
    var withControl = false
    /// "treatment vs treatment_b": two treatment arms named, so no single arm is meant.
    var twoTreatments = false
    /// "How many users converted?": a count of converters.
    var countsConversions = false
    /// "mean latency", "average revenue" (not of a lift or difference): each arm's value.
    var asksForMean = false
    /// "by arm", "per variant", "each arm": one row per arm.
    var perArm = false
    /// "for each experiment that has data", "with data": leave out experiments with no data yet (a draft).
    var withData = false
    /// "How long did it run?": its run length, from its start and end.
    var asksRunLength = false
    /// "In percentage points", "treatment minus control", "the absolute difference": the lift in the metric's units.
    var asksAbsoluteLift: Bool {
        words.contains("absolute") || words.contains("pp") || zip(wordList, wordList.dropFirst()).contains { $0 == ("percentage", "points") || $0 == ("percentage", "point") }
            || (words.contains("minus") && words.contains("control"))
    }
    /// "Buyers across all treatment arms": every arm but control, across experiments.
    var treatmentArmsOnly = false
    /// The warehouse's SQL, which the few engine-specific expressions are written in.
    var dialect: SQLDialect = .sqlite
    /// "ITT vs exposed": both analysis populations.
    var bothModes = false
    /// "each metric", "all metrics", "by metric": every metric, not one.
    var allMetrics = false
    /// "On a secondary metric", "the secondary metric": the experiment's secondary metrics, not its primary one.
    var secondaryMetrics = false
    /// "total …": a sum.
    var total = false
    /// "which arm has the highest / lowest …", "best arm": true for highest first.
    var armOrder: Bool?
    /// "Did the treatment get more users than control?": the arm asked about, whether "more" was asked,
    /// and the arm it is compared with.
    var armSizeComparison: (subject: String, more: Bool, other: String)?
    /// "split", "allocation", "ratio": the per-arm sizes, not only the verdict.
    var asksForSplit = false
    /// "What significance level do the verdicts use?", "which multiple-testing correction?", "which statistical test?":
    /// the analysis settings each verdict records.
    var asksMethod: Bool {
        let pairs = Array(zip(wordList, wordList.dropFirst()))
        let names = pairs.contains { $0 == ("significance", "level") || (["statistical", "statistically", "statistic", "statistics", "stat"].contains($0.0) && $0.1 == "test")
            || $0 == ("decision", "test") || $0 == ("multiple-testing", "correction")
            || $0 == ("multiple", "testing") || $0 == ("multiple-comparison", "correction") }
            || (words.contains("alpha") && words.isDisjoint(with: ["at", "if", "would"]))
            || (words.contains("correction") && !words.isDisjoint(with: ["which", "what", "use", "uses", "used", "applied"]))
        return names && words.isDisjoint(with: ["lift", "p-value", "significant", "interval", "power", "users"])
    }

    /// "What are the arms of the pricing test?", "what's the treatment called?": the arms themselves.
    var asksArms: Bool {
        guard experiments.count == 1, !counting else { return false }
        let measures: Set<String> = ["lift", "lifts", "uplift", "conversion", "revenue", "arpu", "cvr", "latency", "refund", "refunds", "rate", "rates", "users",
                                     "units", "people", "p-value", "significant", "power", "srm", "exposure", "exposed", "assigned", "verdict", "guardrail",
                                     "guardrails", "mean", "average", "value", "chance", "interval", "ci", "traffic", "winning", "best", "worst", "better", "worse"]
        guard words.isDisjoint(with: measures) else { return false }
        let pairs = Array(zip(wordList, wordList.dropFirst()))
        return pairs.contains { ["what", "which", "list", "name", "names"].contains($0.0) && ["arms", "variants", "variations"].contains($0.1) }
            || (wordList.first.map { ["what", "which", "list", "show", "name"].contains($0) } == true && pairs.contains { $0.0 == "the" && ["arms", "variants", "variations"].contains($0.1) })
            || pairs.contains { ["treatment", "control", "arm", "variant", "arms", "variants"].contains($0.0) && ["called", "named"].contains($0.1) }
            || pairs.contains { ["arm", "variant", "variation"].contains($0.0) && ["names", "name"].contains($0.1) }
    }

    /// "Is lower better for latency?": which direction of the metric is good.
    /// "Is conversion_7d a guardrail?", "what kind of metric is latency?": the metric's catalogue entry.
    var asksDirection: Bool {
        guard experiments.isEmpty else { return false }
        let pairs = Array(zip(wordList, wordList.dropFirst()))
        return (pairs.contains { ["lower", "higher", "bigger", "smaller", "more", "less"].contains($0.0) && ["better", "good", "is", "number", "value", "values", "numbers"].contains($0.1) } && words.contains("better"))
            || (["is", "are"].contains(wordList.first ?? "") && pairs.contains { ["a", "an"].contains($0.0) && ["guardrail", "primary"].contains($0.1) })
            || (pairs.contains { $0 == ("what", "kind") || $0 == ("what", "type") } && words.contains("metric"))
    }
    /// "assigned vs exposed": both populations' sizes.
    var assignedAndExposed = false

    var description: [String: String] {
        var out: [String: String] = ["mode": mode]
        if let first = experiments.first { out["experiment"] = first.id }
        if treatmentArmsOnly { out["arms"] = "treatment" }
        if asksAbsoluteLift { out["lift"] = "absolute" }
        if let comparison = armSizeComparison { out["size_question"] = "\(comparison.subject)|\(comparison.more ? "more" : "fewer")|\(comparison.other)" }
        if experiments.count > 1 { out["experiments"] = experiments.map(\.id).joined(separator: ",") }
        if let metric { out["metric"] = metric.id }
        if secondaryMetrics { out["metric_role"] = "secondary" }
        if let measure {
            out["measure"] = measure.id
            out["measure_name"] = measure.name
        }
        if let variant { out["variant"] = variant }
        // "Not running" is said so in the readout too ("3 experiments (status not running)").
        if let status { out["status"] = statusNegated ? "not \(status)" : status }
        if let owner { out["owner"] = owner }
        if let from = dates?.from { out["from"] = from }
        if let to = dates?.to { out["to"] = to }
        if let ranking {
            out["ranking"] = ranking.measure.rawValue
            if let descending = ranking.descending { out["ranking_order"] = descending ? "highest" : "lowest" }
        }
        let daily = RulePlanner.rangeReading(self)
        if daily != DailyQuery() {
            out["daily_measure"] = daily.measure.rawValue
            if daily.pooled { out["daily_pooled"] = "true" }
            if let descending = daily.descending { out["daily_order"] = descending ? "highest" : "lowest" }
            if !daily.aggregates.isEmpty { out["daily_aggregate"] = daily.aggregates.map(\.rawValue).joined(separator: ",") }
            if let threshold = daily.threshold { out["daily_threshold"] = "\(threshold.0) \(threshold.1)" }
        }
        if let slice { out["slice"] = slice }
        return out
    }
}

/// Finds experiments, metrics, variants, analysis mode, statuses, owners and dates in a question.
enum EntityRecognizer {
    /// "Win or lose", "either direction", "up or down", "positive or negative": both signs.
    static func eitherDirection(_ words: [String]) -> Bool {
        let pairs: [(String, String)] = [("win", "lose"), ("won", "lost"), ("winning", "losing"), ("up", "down"), ("positive", "negative"),
                                         ("better", "worse"), ("good", "bad"), ("gain", "loss"), ("increase", "decrease")]
        if words.contains("either"), !Set(words).isDisjoint(with: ["direction", "way", "sign"]) { return true }
        return words.indices.dropLast(2).contains { index in
            words[index + 1] == "or" && pairs.contains { ($0.0 == words[index] && $0.1 == words[index + 2]) || ($0.1 == words[index] && $0.0 == words[index + 2]) }
        }
    }

    static let stopwords: Set<String> = ["the", "and", "for", "with", "test", "experiment", "exp", "page", "model", "flow", "by", "default", "at", "v2", "threshold", "sequence", "new", "single",
                                         "mode", "first", "analysis", "over", "plans"]

    static func recognise(_ question: QuestionText, context: PlannerContext) -> Entities {
        var entities = Entities()
        entities.dialect = context.dialect
        entities.words = Set(question.words)
        entities.wordList = question.words
        owners(question, context: context, into: &entities)
        // An owner handle (team-checkout) is not an experiment mention (exp_checkout_button).
        var text = question
        if let owner = entities.owner, question.words.contains(owner) {
            let parts = Set(owner.split(separator: "-").map(String.init))
            text = QuestionText(question.words.filter { $0 != owner && !parts.contains($0) }.joined(separator: " "))
        }
        // Experiments: id parts count double, distinctive name words once.
        var scored: [(ExperimentEntity, Int, Set<String>)] = []
        for experiment in context.experiments {
            let idWords = QuestionText(experiment.id.replacingOccurrences(of: "_", with: " ")).words.filter { !stopwords.contains($0) }
            let nameWords = QuestionText(experiment.name).words.filter { $0.count >= 4 && !stopwords.contains($0) }
            var score = 0
            var used: Set<String> = []
            // Exact words weigh more than words matched despite a typo.
            for word in Set(idWords) where text.contains(word) {
                score += text.containsExactly(word) ? 3 : 2
                used.formUnion(text.matching(word))
            }
            for word in Set(nameWords).subtracting(idWords) where text.contains(word) {
                score += 1
                used.formUnion(text.matching(word))
            }
            if text.original.lowercased().contains(experiment.id) { score += 10 }
            if score > 0 { scored.append((experiment, score, used)) }
        }
        // "Every experiment with its recommendation" does not name the recommendations model: a match on
        // planner words alone counts only beside another word of the same experiment ("recommendations model v2").
        scored.removeAll { entry in
            let (experiment, _, used) = entry
            guard !used.isEmpty, used.allSatisfy({ word in AccountabilityGate.vocabulary.contains(word) || AccountabilityGate.vocabulary.contains(where: { QuestionText.matches(word, $0, fuzzy: false) }) }) else { return false }
            // "The recommendation models experiment": two words of its name together still name it (a name word the
            // matcher skips, "model", counts beside it).
            if used.count >= 2 { return false }
            if text.words.indices.dropLast().contains(where: { used.contains(text.words[$0]) && ["model", "models"].contains(text.words[$0 + 1]) && experiment.words.contains("model") }) { return false }
            // The name's own word as written ("recommendations") still names it.
            if used.contains(where: experiment.words.contains) { return false }
            let others = Set(experiment.words).subtracting(used)
            return !text.words.contains { word in others.contains(word) && !used.contains(word) }
        }
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.id < $1.0.id }
        if let best = scored.first {
            // A second experiment only when it is matched on its own words.
            let others = scored.dropFirst().filter { $0.2.isDisjoint(with: best.2) && $0.1 >= 2 }
            let overlapping = scored.dropFirst().contains { $0.1 == best.1 && !$0.2.isDisjoint(with: best.2) }
            if !overlapping {
                entities.experiments = [best.0] + others.map(\.0)
                for entry in [best] + others { entities.consumed.formUnion(entry.2) }
            }
            // "The checkout team's experiments": the team's short name, not the checkout button experiment it alone would name.
            if let owner = entities.owner, entities.experiments.count == 1, let experiment = entities.experiments.first {
                let short = owner.hasPrefix("team-") ? String(owner.dropFirst(5)) : owner
                let teamPhrase = text.words.indices.dropLast().contains { text.words[$0] == short && ["team", "teams"].contains(text.words[$0 + 1]) }
                let named = Set(experiment.words).subtracting(["exp", "test", "experiment", short]).intersection(text.words)
                if teamPhrase, named.isEmpty { entities.experiments = [] }
            }
            // Tied only when they compete for the same words ("pricing page vs signup flow" names two).
            entities.tied = scored.filter { $0.1 == best.1 && ($0.0.id == best.0.id || !$0.2.isDisjoint(with: best.2)) }.map(\.0)
            if entities.tied.count < 2 { entities.tied = [] }
        }
        // Metrics: id words, name words and synonyms from the contract.
        var bestMetric: (MetricDefinition, Int)?
        for metric in context.contract.metrics {
            var score = 0
            let phrases = [metric.id.replacingOccurrences(of: "_", with: " ")] + metric.synonyms
            for phrase in phrases {
                let words = QuestionText(phrase).words.filter { $0 != "7d" && $0 != "ms" }
                if !words.isEmpty, text.contains(phrase: words), !words.allSatisfy(entities.consumed.contains) { score = max(score, words.count) }
            }
            if score > 0, score > (bestMetric?.1 ?? 0) { bestMetric = (metric, score) }
        }
        entities.metric = bestMetric?.0
        // Other metrics named too ("conversion lift vs revenue lift"): each must be in the answer.
        entities.otherMetrics = context.contract.metrics.filter { metric in
            metric.id != entities.metric?.id && ([metric.id.replacingOccurrences(of: "_", with: " ")] + metric.synonyms).contains { phrase in
                let words = QuestionText(phrase).words.filter { $0 != "7d" && $0 != "ms" }
                return !words.isEmpty && words.count >= 1 && text.contains(phrase: words) && !words.allSatisfy(entities.consumed.contains)
                    && !words.contains(where: { ["rate", "slower", "faster", "slow", "fast", "speed", "loads"].contains($0) })
            }
        }
        // Measures: the contract's declared computations, by their longest synonym.
        var bestMeasure: (MeasureDefinition, Int)?
        for measure in context.contract.measures {
            for synonym in measure.synonyms {
                let words = QuestionText(synonym).words
                if !words.isEmpty, text.contains(phrase: words), words.count > (bestMeasure?.1 ?? 0) { bestMeasure = (measure, words.count) }
            }
        }
        entities.measure = bestMeasure?.0
        // Variants.
        if text.contains(phrase: ["treatment", "b"]) || text.words.contains("treatment_b") || text.original.lowercased().contains("treatment_b") {
            entities.variant = "treatment_b"
        } else if text.contains("treatment"), !text.words.contains(where: { ["each", "every", "all", "arms", "treatments"].contains($0) }),
                  !text.contains(phrase: ["per", "treatment"]), !text.contains(phrase: ["by", "treatment"]),
                  // "Recs v2: which treatment arm has the higher chance?" asks which of its arms, it names none
                  // (across experiments, "which treatment has the highest refund rate" is among the treatment arms).
                  entities.experiments.isEmpty || (!text.contains(phrase: ["which", "treatment"]) && !text.contains(phrase: ["what", "treatment"])),
                  !(text.containsExactly("control") && zip(text.words, text.words.dropFirst()).contains(where: { ["and", "or"].contains($0.0) || ["and", "or"].contains($0.1) })),
                  !(text.containsExactly("control") && text.words.contains("than")),
                  !zip(text.words, text.words.dropFirst()).contains(where: { pair in
                      (["vs", "versus"].contains(pair.0) && ["treatment", "control"].contains(pair.1)) || (["treatment", "control"].contains(pair.0) && ["vs", "versus"].contains(pair.1))
                  }) {
            // "the treatment arm" names one arm; "each treatment arm", "treatment vs control" do not.
            entities.variant = "treatment"
        } else if text.contains("control", fuzzy: false) && !text.contains("treatment"),
                  // "The single-page signup vs control": the experiment's arms side by side, not control alone.
                  // ("… slower than control": control is what the arm is compared with, not the arm asked about.)
                  // ("Relative to control", "compared to control": control is the baseline.)
                  !text.words.indices.contains(where: { text.words[$0] == "control" && $0 > 0 && ["vs", "versus", "against", "compared", "than", "to"].contains(text.words[$0 - 1]) }),
                  // "Control vs the single page", "control and Model v2 large": control is one of the arms asked about.
                  !text.words.indices.contains(where: { text.words[$0] == "control" && $0 + 1 < text.words.count && ["vs", "versus", "against", "and", "or"].contains(text.words[$0 + 1]) }),
                  !["included", "including", "incl", "too"].contains(where: { text.words.contains($0) }), !text.contains(phrase: ["as", "well"]) {
            // "CVR per variant, control included" lists every arm; it does not pick control.
            entities.variant = "control"
        }
        if entities.experiments.isEmpty { experimentByArmName(text, context: context, into: &entities) }
        // "What's the conversion in treatment_b?": the one experiment with that arm.
        if entities.experiments.isEmpty, let variant = entities.variant, variant != "treatment", variant != "control" {
            let having = context.experiments.filter { $0.variants.contains { $0.id == variant } }
            if having.count == 1 { entities.experiments = having }
        }
        // "Slowest variant": the metric people call slow or fast.
        if entities.metric == nil, !text.words.allSatisfy({ !["slowest", "fastest", "quickest"].contains($0) }) {
            entities.metric = context.contract.metrics.first { $0.synonyms.contains("slower") || $0.synonyms.contains("slow") }
        }
        namedArm(text, into: &entities)
        // Analysis mode.
        let sawIt = text.contains(phrase: ["saw", "it"]) || text.contains(phrase: ["actually", "saw"]) || text.contains(phrase: ["who", "saw"])
            || text.contains(phrase: ["people", "saw"]) || text.contains(phrase: ["users", "saw"]) || text.contains(phrase: ["saw", "the", "treatment"])
            || text.contains(phrase: ["saw", "the", "change"])
            // "(valid exposures only)", "users with a valid exposure": the exposed population (not the daily valid exposure rate).
            || ((text.contains(phrase: ["valid", "exposures"]) || text.contains(phrase: ["valid", "exposure"])) && !text.words.contains("rate") && !text.words.contains("daily"))
            || text.contains(phrase: ["actually", "seen"])
            // "Users who triggered the experiment"; "triggered a severe guardrail" is not about exposure.
            || (text.words.contains("triggered") && Set(text.words).isDisjoint(with: ["guardrail", "guardrails", "alert", "alerts", "check", "warning"]))
        if text.contains("exposed", fuzzy: false) || text.contains(phrase: ["exposed", "users"]) || sawIt {
            entities.mode = "exposed"
            entities.modeStated = true
        } else if text.contains("itt", fuzzy: false) || text.contains(phrase: ["intent", "to", "treat"]) {
            entities.modeStated = true
        }
        // "The guardrail review deck", "a draft memo": a status word naming a document is not a status.
        let documents: Set<String> = ["deck", "doc", "docs", "document", "meeting", "notes", "slide", "slides", "session", "memo", "email", "post", "writeup", "board", "call"]
        var statusWords = Set(zip(text.words, text.words.dropFirst() + [""]).filter { !documents.contains($0.1) }.map(\.0))
        // "Shipped ones included", "drafts included", "including drafts": every status, not that one.
        for (index, word) in text.words.enumerated() where ["shipped", "draft", "drafts", "running", "killed"].contains(word) {
            let around = text.words[max(0, index - 1)...min(text.words.count - 1, index + 3)]
            if around.contains(where: { ["included", "including", "too"].contains($0) }) { statusWords.remove(word == "drafts" ? "draft" : word); statusWords.remove(word) }
        }
        // "Exec summary draft:", "my memo draft": a document being written, not the draft status.
        if text.words.indices.contains(where: { text.words[$0] == "draft" && $0 > 0
            && ["summary", "memo", "email", "deck", "doc", "document", "report", "update", "post", "readout", "writeup", "slide", "slides", "newsletter", "a", "my", "our"].contains(text.words[$0 - 1]) }) {
            statusWords.remove("draft")
        }
        // "In review" is the status; "our monthly review", "the product review" is a meeting.
        if statusWords.contains("review"), !text.words.indices.contains(where: { text.words[$0] == "review" && $0 > 0 && ["in", "under"].contains(text.words[$0 - 1]) })
            || text.words.indices.contains(where: { text.words[$0] == "review" && $0 > 0 && ["monthly", "weekly", "quarterly", "product", "exec", "our", "my", "business", "design", "team"].contains(text.words[$0 - 1]) }) {
            statusWords.remove("review")
        }
        for status in ["running", "draft", "shipped", "killed", "review"] where statusWords.contains(where: { QuestionText.matches($0, status, fuzzy: false) }) {
            if entities.status == nil { entities.status = status }
            entities.statuses.append(status)
        }
        // "How many experiments did we kill?": done already, so the status, not the verdict.
        if entities.status == nil, let kill = text.words.firstIndex(of: "kill"), kill > 1, text.words[kill - 2] == "did" {
            entities.status = "killed"
            entities.statuses.append("killed")
        }
        // "Which team runs the most experiments right now?": running.
        if entities.status == nil, text.contains(phrase: ["right", "now"]), !Set(text.words).isDisjoint(with: ["runs", "run", "running"]) {
            entities.status = "running"
            entities.statuses = ["running"]
        }
        // "in readout": the status (the product's own name elsewhere).
        if text.contains(phrase: ["in", "readout"]) {
            if entities.status == nil { entities.status = "readout" }
            entities.statuses.append("readout")
        }
        // How people say "running".
        if entities.status == nil, ["live", "active", "ongoing", "underway"].contains(where: { text.contains($0, fuzzy: false) }) || text.contains(phrase: ["in", "flight"]) {
            entities.status = "running"
        }
        if let status = entities.status, entities.statuses.count <= 1 {
            entities.statusNegated = Entities.negatesStatus(text.words, status: status)
        }
        dates(question, today: context.today, into: &entities)
        entities.daily = DailyQuery.parse(question.words)
        // "Exposure rate between Oct 5 and Oct 10", "for the first week": one rate over those days (exposed over
        // assigned), unless each day is asked for ("daily", "per day", "rates").
        if let range = entities.dates, range.from != nil, range.to != nil, !range.isSingleDay, entities.daily.measure == .exposureRate,
           entities.daily.aggregates.isEmpty, entities.daily.descending == nil, entities.daily.threshold == nil, question.words.contains("rate"),
           question.words.allSatisfy({ !["rates", "daily", "day", "days", "per", "each", "trend", "time", "breakdown", "which", "when"].contains($0) }),
           // "The exposure rate on 10/8 and 10/9": each of the two days, not one rate over them.
           !(question.words.contains("on") && (question.words.contains("and") || question.words.contains("than"))
             && question.words.allSatisfy({ !["between", "from", "through", "thru", "until", "till", "over", "during", "across", "range", "pooled", "overall", "combined"].contains($0) })) {
            entities.daily.pooled = true
        }
        // "in each running experiment": a status word between "each" and its noun.
        let grouping = question.words.filter { !["running", "live", "active", "shipped", "draft", "killed"].contains($0) }
        for (index, (word, next)) in zip(grouping, grouping.dropFirst()).enumerated() where ["per", "by", "each"].contains(word) {
            // "Per experiment status", "by experiment owner": the word after "experiment" is the group.
            let after = index + 2 < grouping.count ? grouping[index + 2] : ""
            let noun = ["experiment", "experiments", "test", "tests"].contains(next)
                && ["status", "statuses", "state", "stage", "owner", "owners", "team", "teams", "verdict", "verdicts"].contains(after) ? after : next
            if ["team", "teams", "owner", "owners"].contains(noun) { entities.groupBy = "owner" }
            if ["status", "statuses", "state", "stage"].contains(noun) { entities.groupBy = "status" }
            if ["experiment", "experiments", "test", "tests"].contains(noun) { entities.groupBy = "experiment_id" }
            if ["verdict", "verdicts", "decision", "decisions"].contains(noun) { entities.groupBy = "verdict" }
        }
        // "Team-growth experiments: how many users were assigned to each?": each experiment.
        if question.words.last == "each", question.words.contains(where: { ["experiments", "tests"].contains($0) }) {
            entities.groupBy = "experiment_id"
        }
        // "Top 2 teams by total users".
        for (index, word) in question.words.enumerated() where word == "top" && index + 2 < question.words.count {
            if let n = Int(question.words[index + 1]), ["teams", "owners"].contains(question.words[index + 2]) {
                entities.groupBy = "owner"
                entities.groupRanking = n
                entities.consumed.formUnion(["top", "teams", "owners"])
            }
        }
        // "Which team has the most experiments?", "who runs the fewest tests?": the owner with the most.
        let words = question.words
        let asksWhichTeam = zip(words, words.dropFirst()).contains { ["which", "what", "whose"].contains($0) && ["team", "teams", "owner", "owners", "group"].contains($1) }
            || zip(words, words.dropFirst()).contains { $0 == "who" && ["owns", "runs", "has", "own", "run"].contains($1) }
        // "Which team has the most users?", "which team's experiments have the most users in total?": the owner first by users.
        if asksWhichTeam {
            for (index, word) in words.enumerated() where ["most", "fewest", "least"].contains(word) {
                if words[(index + 1)...].prefix(3).contains(where: { ["users", "units", "people", "participants", "traffic"].contains($0) }) {
                    entities.groupBy = "owner"
                    entities.groupRanking = 1
                    entities.groupAscending = word != "most"
                    entities.consumed.formUnion([word, "team", "teams", "owner", "owners", "total"])
                }
            }
        }
        // "Which status has the most experiments?": the status with the most.
        let asksWhichStatus = zip(words, words.dropFirst()).contains { ["which", "what"].contains($0) && ["status", "statuses", "stage", "state"].contains($1) }
        if asksWhichTeam || asksWhichStatus || entities.groupBy != nil {
            for (index, word) in words.enumerated() where ["most", "fewest", "least", "highest", "lowest"].contains(word) {
                if words[(index + 1)...].prefix(3).contains(where: { ["experiments", "tests", "experiment", "test"].contains($0) }) {
                    entities.groupBy = entities.groupBy ?? (asksWhichStatus && !asksWhichTeam ? "status" : "owner")
                    entities.groupOrder = ["most", "highest"].contains(word)
                    entities.counting = true
                    entities.consumed.formUnion([word, "who", "owns", "runs", "team", "teams", "owner"])
                }
            }
        }
        entities.aboutCreation = question.words.contains { ["created", "creation"].contains($0) }
        entities.mentionsGuardrails = question.words.contains { ["guardrail", "guardrails"].contains($0) }
        let pairs = Array(zip(question.words, question.words.dropFirst()))
        entities.withData = pairs.contains { ["has", "have", "with", "having"].contains($0) && $1 == "data" }
        entities.treatmentArmsOnly = entities.variant == nil && entities.experiments.isEmpty
            && (pairs.contains { $0 == "treatment" && ["arms", "groups", "variants"].contains($1) } || question.words.contains("treatments"))
        // "by arm", "per variant", "for each treatment arm".
        let armNouns: Set<String> = ["arm", "arms", "variant", "variants", "variation", "variations", "group", "groups"]
        entities.perArm = pairs.contains { ["by", "per", "each", "every"].contains($0) && armNouns.contains($1) }
            // "Arm-level results", "breakdown by arm".
            || question.words.contains { ["arm-level", "variant-level"].contains($0) }
            // "in each checkout arm", "every search ranking variant": the experiment's name between.
            || question.words.indices.contains { index in
                ["each", "every"].contains(question.words[index])
                    && question.words[(index + 1)...].prefix(3).contains { ["arm", "arms", "variant", "variants"].contains($0) }
            }
            || question.words.indices.dropLast(2).contains { ["each", "every", "per"].contains(question.words[$0]) && question.words[$0 + 1] == "treatment" && armNouns.contains(question.words[$0 + 2]) }
        // "Mean latency for control vs treatment" asks for each arm's mean, not the lift between them.
        entities.asksForMean = question.words.contains { ["mean", "means", "average", "averages", "avg"].contains($0) }
            && !question.words.contains { ["lift", "uplift", "difference", "delta", "impact", "effect", "change"].contains($0) }
        let mentionsITT = question.words.contains("itt") || question.contains(phrase: ["intent", "to", "treat"])
            || question.contains(phrase: ["everyone", "assigned"]) || question.contains(phrase: ["everybody", "assigned"]) || question.contains(phrase: ["all", "assigned"])
        // "Does the verdict change for exposed users?" compares the exposed population with everyone
        // assigned; "does the win still hold for exposed users?" asks for the exposed result only.
        // "Saw the pricing page change" names the change tested, not a change between populations.
        let said = question.words
        let changes = said.indices.contains { index in
            guard ["change", "changes"].contains(said[index]) else { return false }
            let next = index + 1 < said.count ? said[index + 1] : "", previous = index > 0 ? said[index - 1] : ""
            return ["if", "when", "between", "under", "once"].contains(next)
                || ["does", "do", "would", "will", "analysis", "verdict", "verdicts", "result", "results", "lift", "answer", "conclusion", "picture"].contains(previous)
        }
        let comparesPopulations = entities.mode == "exposed"
            && (said.contains { ["different", "differ", "differs", "same"].contains($0) } || changes)
        entities.bothModes = (mentionsITT && entities.mode == "exposed") || comparesPopulations
        if entities.bothModes { entities.mode = "itt" }
        entities.allMetrics = pairs.contains { ["each", "every", "all", "by", "per", "which", "what"].contains($0) && ["metric", "metrics"].contains($1) }
        entities.secondaryMetrics = entities.metric == nil && pairs.contains { $0 == "secondary" && ["metric", "metrics", "kpi", "kpis"].contains($1) }
        if entities.secondaryMetrics { entities.allMetrics = false }
        entities.total = question.words.contains { ["total", "sum", "overall"].contains($0) }
        // "Which recs v2 model has the higher chance?": the arms, named by what they are.
        let aboutArms = question.words.contains { ["arm", "arms", "variant", "variants", "variation", "variations", "group"].contains($0) }
            || (!entities.experiments.isEmpty && pairs.contains { $0.0 == "which" && ["model", "version", "treatment", "design", "one"].contains($0.1) })
            // "Which of the recommendation models has the highest conversion rate?"
            || (!entities.experiments.isEmpty && question.contains(phrase: ["which", "of", "the"]) && question.words.contains { ["models", "versions", "designs", "treatments"].contains($0) })
            || (entities.experiments.count == 1 && question.words.indices.dropLast().contains { index in
                question.words[index] == "which" && question.words[(index + 1)...].prefix(4).contains { word in ["model", "version", "treatment"].contains(word) } })
        if aboutArms {
            let words = Set(question.words)
            let higherIsBetter = entities.metric?.direction != .decrease
            if !words.isDisjoint(with: ["highest", "most", "biggest", "largest", "top", "slowest"]) { entities.armOrder = true }
            else if !words.isDisjoint(with: ["lowest", "least", "smallest", "fewest", "fastest"]) { entities.armOrder = false }
            else if words.contains("best") || words.contains("winning") { entities.armOrder = higherIsBetter }
            else if words.contains("worst") || words.contains("losing") { entities.armOrder = !higherIsBetter }
            // "Which arm had the faster page load?": a comparative asked of the arms picks one of them.
            else if !words.isDisjoint(with: ["which", "what"]) {
                if !words.isDisjoint(with: ["higher", "bigger", "larger", "more", "slower"]) { entities.armOrder = true }
                else if !words.isDisjoint(with: ["lower", "smaller", "fewer", "less", "faster", "quicker"]) { entities.armOrder = false }
                else if words.contains("better") { entities.armOrder = higherIsBetter }
                else if words.contains("worse") { entities.armOrder = !higherIsBetter }
            }
            if entities.armOrder != nil {
                entities.consumed.formUnion(words.intersection(["highest", "most", "biggest", "largest", "top", "lowest", "least", "smallest", "fewest", "best", "worst", "slowest", "fastest",
                                                                  "higher", "bigger", "larger", "slower", "lower", "smaller", "fewer", "faster", "quicker", "better", "worse"]))
            }
        }
        // "Did the pricing test's treatment arm get more users than control?": the two arms' users compared.
        if entities.experiments.count == 1, question.words.contains("than"),
           !Set(question.words).isDisjoint(with: ["users", "traffic", "people", "participants", "units", "visitors", "assigned"]),
           Set(question.words).isDisjoint(with: ["rate", "rates", "conversion", "convert", "converted", "cvr", "revenue", "lift", "mean", "average", "latency"]),
           let comparative = question.words.first(where: { ["more", "fewer", "less", "bigger", "smaller", "larger"].contains($0) }) {
            // The arms in the order the question names them ("treatment_b" as written, not "treatment").
            let arms = Set((entities.experiments.first?.variants.map(\.id) ?? []) + ["control", "treatment"])
            let lowered = question.original.lowercased()
            let named = arms.flatMap { arm -> [(String.Index, String)] in
                lowered.ranges(of: arm).filter { range in
                    let before = range.lowerBound == lowered.startIndex ? nil : lowered[lowered.index(before: range.lowerBound)]
                    let after = range.upperBound == lowered.endIndex ? nil : lowered[range.upperBound]
                    return !(before.map { $0.isLetter || $0 == "_" } ?? false) && !(after.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false)
                }.map { ($0.lowerBound, arm) }
            }.sorted { $0.0 < $1.0 }.map(\.1)
            if named.count >= 2, named[0] != named[1] {
                entities.armSizeComparison = (named[0], ["more", "bigger", "larger"].contains(comparative), named[1])
                entities.consumed.formUnion(["than", comparative, "get", "got", "have", "has", "had", "receive", "received"].filter(question.words.contains))
            }
        }
        // "What's the split?" wants the arms; "is the split balanced?" wants the yes or no.
        let yesNo = question.words.first.map { ["is", "are", "does", "do", "did", "was", "were", "has", "have", "any"].contains($0) } ?? false
        entities.asksForSplit = !yesNo && question.words.contains { ["split", "allocation", "allocated", "counts", "sizes"].contains($0) }
        // "Assigned vs exposed", "what share of assigned users actually saw it".
        // ("Exposed before they were assigned" is the pre-assignment exposure flag, not assigned vs exposed.)
        let beforeAssignment = question.words.contains("before") && !Set(question.words).isDisjoint(with: ["assigned", "assignment"])
        entities.assignedAndExposed = question.words.contains("assigned") && (question.words.contains("exposed") || sawIt) && !beforeAssignment
            // "How many users never saw the treatment?": assigned and never exposed.
            || (question.words.contains("never") && !Set(question.words).isDisjoint(with: ["saw", "seen", "exposed", "see"]))
            // "Exposure rate by arm", "exposure rate for control vs treatment": each arm's exposed share of its assigned users.
            || (question.contains(phrase: ["exposure", "rate"]) && !entities.experiments.isEmpty && (entities.perArm
                || (question.words.contains("control") && question.words.contains("treatment")) || question.words.contains("arms")))
        if entities.assignedAndExposed { entities.mode = "itt" }
        entities.counting = entities.counting || question.contains(phrase: ["how", "many"]) || question.contains(phrase: ["number", "of"]) || question.words.first == "count"
            // "experiments by status, with counts".
            || (entities.groupBy != nil && !question.words.allSatisfy { !["counts", "tally", "count"].contains($0) })
            || (question.words.contains("count") && CountedThing.parse(question.words) != nil)
        // "Total users in checkout button" is a count of users, one number.
        if let index = question.words.firstIndex(where: { ["total", "sum"].contains($0) }),
           question.words[(index + 1)...].prefix(3).contains(where: { CountedThing.nouns[$0] == .users }) {
            entities.counting = true
        }
        // "Sample ratio mismatch" names the check; "a mismatch" on its own is a failure.
        // "Do any tests have a sample ratio mismatch?" asks for the failing ones.
        // ("For every experiment that has data" does not ask whether any has one.)
        let namesCheck = question.contains(phrase: ["ratio", "mismatch"]) && question.words.indices.allSatisfy { index in
            !["any", "have", "has", "had"].contains(question.words[index]) || (index + 1 < question.words.count && question.words[index + 1] == "data")
        }
        entities.asksForFailures = question.contains(phrase: ["not", "ok"]) || question.contains(phrase: ["not", "okay"]) || question.words.contains {
            ["fail", "fails", "failing", "failed", "problem", "problems", "issue", "issues", "unhealthy", "broken", "imbalance", "imbalanced", "blocked", "warning", "warnings"].contains($0)
                || (!namesCheck && ["mismatch", "mismatches"].contains($0))
        }
        // "Pooled conversion rate across both arms", "overall CVR with all arms together": one rate.
        let rateAsked = question.words.contains { ["rate", "rates", "cvr", "arpu", "mean", "average"].contains($0) }
        entities.pooled = question.words.contains { ["pooled", "combined", "blended"].contains($0) }
            // "Overall CVR of running experiments": one rate over them all.
            || (entities.experiments.isEmpty && question.words.contains("overall") && question.words.contains { ["cvr", "rate", "arpu"].contains($0) }
                && !question.words.contains { ["exposure", "exposed", "per", "each", "by", "which"].contains($0) })
            // "avg spend per buyer across both arms": one figure over the arms together.
            || question.words.indices.dropLast(2).contains { question.words[$0] == "across" && ["both", "all"].contains(question.words[$0 + 1])
                && ["arms", "variants", "groups"].contains(question.words[$0 + 2]) } && !question.words.contains { ["lift", "lifts", "uplift"].contains($0) }
            || (rateAsked && question.words.contains("overall") && question.words.contains { ["arms", "variants", "groups"].contains($0) })
        // "Experiments per owner", "tests by status": counted per group (a list is asked with "list" or "show").
        if !entities.counting, question.words.first.map({ !["list", "show", "give", "display"].contains($0) }) ?? true,
           question.words.indices.dropLast(2).contains(where: { ["experiments", "exps", "tests"].contains(question.words[$0])
               && ["per", "by"].contains(question.words[$0 + 1]) && ["owner", "team", "status", "owners", "teams", "state"].contains(question.words[$0 + 2]) }),
           question.words.count <= 6 {
            entities.counting = true
        }
        entities.ended = question.words.contains { ["ended", "finished", "completed", "concluded"].contains($0) }
            || ["have", "has", "with"].contains { question.contains(phrase: [$0, "an", "end", "date"]) || question.contains(phrase: [$0, "end", "dates"]) }
        // "How many users converted?", "number of conversions": converters, not users.
        // "How many people bought something in control vs treatment": per arm.
        if question.words.contains(where: { ["vs", "versus"].contains($0) }), question.words.contains("control"), question.words.contains("treatment") {
            entities.perArm = true
        }
        // "How many users landed in Single page vs Control?": each arm's count.
        if entities.counting, question.words.contains(where: { ["vs", "versus"].contains($0) }), question.words.contains("control"),
           question.words.contains(where: { ["users", "people", "units", "visitors", "participants"].contains($0) }) {
            entities.perArm = true
            entities.variant = nil
        }
        entities.countsConversions = (entities.counting || question.words.contains("total"))
            && question.words.contains { ["converted", "conversions", "converters", "convert", "converting", "bought", "purchased", "buyers", "purchasers"].contains($0) }
        let namesVerdict = !question.words.allSatisfy { !["verdict", "verdicts", "recommendation", "recommendations", "call"].contains($0) }
        if namesVerdict, question.words.contains("launch") {
            // "Which experiments have a Launch verdict?": the verdict named, whatever else is said ("I only want the winners").
            entities.slice = "launch"
        } else if Self.eitherDirection(text.words), text.containsExactly("significant") || text.containsExactly("significantly") || text.words.contains("sig") {
            // "Significant, win or lose", "in either direction": significance whatever the sign.
            entities.slice = "significant"
        } else if ["winning", "winner", "winners", "won", "win", "wins", "beat", "beats", "beaten", "beating"].contains(where: { text.contains($0, fuzzy: false) }) {
            entities.slice = "winning"
        } else if ["losing", "loser", "losers", "lost", "lose", "loses", "hurting", "hurt", "hurts"].contains(where: { text.contains($0, fuzzy: false) })
                    || text.words.contains("worse") && (text.containsExactly("significantly") || text.containsExactly("significant")) {
            entities.slice = "losing"
        } else if !text.containsExactly("significant"), !text.containsExactly("significantly"), text.words.contains("negative") {
            entities.slice = "negative"
        } else if !text.containsExactly("significant"), !text.containsExactly("significantly"), text.words.contains("positive") {
            entities.slice = "positive"
        } else if ["interval", "intervals", "ci", "cis", "bound"].contains(where: { text.words.contains($0) }), text.contains(phrase: ["above", "zero"]) || text.contains(phrase: ["above", "0"]) {
            // "A lift interval entirely above zero": significant and up.
            entities.slice = "increased"
        } else if ["interval", "intervals", "ci", "cis", "bound"].contains(where: { text.words.contains($0) }), text.contains(phrase: ["below", "zero"]) || text.contains(phrase: ["below", "0"]) {
            entities.slice = "decreased"
        } else if text.contains(phrase: ["not", "significant"]) || text.words.contains("insignificant") || text.words.contains("inconclusive")
                    || (["include", "includes", "cross", "crosses", "contain", "contains", "span", "spans", "inside", "within", "straddle", "straddles"].contains(where: { text.words.contains($0) }) && text.words.contains("zero")) {
            entities.slice = "not_significant"
        } else if text.contains("underpowered") || text.contains(phrase: ["not", "enough", "power"]) || text.contains(phrase: ["low", "power"])
                    || (text.words.contains("not") && text.contains(phrase: ["enough", "power"])) {
            entities.slice = "underpowered"
        } else if ["increased", "increase", "increases", "raised", "grew", "boosted"].contains(where: { text.contains($0, fuzzy: false) }) {
            entities.slice = "increased"
        } else if ["decreased", "decrease", "decreases", "reduced", "reduce", "reduces", "lowered", "dropped", "cut", "drop", "drops", "fell", "declined", "decline"].contains(where: { text.contains($0, fuzzy: false) }) {
            entities.slice = "decreased"
        } else if text.containsExactly("significantly") || text.containsExactly("significant"), ["up", "higher", "positive", "positively"].contains(where: { text.words.contains($0) }) {
            entities.slice = "increased"
        } else if text.containsExactly("significantly") || text.containsExactly("significant"), ["down", "lower", "negative", "negatively"].contains(where: { text.words.contains($0) }) {
            entities.slice = "decreased"
        } else if ["launch", "launchable", "launching", "ship", "shipping", "shippable"].contains(where: { text.contains($0, fuzzy: false) }) {
            entities.slice = "launch"
        } else if text.contains("rollback") || (text.words.contains("kill") && entities.status != "killed") || text.contains(phrase: ["roll", "back"]) || text.contains(phrase: ["rolled", "back"]) || text.contains(phrase: ["rolling", "back"]) {
            entities.slice = "rollback"
        } else {
            entities.slice = "significant"
        }
        // "treatment vs treatment b": both arms, so no one arm is the filter.
        entities.twoTreatments = entities.twoTreatments || namesTwoTreatments(question)
        if entities.twoTreatments {
            entities.variant = nil
            entities.consumed.formUnion(["b", "treatment_b"])
        }
        return entities
    }

    /// Owning teams: the full handle (team-growth), or its short name next to "team", "owned" or "owner".
    static func owners(_ text: QuestionText, context: PlannerContext, into entities: inout Entities) {
        let owners = Set(context.experiments.map(\.owner))
        for owner in owners.sorted() {
            let short = owner.hasPrefix("team-") ? String(owner.dropFirst(5)) : owner
            // "growth's experiments", "growth experiments": the short name as a possessive or before "experiments".
            let experimentWord = context.experiments.contains { $0.words.contains(short) }
            let possessive = text.words.indices.dropLast().contains {
                text.words[$0] == short && (text.words[$0 + 1] == "s" || (!experimentWord && ["experiments", "tests"].contains(text.words[$0 + 1])))
            }
            if text.words.contains(owner) || possessive
                || (text.contains(short, fuzzy: false) && (text.contains("team", fuzzy: false) || text.contains("owned", fuzzy: false) || text.contains("owner", fuzzy: false))) {
                entities.owner = owner
            }
        }
    }

    static func dates(_ text: QuestionText, today: String, into entities: inout Entities) {
        // "The last three days of the test": the experiment's own last days of data, placed by the query.
        let words = text.words
        let counts = ["two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7]
        // "Its latest day of data", "the most recent day": its own last day of data.
        if zip(words, words.dropFirst()).contains(where: { ["latest", "newest"].contains($0.0) && $0.1 == "day" }) || text.contains(phrase: ["most", "recent", "day"]) {
            entities.lastDays = 1
            entities.consumed.formUnion(["latest", "newest", "most", "recent", "day", "of", "data"])
            return
        }
        // "The last day of the test": its own last day of data.
        for index in words.indices.dropLast(3) where ["last", "final"].contains(words[index]) && words[index + 1] == "day" && words[index + 2] == "of"
            && words[(index + 3)...].prefix(5).contains(where: { ["test", "experiment", "run", "it"].contains($0) }) {
            entities.lastDays = 1
            entities.consumed.formUnion(["last", "final", "day", "of"])
            return
        }
        for index in words.indices.dropLast(3) where ["last", "final"].contains(words[index]) && words[index + 2].hasPrefix("day") {
            guard let n = Int(words[index + 1]) ?? counts[words[index + 1]], n > 0, n <= 60 else { continue }
            let rest = words[(index + 3)...].prefix(7)
            if rest.first == "of", rest.contains(where: { ["test", "experiment", "run", "it"].contains($0) }) {
                entities.lastDays = n
                entities.consumed.formUnion(["last", "final", words[index + 1], "day", "days", "of"])
                return
            }
        }
        entities.dates = DateRange.parse(text.words, original: text.original, today: today)
        // "The first week" of the experiment named; "after the 15th" in the month it started.
        if entities.dates == nil, entities.experiments.count == 1, let start = entities.experiments.first?.startedAt {
            entities.dates = DateRange.relative(text.words, start: start)
            if entities.dates == nil {
                let words = text.words
                for index in words.indices.dropLast() where ["after", "before", "since", "until"].contains(words[index]) {
                    let next = words[index + 1] == "the" && index + 2 < words.count ? words[index + 2] : words[index + 1]
                    guard let day = DateRange.dayNumber(next), next.count > 2 || words[index + 1] == "the" else { continue }
                    let month = String(start.prefix(7))
                    let date = month + "-" + (day < 10 ? "0\(day)" : "\(day)")
                    switch words[index] {
                    case "after": entities.dates = DateRange(from: DateRange.shift(date, days: 1), to: nil)
                    case "since": entities.dates = DateRange(from: date, to: nil)
                    case "before": entities.dates = DateRange(from: nil, to: DateRange.shift(date, days: -1))
                    default: entities.dates = DateRange(from: nil, to: date)
                    }
                }
            }
        }
    }
}

extension Entities {
    /// The words that name each status.
    static let statusWords: [String: Set<String>] = [
        "running": ["running", "live", "active", "ongoing", "underway"], "draft": ["draft", "drafts"], "shipped": ["shipped"],
        "killed": ["killed"], "review": ["review"], "readout": ["readout"],
    ]

    /// "Not running", "not yet shipped", "no longer live", "not in review": the status word negated right before it.
    static func negatesStatus(_ words: [String], status: String) -> Bool {
        guard let names = statusWords[status] else { return false }
        for (index, word) in words.enumerated() where names.contains(word) {
            var look = index - 1
            while look >= 0, ["yet", "currently", "still", "actively", "in", "longer"].contains(words[look]) { look -= 1 }
            if look >= 0, words[look] == "not" || (words[look] == "no" && look + 1 < index && words[look + 1] == "longer") { return true }
        }
        return false
    }
}
