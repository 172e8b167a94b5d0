import Foundation
import Semantic

/// The last check before a plan is answered: everything the question asked for — a count, a total,
/// an order, an average, a threshold, a day-by-day view, the exposed population, a status, owner,
/// metric, arm or dates — must show in the SQL that would answer it. A word can be understood and
/// still be dropped by the shape the planner chose ("total exposed users in the first week"
/// answered with all-time assigned users per arm); this check catches that, so the planner
/// declines instead of answering a different question.
enum PlanCheck {
    /// What the question asked that `sql` does not do, in the question's words (empty when all is honoured).
    static func unhonoured(_ text: QuestionText, intent: IntentID, entities: Entities, sql: String) -> [String] {
        let words = text.words
        let set = Set(words)
        let lower = sql.lowercased()
        // The select list: what the answer's columns are (a WHERE on date_day is not a column per day).
        let selected = lower.components(separatedBy: " from ").first ?? lower
        var missing: [String] = []
        let aggregates = lower.contains("count(") || lower.contains("sum(")
        let pairs = Array(zip(words, words.dropFirst()))

        // A count is one number (or one per group), not the rows it counts (a sizing question's users
        // and days come from the engine).
        // ("How many days did it run?" is its run length, computed from its dates.)
        if entities.counting, entities.power == nil, !(entities.asksRunLength && lower.contains("as days_run")) {
            switch CountedThing.parse(words) {
            case .days?, .experiments?, .arms?, .metrics?:
                // A count, and a count of the thing asked ("arms" are not "experiments").
                let counts: [CountedThing: [String]] = [.days: ["as days"], .experiments: ["as experiments"], .arms: ["as arms"], .metrics: ["as metrics"]]
                let thing = CountedThing.parse(words) ?? .experiments
                if !lower.contains("count(") || !(counts[thing] ?? []).contains(where: lower.contains) { missing.append("how many") }
            case .users? where intent == .exposureQuality:
                // One experiment's one day: that day's row is the count.
                let oneDay = entities.dates?.isSingleDay == true && entities.experiments.count == 1 && lower.contains("date_day >= ")
                if !aggregates && !oneDay { missing.append("how many") }
            case .users?, nil:
                let sizes = ["n_users", "n_converted", "_units", "required_users", "_users"].contains { lower.contains($0) }
                if !aggregates && !sizes { missing.append("how many") }
            }
        }
        // "14-day conversion": a window the metric does not have.
        for word in words where word.hasSuffix("-day") || word.hasSuffix("-days") {
            let window = word.components(separatedBy: "-").first ?? ""
            if Int(window) != nil, !(entities.metric?.name.lowercased().contains("\(window)-day") ?? false), !(entities.metric?.id.contains("_\(window)d") ?? false),
               !(entities.metric == nil && window == "7") {
                missing.append(word)
            }
        }
        // Forecasts and causes: the warehouse holds what happened, not what will or why.
        // "If we keep it running two more weeks, what will its lift be?": a forecast too (sizing questions are the engine's).
        let willBe = words.indices.dropLast().contains { words[$0] == "will" && words[($0 + 1)...].prefix(4).contains(where: { ["be", "look", "end", "land", "reach", "become"].contains($0) }) }
        if pairs.contains(where: { $0 == ("when", "will") || $0 == ("going", "to") }) || words.first == "will" || !set.isDisjoint(with: ["forecast", "predict", "projected", "projection", "eta"])
            || (willBe && entities.power == nil) {
            missing.append("a forecast")
        }
        if set.contains("why"), intent != .verdict, !(intent == .health && lower.contains("reasons")) { missing.append("why") }
        // "What broke logging on Oct 8-9?", "what caused the drop?": a cause the warehouse does not store.
        if pairs.contains(where: { $0 == ("what", "broke") || $0 == ("what", "broken") || $0 == ("what", "caused") || $0 == ("root", "cause") || $0 == ("what", "causes") }) {
            missing.append("a cause")
        }
        // "Why did people in the treatment convert less?": the users' behaviour, not the verdict's reasons.
        else if let index = words.firstIndex(of: "why"), index + 2 < words.count, ["did", "do", "does", "were", "are", "was", "is"].contains(words[index + 1]),
                ["people", "users", "customers", "visitors", "buyers", "they", "conversion", "conversions", "revenue", "latency", "sales", "signups"].contains(words[index + 2]) {
            missing.append("why")
        }
        // "What MDE can it detect with the traffic it has?": the effect detectable now is not stored (the power check
        // stores the power for the configured effect; a sizing question states the effect).
        if entities.power == nil || !set.isDisjoint(with: ["now", "currently", "current", "today", "already"]) || pairs.contains(where: { $0 == ("it", "has") || $0 == ("they", "have") }),
           pairs.contains(where: { ["what", "which"].contains($0.0) && ["mde", "effect"].contains($0.1) || $0 == ("smallest", "effect") || $0 == ("smallest", "detectable") || $0 == ("smallest", "lift") }),
           !set.isDisjoint(with: ["detect", "detectable", "mde"]) {
            missing.append("the effect it could detect now")
        }
        // Counterfactuals: "would dark mode have won if we'd run it?", "the revenue impact if we ship it to 100%".
        if set.contains("if"), !set.isDisjoint(with: ["would", "could", "had", "d"]) { missing.append("what if") }
        else if words.indices.dropLast(2).contains(where: { words[$0] == "if" && ["we", "they", "you", "i"].contains(words[$0 + 1])
            && ["ship", "shipped", "launch", "launched", "roll", "rolled", "rollout", "keep", "kept", "stop", "stopped", "extend", "extended", "run", "ran", "double", "increase"].contains(words[$0 + 2]) }) {
            missing.append("what if")
        }
        // Across experiments, a verdict named ("a Launch verdict", "got a Rollback") is a filter on the verdict.
        if entities.experiments.isEmpty, intent != .listExperiments || lower.contains("fct_experiment_verdicts"),
           !set.isDisjoint(with: ["launch", "rollback"]) || pairs.contains(where: { $0 == ("roll", "back") || $0 == ("on", "hold") }),
           !set.isDisjoint(with: ["which", "experiments", "tests", "any", "list", "count", "many"]),
           !(lower.contains("verdict =") || lower.contains("verdict in") || lower.contains("verdict like") || lower.contains("verdict <>") || lower.contains("group by verdict")) {
            missing.append("the verdict named")
        }
        // Two teams named ("team-growth or team-checkout"): both are in the answer.
        let teams = Set(words.filter { $0.hasPrefix("team-") && $0.count > 5 })
        if teams.count > 1, let absent = teams.sorted().first(where: { !lower.contains("'\($0)'") }) { missing.append(absent) }
        // "First week vs second week": two periods side by side.
        let weekOrdinals = pairs.filter { ["first", "second", "third", "fourth", "last", "1st", "2nd", "3rd"].contains($0.0) && $0.1.hasPrefix("week") }
        if weekOrdinals.count > 1 { missing.append("both periods") }
        // "Above 94% on every single day": a bound that holds on each day, not on some.
        if words.indices.dropLast().contains(where: { ["every", "each", "all"].contains(words[$0]) && ["day", "days", "single"].contains(words[$0 + 1]) }),
           words.indices.dropLast().contains(where: { ["above", "below", "under", "over"].contains(words[$0]) && words[$0 + 1].first?.isNumber == true }),
           !(lower.contains("having") || lower.contains("not exists") || lower.contains("not in")) {
            missing.append("on every day")
        }
        // Across experiments, "a failing guardrail" is a filter on the guardrails' state.
        if entities.experiments.isEmpty, !set.isDisjoint(with: ["guardrail", "guardrails"]),
           !set.isDisjoint(with: ["failing", "failed", "fails", "fail", "breached", "violated", "tripped", "worsened"]),
           !["failing", "worsened", "severe"].contains(where: { lower.contains("'\($0)'") }),
           !["guardrail_status in", "guardrail_status =", "guardrail_status <>", "guardrail_status not in", "guardrails_status =", "guardrails_status in"].contains(where: lower.contains) {
            missing.append("the failing guardrail")
        }
        // An interval at another level than the stored 95% ("the 99% CI", "at 90% confidence").
        if !set.isDisjoint(with: ["interval", "intervals", "ci", "cis", "confidence"]),
           let level = words.first(where: { Double($0).map { [80, 85, 90, 98, 99, 99.5, 99.9].contains($0) } ?? false }),
           words.indices.contains(where: { words[$0] == level && words[($0 + 1)...].prefix(2).contains(where: ["ci", "cis", "interval", "intervals", "confidence", "level"].contains)
                                           || words[$0] == level && $0 > 0 && ["at", "the", "a"].contains(words[$0 - 1]) }) {
            missing.append("the \(level)% interval")
        }
        // Two minimum detectable effects ("at 10% and at 5% MDE"): one power check at a time.
        if !set.isDisjoint(with: ["mde", "detect", "detectable", "effect"]), Set(words.filter { Double($0) != nil && ($0.contains(".") || (Double($0) ?? 0) < 100) }).count > 2,
           set.contains("and"), entities.power != nil || !set.isDisjoint(with: ["power", "powered"]) {
            missing.append("both effects")
        }
        // "How many are running and how many are drafts?": two counts.
        if pairs.filter({ $0 == ("how", "many") }).count > 1, lower.components(separatedBy: "count(").count == 2, !lower.contains("group by") {
            missing.append("both counts")
        }
        // "Best and worst day", "highest and lowest": both ends, not one row.
        let ends: [(Set<String>, Set<String>)] = [(["best", "highest", "biggest", "largest", "max", "maximum", "top", "earliest", "first"], ["worst", "lowest", "smallest", "min", "minimum", "bottom", "latest", "last"])]
        for (high, low) in ends where !set.isDisjoint(with: high) && !set.isDisjoint(with: low) && set.contains("and") && lower.contains(" limit 1") {
            if words.indices.dropLast(2).contains(where: { (high.contains(words[$0]) && words[$0 + 1] == "and" && low.contains(words[$0 + 2]))
                || (low.contains(words[$0]) && words[$0 + 1] == "and" && high.contains(words[$0 + 2])) }) {
                missing.append("both ends")
            }
        }
        // "On Oct 7 and on Oct 10": two days, not the range between them ("between … and …", "from … to …" are ranges).
        let dayMentions = words.indices.filter { index in
            DateRange.months[words[index]] != nil && index + 1 < words.count && words[index + 1].first?.isNumber == true && (Int(words[index + 1].prefix(while: \.isNumber)) ?? 99) <= 31
        }
        // (Two consecutive days are the range between them.)
        let consecutive = dayMentions.count == 2 && DateRange.months[words[dayMentions[0]]] == DateRange.months[words[dayMentions[1]]]
            && abs((Int(words[dayMentions[1] + 1].prefix(while: \.isNumber)) ?? 0) - (Int(words[dayMentions[0] + 1].prefix(while: \.isNumber)) ?? 0)) == 1
        if dayMentions.count == 2, !consecutive, set.isDisjoint(with: ["between", "from", "through", "thru", "to", "until", "till"]),
           words[dayMentions[0]..<dayMentions[1]].contains("and") || words[dayMentions[0]..<dayMentions[1]].contains("or") || words[dayMentions[0]..<dayMentions[1]].contains("than") {
            missing.append("those two days")
        }
        // Units the answer is not in: "in basis points", "per 1,000 users".
        if !set.isDisjoint(with: ["bps", "bp"]) || pairs.contains(where: { $0 == ("basis", "points") || $0 == ("basis", "point") }) {
            missing.append("basis points")
        }
        if let pair = pairs.first(where: { $0.0 == "per" && (["thousand", "1000", "10000", "100000", "million", "100", "1k", "10k"].contains($0.1)) }) {
            missing.append("\(pair.0) \(pair.1)")
        }
        // "Annualized revenue impact", "per year": a projection beyond the data's window ("annual" alone may name
        // the pricing test's arm, "Annual plans first").
        if words.indices.contains(where: { ["annualized", "annualised", "yearly"].contains(words[$0]) && !AccountabilityGate.namesDocumentTime(words, at: $0) })
            || words.indices.dropLast().contains(where: { words[$0] == "annual" && ["revenue", "impact", "value", "gain", "loss", "dollars", "sales", "run-rate"].contains(words[$0 + 1]) })
            || pairs.contains(where: { $0 == ("per", "year") || $0 == ("a", "year") }) {
            missing.append("a yearly projection")
        }
        // "The lift without CUPED", "the CUPED-unadjusted lift": only the decision test's (adjusted) lift is stored;
        // a raw or unadjusted p-value is (beside the corrected one).
        if !set.isDisjoint(with: ["unadjusted", "cuped-unadjusted", "non-cuped", "pre-cuped"]) || (set.contains("cuped") && set.contains("without")),
           !set.isDisjoint(with: ["lift", "uplift", "effect", "difference", "delta"]), set.isDisjoint(with: ["p-value", "p", "pvalue", "p-val"]) {
            missing.append("the lift without CUPED")
        }
        if set.contains("would"), words.indices.dropLast().contains(where: { words[$0].first?.isNumber == true && words[$0 + 1] == "more" }) { missing.append("what if") }
        // "What power would X have with 20,000 users per arm?": a figure under other numbers than the data's
        // (a sizing question states an effect to detect and is answered by the engine instead).
        if entities.power == nil, !set.isDisjoint(with: ["would", "could"]), !set.isDisjoint(with: ["with", "at"]),
           words.indices.dropLast().contains(where: { words[$0].first?.isNumber == true && ["users", "units", "people", "days", "weeks", "visitors"].contains(words[$0 + 1]) })
            || !set.isDisjoint(with: ["alpha", "significance", "confidence", "threshold"]) && words.contains(where: { $0.first?.isNumber == true }) {
            // (…or under another alpha: "what would the verdict be at alpha 0.01?")
            missing.append("what if")
        }
        // "The last three days of the test": a span of the experiment the planner did not place.
        if entities.dates == nil, entities.lastDays == nil || intent != .exposureQuality || entities.experiments.count != 1,
           words.indices.dropLast(2).contains(where: { ["last", "final", "first"].contains(words[$0])
            && (Int(words[$0 + 1]) != nil || ["two", "three", "four", "five", "few"].contains(words[$0 + 1])) && words[$0 + 2].hasPrefix("day") }) {
            missing.append("those days")
        }
        // "total …" is a sum (or a count) — or each arm's own total when asked per arm.
        if !set.isDisjoint(with: ["total", "totals", "sum"]) {
            // An arm's own total is its value_sum ("total revenue in the treatment arm").
            let perGroup = (entities.perArm || entities.variant != nil) && (lower.contains("value_sum") || lower.contains("n_users"))
            if !aggregates && !perGroup { missing.append("total") }
        }
        // Superlatives need an order; "at least / at most" are thresholds.
        let superlatives: Set<String> = ["lowest", "highest", "best", "worst", "top", "most", "least", "biggest", "smallest", "fewest", "largest",
                                         "maximum", "minimum", "max", "min", "peak", "strongest", "weakest"]
        let thresholdWords = Set(pairs.filter { $0.0 == "at" && ["least", "most"].contains($0.1) }.map(\.1))
        if let word = words.first(where: { superlatives.contains($0) && !thresholdWords.contains($0) }),
           !(lower.contains(" desc") || lower.contains(" asc") || lower.contains("min(") || lower.contains("max(")) {
            missing.append(word)
        }
        // "Which has the higher conversion rate: A or B?": one of them, by order.
        if entities.experiments.count > 1, set.contains("which"), !set.isDisjoint(with: ["higher", "lower", "bigger", "smaller", "better", "worse", "more", "less"]),
           !lower.contains(" limit ") {
            missing.append("which is higher")
        }
        // Averages: a mean over rows, or each arm's per-user mean.
        // (A per-user or per-converter value — a sum over a count — is an average too.)
        if let word = words.first(where: { ["average", "averages", "avg", "mean", "means"].contains($0) }),
           !(lower.contains("avg(") || lower.contains("mean_value") || (lower.contains("value_sum") && lower.contains(" / "))) {
            missing.append(word)
        }
        // Thresholds: "below 50%", "more than 1000 users", "at least 95%".
        for (index, word) in words.enumerated() where index + 1 < words.count {
            let comparison = ["below", "under", "above", "over", "exceeding", "exceeds"].contains(word)
                || (["less", "more", "greater", "fewer", "lower", "higher"].contains(word) && words[index + 1] == "than")
                || (word == "at" && ["least", "most"].contains(words[index + 1]))
            guard comparison else { continue }
            // "Is the p-value under 0.05?" of one experiment: the answer's row holds the value to compare.
            if entities.experiments.count == 1, intent == .results { break }
            // "Is search ranking's SRM p-value below 0.001?": its one check's p-value, compared in the readout.
            if entities.experiments.count == 1, intent == .health, lower.contains("srm_p_value") { break }
            let next = words[(index + (word == "at" || words[index + 1] == "than" ? 2 : 1))...].prefix(2)
            if next.contains(where: { $0.first?.isNumber == true }), !(lower.contains(" < ") || lower.contains(" > ") || lower.contains("<=") || lower.contains(">=")) {
                missing.append("\(word) …")
                break
            }
        }
        // "At least 70% but below 80%": every bound the question sets is a comparison in the SQL.
        let bounds = words.indices.dropLast().filter { index in
            let word = words[index]
            let comparison = ["below", "under", "above", "over", "exceeding", "exceeds"].contains(word)
                || (["less", "more", "greater", "fewer", "lower", "higher"].contains(word) && words[index + 1] == "than")
                || (word == "at" && ["least", "most"].contains(words[index + 1]))
            return comparison && words[(index + 1)...].prefix(3).contains(where: { $0.first?.isNumber == true })
        }.count
        let comparisons = lower.components(separatedBy: CharacterSet(charactersIn: "<>")).dropFirst().filter { part in
            part.drop(while: { $0 == "=" || $0 == " " }).first.map { $0.isNumber || $0 == "-" || $0 == "." } ?? false
        }.count
        if bounds > 1, comparisons < bounds, !(entities.experiments.count == 1 && [.results, .health].contains(intent)) {
            missing.append("both bounds")
        }
        // "How much slower is A than B": a difference, not the two values side by side.
        if pairs.contains(where: { $0 == ("how", "much") }), set.contains("than"), !(lower.contains("uplift") || lower.contains(" - ")) {
            missing.append("how much … than")
        }
        // "At 3pm on Oct 5", "by the hour": the daily table has days, nothing finer.
        if text.original.range(of: #"\b\d{1,2}(:\d\d)?\s?(am|pm)\b"#, options: [.regularExpression, .caseInsensitive]) != nil
            || !set.isDisjoint(with: ["hour", "hours", "hourly", "noon", "midnight", "o'clock", "oclock", "minute", "minutes"]) {
            missing.append("that time of day")
        }
        // "Whats the number for recs": which number is not said.
        if intent == .results, entities.metric == nil, entities.measure == nil, !set.isDisjoint(with: ["number", "figure"]),
           set.isDisjoint(with: ["lift", "uplift", "effect", "impact", "p-value", "pvalue", "interval", "ci", "significant", "significance", "chance", "result", "results",
                                 "conversion", "cvr", "revenue", "arpu", "refund", "refunds", "latency", "primary", "winning", "winner", "better", "worse", "doing", "performing"]) {
            missing.append("which number")
        }
        // "Which arm is better?": arms asked about, answered with a list of experiments.
        if intent == .listExperiments, pairs.contains(where: { ["which", "what"].contains($0.0) && ["arm", "arms", "variant", "variants", "variation", "group"].contains($0.1) }),
           !lower.contains("variation_id") {
            missing.append("which arm")
        }
        // "Not running": every status but that one, which only a status filter written as such applies.
        if entities.statusNegated, !lower.contains("status <> ") { missing.append("not \(entities.status ?? "")") }
        // Pooled: one figure over every arm (or day).
        if entities.pooled || entities.daily.pooled, !lower.contains("sum(") { missing.append("pooled") }
        // A span of the experiment ("the first week") with no experiment to place it.
        if entities.dates == nil, pairs.contains(where: { ["first", "second", "third", "fourth", "1st", "2nd", "3rd"].contains($0.0) && $0.1.hasPrefix("week")
            || $0.0 == "week" && (["one", "two", "three", "four"].contains($0.1) || Int($0.1) != nil) }) {
            missing.append("that week")
        }
        // Dimensions the warehouse has no grain for: "by week", "per month", "by cohort".
        if let pair = pairs.first(where: { ["by", "per", "each", "every"].contains($0.0)
            && ["week", "weeks", "month", "months", "hour", "hours", "weekday", "weekdays", "cohort", "cohorts", "segment", "segments", "quarter"].contains($0.1) }) {
            missing.append("\(pair.0) \(pair.1)")
        }
        if words.indices.contains(where: { ["weekly", "monthly", "hourly"].contains(words[$0]) && !AccountabilityGate.namesDocumentTime(words, at: $0) }) { missing.append("weekly") }
        // "Data-quality counts for signup flow": totals, not the day list.
        if intent == .exposureQuality, !set.isDisjoint(with: ["counts", "totals"]), !set.contains("daily"),
           !pairs.contains(where: { ["per", "by", "each"].contains($0.0) && ["day", "date"].contains($0.1) }),
           selected.contains("date_day") {
            missing.append("totals")
        }
        // Day by day ("daily" alone may describe what an average is over).
        // "On average how many users did it assign per day?": an average over days is per day too.
        let averagedOverDays = lower.contains("avg(") && lower.contains("exposure_quality_daily") && !set.isDisjoint(with: ["average", "avg", "mean"])
        if pairs.contains(where: { ["per", "by", "each", "every"].contains($0.0) && ["day", "date"].contains($0.1) }), !selected.contains("date_day"), !averagedOverDays {
            missing.append("per day")
        } else if set.contains("daily"), !lower.contains("date_day"), !lower.contains("exposure_quality_daily") {
            missing.append("daily")
        }
        // One row per arm.
        if entities.perArm, !lower.contains("variation_id"), !lower.contains("arms"), !lower.contains("per_arm") { missing.append("by arm") }
        // The exposed population.
        if entities.modeStated, entities.mode == "exposed", intent != .exposureQuality, !lower.contains("'exposed'"), !lower.contains("sum(exposed_units)") {
            missing.append("exposed")
        }
        // Dates.
        if let dates = entities.dates {
            // (An end day on a timestamp column is applied as "before the next day".)
            let applied = [dates.from, dates.to, dates.to.map { DateRange.shift($0, days: 1) }].compactMap { $0 }.contains { lower.contains($0) }
            if !applied { missing.append("the dates") }
        }
        // Status and owner scope the experiments when none is named (a named experiment's status describes it).
        if entities.experiments.isEmpty {
            if let status = entities.status, !lower.contains("'\(status)'") { missing.append(status) }
            if let owner = entities.owner, !lower.contains("'\(owner)'") { missing.append(owner) }
        }
        // The metric named, unless it is the primary metric the answer already reads.
        if let metric = entities.metric, !entities.allMetrics, intent != .metrics, !lower.contains("'\(metric.id)'") {
            let primary = entities.experiments.first.map { $0.primaryMetric == metric.id } ?? false
            if !primary { missing.append(metric.id) }
        }
        // The arm named: filtered on, or listed among the arms.
        if let variant = entities.variant, !lower.contains("'\(variant)'"), !lower.contains("variation_id"), !(variant == "control" && lower.contains("is_control = 1")) {
            missing.append(variant)
        }
        // "Per team", "by status", "per experiment": one row per group.
        // Grouped by a GROUP BY, or listed in group order with the group's column ("verdicts grouped by team").
        if let group = entities.groupBy, !lower.contains("group by"), !(group == "experiment_id" && lower.contains("experiment_id") && intent != .exposureQuality),
           !lower.contains("order by \(group)") {
            missing.append("per \(group == "experiment_id" ? "experiment" : group)")
        }
        // The experiments list (and its counts) knows statuses, owners and dates — not results, exposure or data quality.
        if intent == .listExperiments {
            let measured: Set<String> = ["exposure", "exposures", "exposed", "mismatch", "mismatches", "data", "verdict", "verdicts", "decision",
                                         "decisions", "hold", "significant", "significance", "winning", "losing", "lift", "uplift", "conversion",
                                         "revenue", "latency", "refund", "refunds", "guardrail", "guardrails", "srm", "health", "healthy", "power",
                                         "powered", "underpowered", "users", "p-value", "issues", "issue", "problems", "problem", "failing", "broken",
                                         "quality", "valid", "rate", "launch", "rollback", "chance", "metric", "metrics", "arms", "variants",
                                         "sig", "stat-sig", "statsig", "significantly", "rolled", "won", "lost", "winner", "winners", "losers", "blocked"]
            // (A count the SQL makes of that very thing — "AS arms" — is what was asked.)
            if let word = words.first(where: { measured.contains($0) && !lower.contains("as \($0)") }) { missing.append(word) }
        }
        // "Our team's experiments" with no team named: whose?
        if entities.owner == nil, pairs.contains(where: { ["our", "my"].contains($0.0) && ["team", "teams", "squad"].contains($0.1) }) { missing.append("our team") }
        // Every experiment, status and metric named is in the answer.
        for experiment in entities.experiments where !lower.contains("'\(experiment.id)'") {
            missing.append(experiment.id)
        }
        if entities.statuses.count > 1 {
            for status in entities.statuses where !lower.contains("'\(status)'") { missing.append(status) }
        }
        for metric in entities.otherMetrics where !lower.contains("'\(metric.id)'") && !entities.allMetrics { missing.append(metric.id) }
        // "How many more users": a difference.
        if pairs.contains(where: { $0 == ("many", "more") || $0 == ("much", "more") }), entities.power == nil, !lower.contains(" - ") {
            missing.append("how many more")
        }
        // The daily table holds exposure counts and rates, not conversions or lifts.
        if intent == .exposureQuality, let word = words.first(where: { ["convert", "converts", "conversion", "conversions", "revenue", "lift", "arpu", "cvr", "weekday", "weekdays"].contains($0) }) {
            missing.append(word)
        }
        // The measure the question names is a column of the answer.
        let sized: Set<String> = entities.power == nil ? [] : ["lift", "power", "p-value", "minimum detectable effect"]
        // Words of an experiment's name ("the recommendation models test") are not the measure "recommendation".
        let nameWords = set.filter { word in entities.experiments.contains { $0.words.contains { QuestionText.matches(word, $0, fuzzy: false) } } }
        // "What significance level do the verdicts use?": a setting, answered by alpha.
        let settings: Set<String> = entities.asksMethod && lower.contains("alpha") ? ["significance"] : []
        for (name, columns) in askedMeasures(words, set.subtracting(nameWords), pairs) where !sized.contains(name) && !settings.contains(name) && !columns.contains(where: lower.contains) {
            missing.append(name)
        }
        return missing
    }

    /// Measures the question names, each with the columns (any one of them) an answer giving it selects.
    static func askedMeasures(_ words: [String], _ set: Set<String>, _ pairs: [(String, String)]) -> [(String, [String])] {
        func any(_ words: Set<String>) -> Bool { !set.isDisjoint(with: words) }
        func pair(_ candidates: [(String, String)]) -> Bool { pairs.contains { p in candidates.contains { $0 == p } } }
        var asked: [(String, [String])] = []
        if any(["p-value", "p-values", "pvalue", "pvalues", "p-val", "pval"]) || (set.contains("p") && any(["value", "values"])) { asked.append(("p-value", ["p_value"])) }
        if any(["interval", "intervals", "ci", "cis"]) { asked.append(("interval", ["ci_low", "ci_high"])) }
        if any(["chance", "probability", "likelihood", "odds"]) { asked.append(("chance to beat control", ["chance_to_beat_control"])) }
        if any(["lift", "lifts", "uplift", "uplifts"]) { asked.append(("lift", ["uplift"])) }
        if any(["verdict", "verdicts"]) {
            asked.append(("verdict", ["verdict"]))
        } else if any(["decision", "decisions", "recommendation", "recommend", "ship", "launch", "rollback", "no-go"]) {
            asked.append(("verdict", ["verdict", "status"]))
        }
        if any(["significant", "significance", "sig", "stat-sig", "statsig", "significantly", "insignificant"]) {
            asked.append(("significance", ["significant", "p_value"]))
        }
        if set.contains("mde") || pair([("minimum", "detectable"), ("detectable", "effect")]) {
            asked.append(("minimum detectable effect", ["mde", "required_users", "minimum_detectable", "achieved_power"]))
        }
        if any(["power", "powered", "underpowered"]) { asked.append(("power", ["power", "required_users"])) }
        if set.contains("srm") || pair([("sample", "ratio"), ("ratio", "mismatch")]) { asked.append(("sample-ratio check", ["srm"])) }
        if pair([("exposure", "rate"), ("exposure", "rates")]) { asked.append(("exposure rate", ["exposure_rate", "exposed_units", "exposed_share"])) }
        if set.contains("cvr") || pair([("conversion", "rate"), ("conversion", "rates")]) {
            asked.append(("conversion rate", ["conversion_rate", "uplift", "n_converted"]))
        }
        if set.contains("arpu") || pair([("per", "user")]) || any(["mean", "average", "avg"]) { asked.append(("mean", ["mean_value", "avg(", "value_sum", "uplift"])) }
        if any(["guardrail", "guardrails", "breach", "breaches", "breached"]) { asked.append(("guardrail", ["guardrail"])) }
        if set.contains("hypothesis") { asked.append(("hypothesis", ["hypothesis"])) }
        if pairs.contains(where: { ["which", "what", "whose"].contains($0.0) && ["team", "teams", "owner"].contains($0.1) })
            || pairs.contains(where: { $0.0 == "who" && ["owns", "own", "runs"].contains($0.1) }) {
            asked.append(("owner", ["owner"]))
        }
        if any(["share", "proportion", "fraction", "percentage"]) { asked.append(("share", ["rate", "/", "chance"])) }
        if any(["cuped", "variance"]) { asked.append(("CUPED", ["cuped"])) }
        if any(["correction", "multiple-comparison", "bonferroni", "benjamini"]) { asked.append(("correction", ["correction"])) }
        if any(["allocation", "allocated"]) || (set.contains("what") && pair([("the", "split"), ("traffic", "split")])) { asked.append(("allocation", ["allocation"])) }
        // "Do we have enough sample?", "is it powered?": the power check.
        if set.contains("enough"), any(["sample", "users", "data", "traffic", "power"]) { asked.append(("power", ["power", "required_users"])) }
        if any(["reasons", "reason", "rationale"]) { asked.append(("reasons", ["reasons"])) }
        if any(["stage", "state"]), !any(["guardrail", "guardrails", "srm", "health"]) { asked.append(("status", [" status", ".status"])) }
        if any(["assigned", "enrolled", "participants", "bucketed", "assignments", "enrollment"]) {
            asked.append(("users", ["n_users", "_units", "users", "pre_assignment", "multi_variation", "outside_window"]))
        }
        if any(["healthy", "unhealthy", "health"]) { asked.append(("health", ["health", "srm_status"])) }
        if any(["multi-variation", "multi"]) || DailyQuery.namesBothArms(words) { asked.append(("multi-variation exposures", ["multi_variation"])) }
        if any(["pre-assignment"]) || (set.contains("pre") && set.contains("assignment")) { asked.append(("pre-assignment exposures", ["pre_assignment"])) }
        if (any(["outside", "out"]) && any(["window", "dates", "period"])) || set.contains("out-of-window") { asked.append(("out-of-window exposures", ["outside_window"])) }
        if any(["mismatch", "mismatches", "mismatched"]), !pair([("ratio", "mismatch")]) { asked.append(("mismatch", ["mismatch", "srm"])) }
        if set.contains("valid") { asked.append(("valid exposure", ["valid_exposure"])) }
        if ["who", "whos"].contains(words.first ?? "") || pair([("who", "owns"), ("who", "runs"), ("who", "s")]) { asked.append(("owner", ["owner"])) }
        return asked
    }
}
