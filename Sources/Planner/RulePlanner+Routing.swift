import Semantic

/// Where the words of a question override the intent its phrases scored highest: the measure a
/// question names decides what it asks, whatever dimension phrase ("by arm", "p-value") scored.
extension RulePlanner {
    static let valueWords: Set<String> = ["arpu", "cvr", "rate", "rates", "latency", "revenue", "aov", "conversion", "conversions"]
    static let liftWords: Set<String> = ["lift", "lifts", "uplift", "uplifts", "effect", "impact", "difference", "delta", "significant",
                                         "significance", "sig", "p-value", "pvalue", "interval", "ci", "chance", "beat", "win", "winning",
                                         "winner", "losing", "better", "worse", "result", "results", "change", "changed", "p-values", "pvalues", "adjusted", "holm", "move", "moved", "moves", "absolute", "beaten", "beats", "beating", "percent", "percentage"]

    static func reroute(_ intent: IntentCatalog.Intent, text: QuestionText, entities: inout Entities, context: PlannerContext) -> IntentCatalog.Intent {
        let words = Set(text.words)
        let pairs = Array(zip(text.words, text.words.dropFirst()))
        func to(_ id: IntentID) -> IntentCatalog.Intent { context.intents.intent(id) ?? intent }
        let named = !entities.experiments.isEmpty
        let mentionsLift = !words.isDisjoint(with: liftWords)
        // "Which team has the most experiments?": experiments counted per owner.
        if entities.groupOrder != nil, !named, !mentionsLift { return to(.listExperiments) }

        // "SRM p-value for every experiment", "sample ratio mismatch": the sample-ratio check's p-value.
        if !words.isDisjoint(with: ["srm"]) || pairs.contains(where: { $0 == ("sample", "ratio") || $0 == ("ratio", "mismatch") }),
           !mentionsLift || !words.isDisjoint(with: ["p-value", "pvalue", "p-values", "pvalues"]), ![.health, .verdict].contains(intent.id) {
            return to(.health)
        }
        // "What significance level and correction do the verdicts use?": the settings the verdicts record.
        if entities.asksMethod {
            entities.consumed.formUnion(["significance", "level", "statistical", "test", "decision", "multiple-testing", "multiple", "testing", "correction",
                                         "alpha", "use", "uses", "used", "applied", "rely", "relies", "verdicts", "analyses", "analysis", "multiple-comparison"].filter(words.contains))
            return to(.verdict)
        }
        // "When was the dark mode experiment created?": its registry entry.
        if named, entities.experiments.count == 1, entities.aboutCreation, !mentionsLift, entities.metric == nil { return to(.details) }
        // "What are the arms of the pricing test?", "what's the treatment called?": its arms from the registry.
        if entities.asksArms {
            entities.consumed.formUnion(["arms", "variants", "variations", "called", "named", "names", "name", "arm", "variant", "treatment", "control"].filter(words.contains))
            return to(.details)
        }
        // "For latency, is lower better?": the metric's direction, from the catalogue.
        if !named, entities.metric != nil, entities.asksDirection { return to(.metrics) }
        // "For each experiment show power next to the users it needs": every experiment's power check.
        if !named, !words.isDisjoint(with: ["power", "powered"]), !mentionsLift, words.isDisjoint(with: ["detect", "average", "avg", "mean"]),
           [.conversion, .results, .sampleSize].contains(intent.id) {
            return to(.power)
        }
        // "What share of exposed units were exposed before they were assigned?": the daily pre-assignment flag.
        if named, entities.daily.measure == .preAssignment, intent.id == .sampleSize { return to(.exposureQuality) }
        // "Did the treatment get more users than control?": the arms' users, compared.
        if let comparison = entities.armSizeComparison {
            entities.armOrder = comparison.more
            return to(.conversion)
        }
        // "How long did the onboarding test run (in days)?": its run length, from the registry's dates.
        if named, entities.experiments.count == 1, entities.power == nil, words.contains("how"),
           !words.isDisjoint(with: ["long", "longer"]) || (pairs.contains(where: { $0 == ("many", "days") }) && !words.isDisjoint(with: ["run", "ran", "last", "lasted"])),
           !words.isDisjoint(with: ["did", "ran", "lasted", "was"]), words.isDisjoint(with: ["would", "need", "needs", "more", "detect", "until"]), !mentionsLift {
            entities.asksRunLength = true
            entities.consumed.formUnion(["how", "long", "many", "did", "run", "ran", "last", "lasted", "was", "days", "in", "for"].filter(words.contains))
            return to(.details)
        }
        // "Total sample size required for recs model v2": the power check's required users (per arm, and over the arms), not today's.
        if named, intent.id == .sampleSize, !words.isDisjoint(with: ["required", "needed", "need", "needs"]), words.contains("sample"), !mentionsLift {
            return to(.power)
        }
        // "Is search ranking blocked?": its health badge.
        if named, entities.experiments.count == 1, words.contains("blocked"), !mentionsLift, entities.metric == nil, intent.id != .health { return to(.health) }
        // "Can I trust the search ranking results?": its health and sample-ratio check.
        if named, entities.experiments.count == 1, !words.isDisjoint(with: ["trust", "trustworthy", "reliable", "believable", "credible"]),
           words.isDisjoint(with: ["interval", "ci", "p-value", "lift"]) {
            entities.consumed.formUnion(["trust", "trustworthy", "reliable", "believable", "credible", "results", "result", "numbers", "data"].filter(words.contains))
            return to(.health)
        }
        // "Is the traffic split healthy on pricing?", "is the split off?": the sample-ratio check's verdict.
        if named, words.contains("split"), ["is", "are", "does", "do", "did", "was", "has", "any"].contains(text.words.first ?? ""),
           !words.isDisjoint(with: ["healthy", "ok", "okay", "fine", "off", "broken", "balanced", "skewed", "lopsided", "even", "wrong", "good", "right", "unbalanced", "imbalanced"]),
           !mentionsLift, ![.health, .verdict].contains(intent.id) {
            return to(.health)
        }
        // "How long would dark mode need to run to detect a 5% lift?": sized by the engine.
        if named, let (request, consumed) = PowerRequest.parse(text.words),
           request.asksDuration || (request.effect != nil && !words.isDisjoint(with: ["detect", "detectable", "mde", "power", "powered", "need", "needed"]))
            // "What sample size would pricing need for 90% power?": the configured effect at that power.
            // ("do we have enough users to hit 80% power?" is the power check's question).
            || (request.power != nil && !words.isDisjoint(with: ["need", "needed", "needs", "require", "required", "sample", "users"])
                && words.isDisjoint(with: ["enough", "hit", "reach", "reached", "reaches"])) {
            entities.power = request
            entities.consumed.formUnion(consumed)
            return to(.power)
        }
        // "What share of users landed in control?", "expected vs observed allocation": each arm's users and share.
        if named, !mentionsLift || words.contains("treatment"), entities.metric == nil,
           words.isDisjoint(with: ["converted", "convert", "converts", "conversion", "converting", "purchased", "bought", "refunded", "buyers", "purchasers"]),
           (!words.isDisjoint(with: ["share", "proportion", "fraction"]) && !words.isDisjoint(with: ["users", "traffic", "people", "units", "landed", "assigned"]))
            || (words.contains("observed") && !words.isDisjoint(with: ["expected", "planned", "allocation", "split"])) {
            if !words.isDisjoint(with: ["lift", "uplift", "significant", "p-value"]) { return intent }
            return to(.sampleSize)
        }
        // "Has onboarding reached the sample size it needs?": the power check's users per arm.
        if named, !words.isDisjoint(with: ["reached", "reach", "reaches", "hit"]), pairs.contains(where: { $0 == ("sample", "size") }),
           !words.isDisjoint(with: ["need", "needs", "needed", "required", "requires", "target"]) {
            return to(.power)
        }
        // "How many users per arm would signup flow need for 80% power?", "do we have enough users to hit 80% power?": the power check.
        if !words.isDisjoint(with: ["power", "powered"]), !words.isDisjoint(with: ["need", "needed", "needs", "require", "required", "requires", "would", "enough", "hit", "reach"]), named {
            return to(.power)
        }
        // "Is free shipping still a launch?": its verdict.
        if named, intent.id == .results, !mentionsLift, !words.isDisjoint(with: ["launch", "ship", "rollback", "hold", "verdict", "decision", "shippable", "launchable"]) {
            return to(.verdict)
        }
        // "Pricing vs signup flow p-values": both experiments' results side by side.
        if entities.experiments.count >= 2, intent.id == .results { return to(.compare) }
        // "Total units exposed outside the window in free shipping": the daily table's counts.
        if named, [.outsideWindow, .preAssignment, .multiVariation].contains(entities.daily.measure), !mentionsLift {
            if entities.daily.aggregates.isEmpty, !words.isDisjoint(with: ["total", "sum", "how", "number", "any"]), words.isDisjoint(with: ["day", "days", "daily"]) {
                entities.daily.aggregates = [.total]
            }
            if intent.id != .exposureQuality { return to(.exposureQuality) }
        }
        // "Are the guardrails ok for recs?": the experiment's guardrail status, one row.
        if named, entities.experiments.count == 1, intent.id == .guardrails, entities.metric == nil, entities.variant == nil, !entities.perArm,
           ["are", "is", "do", "does", "did", "has", "have"].contains(text.words.first ?? ""),
           !words.isDisjoint(with: ["ok", "okay", "fine", "passing", "pass", "passed", "good", "healthy", "green"]) {
            entities.guardrailSummary = true
        }
        // "Why does checkout button have a warning badge?", "why is search ranking blocked?": the verdict's stored reasons.
        if named, words.contains("why"), !words.isDisjoint(with: ["warning", "badge", "blocked", "health", "healthy", "unhealthy", "hold", "held", "flagged"]) {
            return to(.verdict)
        }
        // "Is it safe to launch the single-page signup?", "is X ready to ship?": its verdict.
        if named, !words.isDisjoint(with: ["safe", "ready", "okay", "ok"]), !words.isDisjoint(with: ["launch", "ship", "roll", "rollout"]),
           entities.metric == nil, ![.verdict].contains(intent.id) {
            return to(.verdict)
        }

        // "How many ms slower is treatment_b?", "by how many percentage points did it move refunds?": the absolute lift.
        let units: Set<String> = ["ms", "milliseconds", "millisecond", "seconds", "points", "pp", "dollars", "cents"]
        if named, entities.experiments.count == 1, !words.isDisjoint(with: units),
           zip(text.words, text.words.dropFirst()).contains(where: { $0.0 == "how" && ["many", "much"].contains($0.1) }),
           !words.isDisjoint(with: ["slower", "faster", "higher", "lower", "more", "less", "add", "added", "adds", "move", "moved", "change", "changed",
                                    "increase", "increased", "decrease", "decreased", "raise", "raised", "cut", "reduce", "reduced", "difference", "differ"]) {
            entities.counting = false
            return to(.results)
        }
        // "CUPED variance reduction on cvr for checkout button": the results row carries it.
        if named, words.contains("cuped"), [.conversion, .sampleSize].contains(intent.id) { return to(.results) }
        // "Has onboarding email ended?", "is dark mode still running?": its registry entry (status and dates).
        if named, entities.experiments.count == 1, ["has", "is", "did", "was"].contains(text.words.first ?? ""), !mentionsLift, entities.metric == nil,
           !words.isDisjoint(with: ["ended", "finished", "over", "done", "completed", "concluded", "running", "live", "started", "shipped", "killed", "draft"]),
           words.isDisjoint(with: ["significant", "significance", "winning", "losing", "verdict", "power", "powered", "srm", "healthy", "guardrail", "guardrails", "exposure"]) {
            return to(.details)
        }
        // "Is the refund rate higher in the pricing page treatment?": a change against control, so the lift.
        if named, entities.experiments.count == 1, YesNoWords.openers.contains(text.words.first ?? ""), intent.id == .conversion,
           !words.isDisjoint(with: ["higher", "lower", "more", "less", "better", "worse", "bigger", "smaller"]), !entities.twoTreatments {
            return to(.results)
        }
        // "Who owns the search test and what's the verdict on it?": the verdict, which carries the owner.
        if named, entities.experiments.count == 1, intent.id == .details, !words.isDisjoint(with: ["verdict", "recommendation", "decision", "call"]) {
            return to(.verdict)
        }
        // "What does the health check say about signup flow?": its health.
        if named, intent.id == .details, words.contains("health") { return to(.health) }
        // "Where are we with dark mode?": where it stands — its registry entry and status.
        if named, entities.experiments.count == 1, text.contains(phrase: ["where", "are", "we"]) || text.contains(phrase: ["where", "do", "we", "stand"]),
           !mentionsLift, entities.metric == nil { return to(.details) }
        // "Treatment minus control conversion rate, in percentage points", "by how much did revenue per user go up,
        // relative to control?": a difference against control, so the results (lift), not each arm's value.
        if named, entities.experiments.count == 1, intent.id == .conversion, !entities.perArm,
           text.contains(phrase: ["percentage", "points"]) || (words.contains("minus") && words.contains("control"))
            || (text.contains(phrase: ["relative", "to", "control"]) || text.contains(phrase: ["compared", "to", "control"]))
               && (text.contains(phrase: ["how", "much"]) || !words.isDisjoint(with: ["up", "down", "increase", "increased", "rise", "rose", "drop", "dropped", "lift"])) {
            return to(.results)
        }
        // "What's the last day of data for signup flow?": the span of its daily rows.
        if named, entities.experiments.count == 1, entities.dates == nil, !mentionsLift,
           pairs.contains(where: { ["first", "last"].contains($0.0) && ["day", "date"].contains($0.1) }), words.contains("data") { return to(.exposureQuality) }
        // "Overall exposure rate for the pricing page (exposed over assigned)": the daily table, pooled.
        if named, intent.id == .sampleSize, text.contains(phrase: ["exposure", "rate"]) { return to(.exposureQuality) }
        // "What's the call on recs v2?": its verdict.
        if named, intent.id != .verdict, zip(text.words, text.words.dropFirst()).contains(where: { ["the", "your", "s"].contains($0.0) && $0.1 == "call" }),
           !words.isDisjoint(with: ["what", "whats"]) {
            return to(.verdict)
        }
        // "What is dark mode actually testing?", "what does the pricing test try to prove?": its hypothesis.
        if named, entities.experiments.count == 1, !words.isDisjoint(with: ["what", "whats"]), !mentionsLift, entities.metric == nil,
           !words.isDisjoint(with: ["testing", "prove", "proving", "trying", "about", "idea", "behind"]) || zip(text.words, text.words.dropFirst()).contains(where: { $0 == ("does", "test") || $0 == ("it", "test") }),
           words.isDisjoint(with: ["p-value", "significant", "verdict", "power", "srm", "guardrail", "guardrails", "rate", "users", "exposure", "conversion", "revenue",
                                   "latency", "health", "healthy", "check", "significance"]) {
            return to(.details)
        }
        // "Did the onboarding email sequence reach statistical significance on its primary metric?": its result.
        if named, intent.id == .details, !words.isDisjoint(with: ["significant", "significance", "significantly", "sig", "stat-sig"]) { return to(.results) }
        // "What stage is the onboarding email test in?": its status.
        if named, !words.isDisjoint(with: ["stage", "state", "status"]), !mentionsLift, entities.metric == nil,
           words.isDisjoint(with: ["srm", "health", "guardrail", "guardrails", "verdict", "sample", "ratio"]), [.results, .listExperiments].contains(intent.id) {
            return to(.details)
        }
        // "Traffic allocation of each arm": the planned split beside the users.
        if named, !words.isDisjoint(with: ["allocation", "allocated", "split"]), !mentionsLift, [.results, .conversion].contains(intent.id) { return to(.sampleSize) }
        // "What reasons does Readout give for holding search ranking?": the verdict's reasons.
        if named, !words.isDisjoint(with: ["reasons", "reason", "rationale"]), !mentionsLift, intent.id != .verdict { return to(.verdict) }
        // "Who's behind the recs test?", "which team owns the search ranking test?": its owner.
        if named, ["who", "whos"].contains(text.words.first ?? "") || pairs.contains(where: { ["which", "what"].contains($0.0) && ["team", "owner"].contains($0.1) }),
           !mentionsLift, entities.metric == nil { return to(.details) }
        // "Did any guardrail metric get worse anywhere?": guardrails across experiments.
        if !named, intent.id == .metrics, entities.mentionsGuardrails,
           !words.isDisjoint(with: ["worse", "failing", "fail", "failed", "breach", "breached", "hurt", "regressed", "any", "bad", "state", "status", "severe", "worsened", "triggered", "tripped", "breaching"]) { return to(.guardrails) }
        // "Guardrail metrics for the recs test and their status": that experiment's guardrails.
        if named, intent.id == .metrics, entities.mentionsGuardrails { return to(.guardrails) }
        // "Which metrics came out significant for free shipping?", "which metric moved the most?": its results by metric.
        if named, intent.id == .metrics, entities.allMetrics { return to(.results) }
        // "Guardrail status per arm": the guardrails, one row per arm and metric.
        if intent.id == .conversion, entities.mentionsGuardrails { return to(.guardrails) }
        // "What are the guardrail results for recs model v2?": its guardrails, not the primary metric's lift.
        if named, intent.id == .results, words.contains(where: { ["guardrail", "guardrails"].contains($0) }), entities.metric == nil { return to(.guardrails) }
        // "Is the onboarding email test still running?": its status.
        if named, entities.experiments.count == 1, entities.status != nil, [.results, .listExperiments].contains(intent.id), !mentionsLift,
           entities.metric == nil, !entities.counting {
            return to(.details)
        }
        // "Total exposed units in onboarding email", "how many people were in checkout button": a count of users.
        if named, entities.counting, CountedThing.parse(text.words) == .users || CountedThing.parse(text.words) == nil,
           intent.id == .results, !mentionsLift, entities.dates == nil {
            return to(.sampleSize)
        }
        // "How many people were exposed on Oct 8?", "users assigned on October 3": the daily counts.
        if entities.dates != nil, named, [.results, .sampleSize, .conversion].contains(intent.id), !mentionsLift, entities.metric == nil,
           !words.isDisjoint(with: ["exposed", "exposure", "exposures", "assigned", "saw", "seen", "users", "people", "units", "visitors", "assignments"]) {
            if !words.isDisjoint(with: ["exposed", "exposure", "exposures", "saw", "seen"]), entities.daily.measure == .exposureRate, !words.contains("rate") {
                entities.daily.measure = .exposedUnits
            } else if !words.isDisjoint(with: ["assigned", "enroll", "enrolled", "enrollment", "bucketed", "assign", "users", "people"]), entities.daily.measure == .exposureRate, !words.contains("rate") {
                entities.daily.measure = .assignedUnits
            }
            entities.mode = "itt"
            entities.modeStated = false
            // "Assigned users in checkout during the first week": one total, unless asked per day.
            let perDay = pairs.contains { ["per", "by", "each", "which"].contains($0.0) && ["day", "days", "date"].contains($0.1) } || words.contains("daily")
                || words.contains("days")
            let totalAsked = entities.counting || !words.isDisjoint(with: ["total", "sum", "during", "week", "overall"])
            if !entities.daily.measure.isRate, entities.daily.aggregates.isEmpty, entities.daily.threshold == nil, entities.dates?.isSingleDay == false, !perDay, totalAsked {
                entities.daily.aggregates = [.total]
            }
            return to(.exposureQuality)
        }
        // "In the first week of October, which experiment assigned the most users?": each experiment's
        // days in the span summed, ranked.
        if !named, entities.dates != nil, entities.daily.descending != nil, !mentionsLift, entities.metric == nil,
           !words.isDisjoint(with: ["experiment", "experiments", "test", "tests"]), words.isDisjoint(with: ["day", "days", "date", "daily"]),
           !words.isDisjoint(with: ["assigned", "exposed", "assignments", "exposures", "enrolled", "bucketed", "traffic"]), !words.contains("rate") {
            let exposed = !words.isDisjoint(with: ["exposed", "exposures"])
            entities.daily.measure = exposed ? .exposedUnits : .assignedUnits
            entities.mode = "itt"
            entities.modeStated = false
            return to(.exposureQuality)
        }
        // "Busiest day for signup flow assignments", "which day had the lowest exposure rate": the daily table.
        if named, entities.daily.descending != nil, !words.isDisjoint(with: ["day", "days", "date"]), !mentionsLift, intent.id != .exposureQuality {
            return to(.exposureQuality)
        }
        // "Assigned vs exposed users per arm": both populations' sizes.
        if named, entities.assignedAndExposed, intent.id != .sampleSize { return to(.sampleSize) }
        // "Conversion rate and lift for each treatment arm", "which arm has the biggest lift?": the results, per arm.
        if named, entities.perArm || entities.armOrder != nil, mentionsLift, intent.id == .conversion { return to(.results) }
        // "Conversion by arm, ITT and exposed side by side": each arm's value.
        if named, entities.perArm, !mentionsLift, entities.ranking == nil, [.results, .compare].contains(intent.id) { return to(.conversion) }
        // "Refund rate in ctrl and trt for checkout button": each arm's rate of that metric, not the guardrail check.
        if named, entities.experiments.count == 1, intent.id == .guardrails, entities.metric != nil, !mentionsLift, words.contains("control"),
           words.contains("treatment") || entities.perArm,
           words.isDisjoint(with: ["guardrail", "guardrails", "breach", "breached", "ok", "worse", "status", "hurt", "fine", "safe"]) { return to(.conversion) }
        // "Signup flow: how many users per arm do we need?": the power check.
        if named, entities.perArm || words.contains("need"), !words.isDisjoint(with: ["need", "needed", "needs", "require", "required"]),
           !words.isDisjoint(with: ["users", "units", "people", "sample"]), entities.dates == nil {
            return to(.power)
        }
        // "Is latency a problem for treatment_b?": a guardrail metric's verdict.
        if named, let metric = entities.metric, metric.direction == .decrease,
           !words.isDisjoint(with: ["problem", "problems", "issue", "issues", "hurt", "hurting", "harm", "harming", "regression", "regressed", "safe", "ok", "okay", "fine", "concern", "worry"]) {
            return to(.guardrails)
        }
        // "How many ms did treatment_b add to load time?": the absolute difference on that metric.
        if named, entities.counting, CountedThing.parse(text.words) == nil, entities.metric?.kind == "continuous", [.sampleSize, .results].contains(intent.id) {
            return to(.results)
        }
        // "On average how many users did free shipping assign per day?": the daily assigned units, averaged.
        if named, !mentionsLift, entities.metric == nil, !words.isDisjoint(with: ["average", "avg", "mean"]),
           pairs.contains(where: { ["per", "a", "each"].contains($0.0) && $0.1 == "day" }) || words.contains("daily"),
           !words.isDisjoint(with: ["assign", "assigned", "users", "enrolled", "exposed", "people"]), !words.contains("rate") {
            entities.daily.measure = words.contains("exposed") ? .exposedUnits : .assignedUnits
            entities.daily.aggregates = [.average]
            entities.mode = "itt"
            entities.modeStated = false
            return to(.exposureQuality)
        }
        // "Total out-of-window exposures across all experiments", "how many experiments had any pre-assignment exposures?".
        if !named, [.outsideWindow, .preAssignment, .multiVariation].contains(entities.daily.measure), !mentionsLift {
            if entities.daily.aggregates.isEmpty, !words.isDisjoint(with: ["total", "sum"]) { entities.daily.aggregates = [.total] }
            if entities.daily.aggregates == [.total], !entities.counting || CountedThing.parse(text.words) != .experiments {
                entities.daily.acrossExperiments = !words.isDisjoint(with: ["across", "all", "overall", "everywhere"])
            }
            return to(.exposureQuality)
        }
        // "Total assignments across all experiments on 2026-10-15": the daily table's counts.
        if !named, entities.dates != nil, !mentionsLift, entities.metric == nil,
           !words.isDisjoint(with: ["assignments", "assigned", "exposures", "exposed", "users", "people", "units", "enrolled", "bucketed"]),
           entities.counting || !words.isDisjoint(with: ["total", "sum", "across"]) {
            if !words.isDisjoint(with: ["exposed", "exposures", "saw", "seen"]) { entities.daily.measure = .exposedUnits }
            else { entities.daily.measure = .assignedUnits }
            entities.daily.aggregates = [.total]
            entities.daily.acrossExperiments = !words.isDisjoint(with: ["across", "all", "overall", "total"])
            entities.mode = "itt"
            entities.modeStated = false
            return to(.exposureQuality)
        }
        // "ARPU treatment vs control", "page load time for control vs treatment": each arm's value, not a lift.
        let asksValue = !words.isDisjoint(with: valueWords) || pairs.contains { $0 == ("load", "time") || $0 == ("per", "user") }
        // "How did Model v2 large do on conversion versus control?": its result against control, a lift.
        if named, pairs.contains(where: { $0.0 == "how" && ["did", "does", "is", "has"].contains($0.1) }),
           !words.isDisjoint(with: ["do", "doing", "perform", "performed", "performing", "fare", "fared"]), !entities.perArm, !entities.asksForMean,
           [.conversion, .compare, .results].contains(intent.id), entities.experiments.count == 1 {
            entities.withControl = false
            return to(.results)
        }
        let armsSideBySide = !words.isDisjoint(with: ["vs", "versus", "compared"]) || entities.perArm || entities.variant != nil
        if named, asksValue, armsSideBySide, !mentionsLift, !entities.mentionsGuardrails, [.results, .guardrails, .compare, .sampleSize].contains(intent.id) {
            return to(.conversion)
        }
        return intent
    }
}

/// Words that open a yes/no question.
enum YesNoWords {
    static let openers: Set<String> = ["is", "are", "does", "do", "did", "has", "have", "was", "were"]
}
