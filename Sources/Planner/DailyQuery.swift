/// What a question asks of the daily exposure table (`fct_experiment_exposure_quality_daily`):
/// which measure, and whether as a list of days, a superlative ("which day had the lowest …",
/// "top 3"), an aggregate over days ("average", "min and max", "total") or a threshold
/// ("days below 50%"). The words it reads are the words it consumes.
struct DailyQuery: Equatable {
    enum Measure: String {
        case exposureRate = "exposure_rate"
        case validExposureRate = "valid_exposure_rate"
        case mismatchRate = "mismatch_rate"
        case assignedUnits = "assigned_units"
        case exposedUnits = "exposed_units"
        case outsideWindow = "exposure_outside_window"
        case preAssignment = "pre_assignment_exposure"
        case multiVariation = "multi_variation_exposure"

        var isRate: Bool { [.exposureRate, .validExposureRate, .mismatchRate].contains(self) }
        /// For rates where more is worse (mismatches), "worst" is the highest.
        var higherIsWorse: Bool { [.mismatchRate, .outsideWindow, .preAssignment, .multiVariation].contains(self) }
    }

    enum Aggregate: String { case average = "avg", minimum = "min", maximum = "max", total = "sum" }

    var measure: Measure = .exposureRate
    /// true: highest first; false: lowest first; nil: no superlative.
    var descending: Bool?
    /// How many rows a superlative keeps; nil keeps them all, ordered ("the worst days").
    var limit: Int? = 1
    var aggregates: [Aggregate] = []
    /// "Overall exposure rate across all days": one ratio of the days' sums, not a mean of daily rates.
    var pooled = false
    /// "Days with exposures outside the window": only days where the count is above zero.
    var nonZero = false
    /// "Total assignments across all experiments on Oct 15": one sum over every experiment.
    var acrossExperiments = false
    /// (comparison operator, value) e.g. ("<", 0.5).
    var threshold: (String, Double)?
    /// The words this reading used.
    var consumed: Set<String> = []

    static func == (a: DailyQuery, b: DailyQuery) -> Bool {
        a.measure == b.measure && a.descending == b.descending && a.limit == b.limit && a.aggregates == b.aggregates && a.pooled == b.pooled && a.nonZero == b.nonZero
            && a.threshold?.0 == b.threshold?.0 && a.threshold?.1 == b.threshold?.1
    }

    /// "Exposed to both arms", "saw both variants", "in both variations" — units seen in more than one
    /// arm; "across both arms" is a total over them, not this.
    static func namesBothArms(_ words: [String]) -> Bool {
        let arms: Set<String> = ["variations", "variants", "arms", "variation", "variant", "arm"]
        return words.indices.contains { index in
            guard words[index] == "both", index + 1 < words.count, arms.contains(words[index + 1]), index > 0 else { return false }
            return ["in", "to", "saw", "seen", "see", "into", "received", "got"].contains(words[index - 1])
        }
    }

    static func parse(_ words: [String]) -> DailyQuery {
        var query = DailyQuery()
        let set = Set(words)
        func use(_ list: [String]) { query.consumed.formUnion(list.filter(set.contains)) }
        if set.contains("mismatch") || set.contains("mismatched") || set.contains("mismatches") {
            query.measure = .mismatchRate
            use(["mismatch", "mismatched", "mismatches"])
        } else if set.contains("valid") {
            query.measure = .validExposureRate
            use(["valid"])
        } else if set.contains("pre-assignment") || (set.contains("pre") && set.contains("assignment"))
                    || (!set.isDisjoint(with: ["exposed", "exposure", "exposures"]) && set.contains("before") && !set.isDisjoint(with: ["assigned", "assignment"])) {
            query.measure = .preAssignment
            use(["pre-assignment", "pre", "assignment", "exposures", "exposure", "before", "assigned", "exposed"])
        } else if set.contains("multi-variation") || set.contains("multi") || namesBothArms(words)
                    || words.indices.dropLast(3).contains(where: { words[$0] == "more" && words[$0 + 1] == "than" && ["one", "1"].contains(words[$0 + 2])
                        && ["variation", "variations", "variant", "variants", "arm", "arms"].contains(words[$0 + 3]) }) {
            query.measure = .multiVariation
            use(["multi-variation", "multi", "variation", "both", "variations", "exposures", "exposure", "more", "than", "one", "variant", "variants", "arm", "arms"])
        } else if (set.contains("outside") || set.contains("out")) && !set.isDisjoint(with: ["window", "dates", "period"]) {
            query.measure = .outsideWindow
            use(["outside", "out", "window", "dates", "period", "out-of-window"])
        } else if set.contains("exposed"), let assigned = words.firstIndex(of: "assigned"), let how = words.firstIndex(of: "how"), how > assigned,
                  (words.firstIndex(of: "exposed") ?? 0) > how, !set.contains("rate") {
            // "Of the users assigned on Oct 8, how many were exposed?": the exposed count.
            query.measure = .exposedUnits
            use(["exposed", "assigned", "users", "people", "units"])
        } else if (set.contains("assigned") || set.contains("assignments") || set.contains("assign")) && !set.contains("rate") {
            query.measure = .assignedUnits
            use(["assigned", "assignments", "assign", "units", "users", "counts", "count"])
        } else if set.contains("exposed") && (set.contains("counts") || set.contains("count") || set.contains("units") || set.contains("users") || set.contains("people")) && !set.contains("rate") {
            query.measure = .exposedUnits
            use(["exposed", "counts", "count", "units", "users", "people"])
        }
        // Superlatives: which day / experiment had the lowest / highest / worst / best …
        let low = ["lowest", "smallest", "least", "fewest", "minimum", "quietest"], high = ["highest", "biggest", "largest", "most", "maximum", "peak", "busiest"]
        // ("At least 95%", "at most two days" are thresholds, not superlatives.)
        let superlative = words.indices.filter { !(["least", "most"].contains(words[$0]) && $0 > 0 && words[$0 - 1] == "at") }.map { words[$0] }
        if let word = superlative.first(where: { low.contains($0) }) {
            query.descending = false
            use([word])
        } else if let word = superlative.first(where: { high.contains($0) }) {
            query.descending = true
            use([word])
        } else if set.contains("worst") {
            query.descending = query.measure.higherIsWorse
            use(["worst"])
        } else if set.contains("best") {
            query.descending = !query.measure.higherIsWorse
            use(["best"])
        }
        // "Busiest day for assignments": the assigned units.
        if !set.isDisjoint(with: ["busiest", "quietest"]), query.measure == .exposureRate { query.measure = .assignedUnits }
        if query.descending != nil, set.contains("days") { query.limit = nil }
        // "Rank experiments by exposure rate": every one, highest first.
        // ("Search ranking" is an experiment's name, not a request to rank.)
        if query.descending == nil, !set.isDisjoint(with: ["rank", "ranked", "sort", "sorted"]) {
            query.descending = !query.measure.higherIsWorse
            query.limit = nil
            use(["rank", "ranked", "sort", "sorted", "by"])
        }
        // "2 experiments with the worst exposure rates", "the 3 lowest days": a count before the noun or the superlative.
        let spelled = ["two": 2, "three": 3, "four": 4, "five": 5]
        for index in words.indices.dropLast() where query.descending != nil
            && ["experiments", "exps", "tests", "days", "lowest", "highest", "worst", "best", "biggest", "smallest"].contains(words[index + 1]) {
            if let n = Int(words[index]) ?? spelled[words[index]], n > 1, n <= 50 { query.limit = n; use([words[index]]) }
        }
        if let index = words.firstIndex(of: "top"), index + 1 < words.count, let n = Int(words[index + 1]), n > 0 {
            query.limit = n
            query.descending = query.descending ?? !query.measure.higherIsWorse
            use(["top"])
        }
        // "Bottom 2 experiments by overall exposure rate": the lowest first.
        if let index = words.firstIndex(of: "bottom"), index + 1 < words.count, let n = Int(words[index + 1]), n > 0 {
            query.limit = n
            query.descending = query.measure.higherIsWorse
            use(["bottom"])
        }
        // Aggregates over days.
        if set.contains("average") || set.contains("avg") || set.contains("mean") {
            query.aggregates.append(.average)
            use(["average", "avg", "mean"])
        }
        if set.contains("min") || (set.contains("minimum") && query.descending == nil) { query.aggregates.append(.minimum); use(["min", "minimum"]) }
        if set.contains("max") || (set.contains("maximum") && query.descending == nil) { query.aggregates.append(.maximum); use(["max", "maximum"]) }
        // "Min valid exposure rate and which day": the day itself, not only the value.
        if query.aggregates.count == 1, [.minimum, .maximum].contains(query.aggregates[0]), query.descending == nil,
           !set.isDisjoint(with: ["day", "date"]), !set.isDisjoint(with: ["which", "what", "when"])
            || !zip(words, words.dropFirst()).contains(where: { ["per", "each", "by", "a"].contains($0.0) && ["day", "date"].contains($0.1) }) && set.contains("day") {
            query.descending = query.aggregates[0] == .maximum
            query.limit = 1
            query.aggregates = []
        }
        // "Total exposed units per day": each day's total, not one sum.
        let dayByDay = zip(words, words.dropFirst()).contains { ["per", "by", "each"].contains($0.0) && ["day", "date"].contains($0.1) }
        if (set.contains("total") || set.contains("sum")) && !dayByDay { query.aggregates.append(.total); use(["total", "sum"]) }
        // "How many units were exposed outside the window": the days' sum of a count.
        if !query.measure.isRate, query.aggregates.isEmpty, query.descending == nil, !dayByDay,
           zip(words, words.dropFirst()).contains(where: { $0 == ("how", "many") || $0 == ("number", "of") }), !set.contains("days") {
            query.aggregates.append(.total)
        }
        // "Overall / pooled exposure rate": every day together.
        if query.measure == .exposureRate, query.aggregates.isEmpty, query.descending == nil,
           (!set.isDisjoint(with: ["overall", "pooled", "combined", "cumulative", "whole", "entire"]) && !set.isDisjoint(with: ["exposure", "exposed", "exposures"]))
            // "The exposure rate so far", "to date": every day together.
            || (zip(words, words.dropFirst()).contains(where: { $0 == ("so", "far") || $0 == ("to", "date") }) && set.contains("rate") && set.isDisjoint(with: ["daily", "day", "days"]))
            || (set.contains("exposed") && set.contains("assigned") && set.contains("over")) {
            query.pooled = true
            use(["overall", "pooled", "combined", "cumulative", "whole", "entire", "over", "exposed", "assigned"])
        }
        // "On which days did it log exposures outside the window": days with any.
        if !query.measure.isRate, ![.assignedUnits, .exposedUnits].contains(query.measure), query.aggregates.isEmpty, query.descending == nil,
           set.contains("days") || set.contains("day"), !set.isDisjoint(with: ["which", "with", "any", "had", "did", "when", "were"]) {
            query.nonZero = true
        }
        // Thresholds: below / under / less than / above / over / more than X (%).
        for (index, word) in words.enumerated() where index + 1 < words.count {
            // "Did any experiment hit 100% exposure on a day?": reached at least.
            let comparison: String? = ["below", "under"].contains(word) ? "<" : ["above", "over"].contains(word) ? ">"
                : ["hit", "hits", "reach", "reached", "reaches"].contains(word) && words[(index + 1)...].first.flatMap(Double.init) != nil ? ">=" : nil
            let lessThan = word == "less" && words[index + 1] == "than", moreThan = word == "more" && words[index + 1] == "than"
            let atLeast = word == "at" && words[index + 1] == "least", atMost = word == "at" && words[index + 1] == "most"
            guard let op = comparison ?? (lessThan ? "<" : moreThan ? ">" : atLeast ? ">=" : atMost ? "<=" : nil) else { continue }
            var position = (lessThan || moreThan || atLeast || atMost) ? index + 2 : index + 1
            // "Below a 90% exposure rate": past the article.
            if position + 1 < words.count, ["a", "an", "the"].contains(words[position]) { position += 1 }
            guard position < words.count, let number = Double(words[position]) else { continue }
            // "Days where more than 1650 users got assigned": a bound on a count, not on the rate asked for.
            if query.measure.isRate, words[(position + 1)...].prefix(2).contains(where: ["users", "units", "people", "visitors", "assigned", "assignments", "exposures", "exposed"].contains) {
                continue
            }
            // A rate's threshold is a percentage ("under 92", "below 1%") unless written as a share ("under 0.92").
            let share = number < 1 || (number == 1 && words[position].contains("."))
            query.threshold = (op, query.measure.isRate && !share ? number / 100 : number)
            use([word, "than", "percent", "least", "most"])
        }
        return query
    }
}
