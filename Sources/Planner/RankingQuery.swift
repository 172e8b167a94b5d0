/// Comparisons across experiments from the results table: "which experiment has the biggest lift",
/// "top 3 experiments by conversion lift", "smallest p-value among running experiments",
/// "which experiments have better than a 95% chance to beat control", "worst latency regression".
struct RankingQuery: Equatable {
    enum Measure: String {
        case lift = "uplift_rel"
        case absoluteLift = "uplift_abs"
        case pValue = "rel_p_value"
        /// "z-test p-value", "absolute p-value": the absolute difference's test.
        case absolutePValue = "p_value_two_sided"
        /// "Highest ARPU arm across all experiments": an arm's own value (control arms included).
        case value = "value"
        case chance = "chance_to_beat_control"
        /// "Which experiment has the most users?": the experiment's units, not a lift.
        case users = "n_users"
        /// "Which experiments have less than 80% power?": the analysis's achieved power.
        case power = "achieved_power"
        /// "Worst SRM across experiments": the sample-ratio check's p-value (the smallest is the worst).
        case srm = "srm_p_value"
        /// "Biggest CUPED variance reduction".
        case cuped = "cuped_variance_reduction"
        /// "Which experiment needs the largest sample per arm?": the power check's users per arm.
        case requiredUsers = "required_users_per_arm"
        /// "Experiments whose interval's lower bound is above 0", "widest upper bound": the interval's ends.
        case intervalLow = "rel_ci_low"
        case intervalHigh = "rel_ci_high"
        /// "Which arm has the widest CI?": the relative interval's width (upper minus lower bound).
        case intervalWidth = "rel_ci_width"

        /// The SQL that computes the measure on a results row aliased `r`.
        var expression: String { self == .intervalWidth ? "(r.rel_ci_high - r.rel_ci_low)" : "r.\(rawValue)" }
    }

    var measure: Measure
    /// Highest first when true.
    var descending: Bool?
    var limit: Int?
    var threshold: (String, Double)?
    var consumed: Set<String>

    static func == (a: RankingQuery, b: RankingQuery) -> Bool {
        a.measure == b.measure && a.descending == b.descending && a.limit == b.limit && a.threshold?.0 == b.threshold?.0 && a.threshold?.1 == b.threshold?.1
    }

    /// nil unless the question ranks or thresholds experiments on a results measure.
    static func parse(_ words: [String], higherIsBetter: Bool) -> RankingQuery? {
        let set = Set(words)
        var consumed: Set<String> = []
        let measure: Measure
        if set.contains("srm") || zip(words, words.dropFirst()).contains(where: { $0 == ("sample", "ratio") }) {
            measure = .srm
            consumed.formUnion(["srm", "sample", "ratio", "mismatch"].filter(set.contains))
        } else if !set.isDisjoint(with: ["ci", "interval", "cis", "intervals"]), !set.isDisjoint(with: ["widest", "narrowest", "wide", "wider", "narrower", "width"]) {
            measure = .intervalWidth
            consumed.formUnion(["ci", "interval", "cis", "intervals", "width", "wide", "relative", "rel"].filter(set.contains))
        } else if !set.isDisjoint(with: ["ci", "interval", "bound", "cis", "intervals"]), !set.isDisjoint(with: ["low", "lower", "high", "upper"]) {
            measure = set.isDisjoint(with: ["low", "lower"]) ? .intervalHigh : .intervalLow
            consumed.formUnion(["ci", "interval", "bound", "cis", "intervals", "low", "lower", "high", "upper", "relative", "rel"].filter(set.contains))
        } else if set.contains("cuped") {
            measure = .cuped
            consumed.formUnion(["cuped", "variance", "reduction"].filter(set.contains))
        } else if !set.isDisjoint(with: ["needs", "need", "needed", "required", "requires"]), !set.isDisjoint(with: ["sample", "users", "units"]),
                  set.isDisjoint(with: ["lift", "lifts", "uplift", "chance", "p-value", "pvalue", "detect"]) {
            measure = .requiredUsers
            consumed.formUnion(["needs", "need", "needed", "required", "requires", "sample", "users", "units", "size", "per", "arm", "power"].filter(set.contains))
        } else if !set.isDisjoint(with: ["power", "powered", "underpowered"]), set.isDisjoint(with: ["lift", "lifts", "uplift", "chance", "p-value", "pvalue"]) {
            measure = .power
            consumed.formUnion(["power", "powered", "underpowered"].filter(set.contains))
        } else if set.contains("chance") {
            measure = .chance
            consumed.formUnion(["chance", "beat", "beating"].filter(set.contains))
        } else if (set.contains("p-value") || set.contains("pvalue") || (set.contains("p") && set.contains("value"))),
                  !set.isDisjoint(with: ["z-test", "z", "ztest", "absolute"]) {
            measure = .absolutePValue
            consumed.formUnion(["p-value", "pvalue", "p", "value", "z-test", "z", "ztest", "absolute"].filter(set.contains))
        } else if set.contains("p-value") || set.contains("pvalue") || (set.contains("p") && set.contains("value")) {
            measure = .pValue
            consumed.formUnion(["p-value", "pvalue", "p", "value"].filter(set.contains))
        } else if !set.isDisjoint(with: ["users", "units", "assigned", "traffic", "participants", "enrolled", "sample"]),
                  set.isDisjoint(with: ["lift", "lifts", "uplift", "effect", "impact", "conversion", "revenue", "latency", "refund", "refunds"]) {
            measure = .users
        } else if set.isDisjoint(with: ["lift", "lifts", "uplift", "effect", "impact", "difference", "delta", "increase", "loser", "losers", "losing", "winner", "winning",
                                        "regression", "regressions", "worse", "improvement", "improvements", "change",
                                        // "Which test cut the refund rate the most?": a change against control, not the rate.
                                        "cut", "cuts", "reduced", "reduce", "lowered", "decreased", "dropped", "raised", "increased", "moved", "boosted"]),
                  !set.isDisjoint(with: ["arpu", "cvr", "rate", "mean", "average", "slowest", "fastest", "latency", "converts", "converting"]) || zip(words, words.dropFirst()).contains(where: { $0 == ("per", "user") }) {
            measure = .value
        } else if set.contains("absolute") || zip(words, words.dropFirst()).contains(where: { $0 == ("percentage", "points") || $0 == ("treatment", "minus") })
                    || set.contains("pp") {
            // "In percentage points", "treatment minus control": the absolute difference.
            measure = .absoluteLift
            consumed.formUnion(["absolute", "percentage", "points", "pp", "minus"].filter(set.contains))
        } else if !set.isDisjoint(with: ["lift", "lifts", "uplift", "uplifts", "effect", "effects", "impact", "change", "increase", "improvement", "improvements",
                                         "losing", "loser", "losers", "hurting", "worse", "winner", "winning", "regression", "regressions", "moved", "cut", "raised",
                                         "conversion", "revenue", "refunds", "refund", "latency", "arpu", "cvr", "delta", "difference", "result", "results", "performing", "performer",
                                         "doing", "performed", "perform", "won", "win", "wins", "lost", "lose", "loses", "gained"]) {
            measure = .lift
        } else {
            // "Which experiment is the best one?": best by what is not said.
            return nil
        }
        var query = RankingQuery(measure: measure, descending: nil, limit: 1, threshold: nil, consumed: consumed)
        let high = ["biggest", "largest", "highest", "most", "best", "top", "strongest", "slowest", "max", "maximum", "descending", "widest", "wider"],
            low = ["smallest", "lowest", "least", "weakest", "fewest", "fastest", "min", "minimum", "ascending", "narrowest", "narrower"]
        // ("At least 95%", "at most 3": thresholds, not superlatives.)
        let words = words.indices.filter { !(["least", "most"].contains(words[$0]) && $0 > 0 && words[$0 - 1] == "at") }.map { words[$0] }
        if let word = words.first(where: high.contains) {
            // The best lift of a lower-is-better metric is its most negative one; the "best" p-value is the smallest.
            query.descending = [.pValue, .absolutePValue].contains(measure) ? word != "best" : (word == "best" && measure != .users ? higherIsBetter : true)
            query.consumed.insert(word)
        } else if let word = words.first(where: low.contains) {
            query.descending = false
            query.consumed.insert(word)
        } else if set.contains("worst") {
            query.descending = [.pValue, .absolutePValue].contains(measure) ? true : !higherIsBetter
            query.consumed.insert("worst")
        }
        // "The most significant", "the smallest p-value": the smallest p-values first.
        if [.pValue, .absolutePValue].contains(measure), query.descending == true, set.contains("significant") || !set.isDisjoint(with: low),
           set.isDisjoint(with: ["least", "largest", "highest", "biggest"]) {
            query.descending = false
        }
        // "Which test cut refunds the most?": the most negative change.
        if query.descending == true, [.lift, .absoluteLift].contains(measure), !set.isDisjoint(with: ["cut", "reduced", "lowered", "decreased", "dropped", "shrank", "lower"]) {
            query.descending = false
        }
        // The worst sample-ratio check is the smallest p-value.
        if measure == .srm, query.descending != nil { query.descending = false }
        // "The most underpowered": the lowest power.
        if measure == .power, set.contains("underpowered"), query.descending != nil { query.descending = false }
        // "Losing the most", "hurting the most": the most negative lift.
        if query.descending == true, !set.isDisjoint(with: ["losing", "loses", "lost", "lose", "hurting", "hurts", "worse", "loser", "losers"]), [.lift, .absoluteLift].contains(measure) {
            query.descending = !higherIsBetter
        }
        // "Rank the experiments by ARPU lift", "sort by p-value", "rank by lift, highest to lowest": every row, ordered.
        if let word = words.first(where: { ["rank", "ranked", "ranking", "sort", "sorted", "order", "ordered"].contains($0) }),
           query.descending == nil || zip(words, words.dropFirst()).contains(where: { ["highest", "lowest", "biggest", "smallest", "best", "worst"].contains($0.0) && $0.1 == "to" }) {
            query.descending = query.descending ?? ![.pValue, .absolutePValue].contains(measure)
            query.limit = nil
            query.consumed.formUnion([word, "by", "to"])
        }
        // "The 2 biggest uplifts", "the three smallest p-values": a count before the superlative.
        let counts = ["two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5, "10": 10]
        for index in words.indices.dropLast() where high.contains(words[index + 1]) || low.contains(words[index + 1]) || words[index + 1] == "worst" {
            if let n = Int(words[index]) ?? counts[words[index]], n > 1, n <= 50, query.descending != nil { query.limit = n; query.consumed.insert(words[index]) }
        }
        if let index = words.firstIndex(of: "top"), index + 1 < words.count, let n = Int(words[index + 1]), n > 0 {
            query.limit = n
        }
        // "order by lift desc limit 3": SQL said in words.
        if let index = words.firstIndex(of: "limit"), index + 1 < words.count, let n = Int(words[index + 1]), n > 0, query.descending != nil {
            query.limit = n
            query.consumed.formUnion(["limit", "order", "by"])
        } else if query.descending != nil, !set.isDisjoint(with: ["descending", "ascending"]) {
            query.limit = nil
        }
        // "Which three experiments have the lowest achieved power", "which two treatment arms": a count word before the noun.
        var counted = false
        for index in words.indices.dropLast() where ["experiments", "arms", "tests", "variants", "exps"].contains(words[index + 1])
            || (index + 2 < words.count && words[index + 1] == "treatment" && ["arms", "variants"].contains(words[index + 2])) {
            if let n = counts[words[index]], query.descending != nil { query.limit = n; query.consumed.insert(words[index]); counted = true }
        }
        // "… lowest first", "highest first": every row, in that order (unless a count was given: "the 3 …, smallest first").
        if query.descending != nil, !counted, words.indices.dropLast().contains(where: { ["lowest", "highest", "smallest", "biggest", "largest", "best", "worst"].contains(words[$0]) && words[$0 + 1] == "first" }) {
            query.limit = nil
            query.consumed.insert("first")
        }
        // "Bottom 2 treatment arms by conversion lift": the lowest first.
        if let index = words.firstIndex(of: "bottom"), index + 1 < words.count, let n = Int(words[index + 1]), n > 0 {
            query.limit = n
            query.descending = [.pValue, .absolutePValue].contains(measure)
            query.consumed.insert("bottom")
        }
        // "better than a 95% chance", "p-value below 0.01", "lift above 5%".
        for (index, word) in words.enumerated() where index + 1 < words.count {
            let op: String? = ["below", "under"].contains(word) || (word == "less" && words[index + 1] == "than") ? "<"
                : ["above", "over"].contains(word) || (["more", "better", "greater"].contains(word) && words[index + 1] == "than") ? ">" : nil
            guard let op else { continue }
            let rest = words[(index + 1)...].drop { ["than", "a", "an", "the"].contains($0) }
            guard let text = rest.first, let number = Double(text) else { continue }
            // Percentages for chances and lifts; p-values as written.
            let value = [.users, .requiredUsers].contains(measure) ? number
                : [.pValue, .absolutePValue].contains(measure) ? (number >= 1 ? number / 100 : number) : (number > 1 ? number / 100 : number)
            query.threshold = (op, value)
            query.limit = nil
            query.consumed.formUnion([word, "than", "a", "an", "the", "percent"])
        }
        guard query.descending != nil || query.threshold != nil else { return nil }
        if query.threshold != nil && query.descending == nil { query.limit = nil }
        // "Which one had the bigger lift? Show both": both, the bigger first.
        if set.contains("both") || zip(words, words.dropFirst()).contains(where: { $0 == ("show", "all") || $0 == ("list", "all") }) {
            query.limit = nil
            query.consumed.formUnion(["both", "show", "all"].filter(set.contains))
        }
        return query
    }
}
