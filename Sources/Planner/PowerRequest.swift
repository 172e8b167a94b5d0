/// A sizing question the statistics engine answers once the planner's SQL has fetched the
/// experiment's baseline and traffic: "how long would dark mode need to run to detect a 5% lift?",
/// "how many users per arm to detect 2 points at 90% power?". Values the question leaves out
/// come from the analysis configuration (minimum detectable effect, target power, alpha).
public struct PowerRequest: Sendable, Codable, Equatable {
    /// The effect to detect, as a fraction (0.05); nil for the configured minimum detectable effect.
    public var effect: Double?
    /// Relative to the baseline rate (a 5% lift) rather than absolute points (2 points).
    public var relative: Bool
    /// The power wanted (0.9); nil for the configured target power.
    public var power: Double?
    /// The question asks for a duration (days), not only a sample size.
    public var asksDuration: Bool

    public init(effect: Double? = nil, relative: Bool = true, power: Double? = nil, asksDuration: Bool = false) {
        self.effect = effect
        self.relative = relative
        self.power = power
        self.asksDuration = asksDuration
    }

    /// The sizing a question asks for, or nil when it asks for none ("detect a 5% lift", "90% power", "how long").
    static func parse(_ words: [String]) -> (PowerRequest, consumed: Set<String>)? {
        var request = PowerRequest()
        var consumed: Set<String> = []
        let set = Set(words)
        let durationWords: Set<String> = ["long", "days", "weeks", "duration", "run", "longer", "until", "when"]
        // "How long would it need", "how many more days", "how many days would it take": a duration to come.
        let moreOf = words.indices.dropLast().contains { words[$0] == "more" && ["days", "weeks", "users"].contains(words[$0 + 1]) }
        // "How long did the onboarding test run?": its past run, not a duration to come.
        let past = !set.isDisjoint(with: ["did", "ran", "lasted", "was", "were"])
            && set.isDisjoint(with: ["need", "needs", "needed", "would", "take", "until", "required", "require", "more", "detect"])
        let future = (!set.isDisjoint(with: ["need", "needs", "needed", "would", "take", "run", "until", "required", "require"]) || moreOf) && !past
        request.asksDuration = (set.contains("how") && !set.isDisjoint(with: ["long", "longer"]) && future) || !set.isDisjoint(with: ["duration"])
            || (future && words.indices.dropLast(2).contains { words[$0] == "how" && words[$0 + 1] == "many" && ["days", "weeks"].contains(words[$0 + 2]) })
        if request.asksDuration { consumed.formUnion(durationWords.intersection(set)) }
        for (index, word) in words.enumerated() {
            guard let number = Double(word) else { continue }
            let next = index + 1 < words.count ? words[index + 1] : ""
            let after = words[(index + 1)...].prefix(3)
            if after.contains(where: { ["power", "powered"].contains($0) }), number > 1, number < 100 {
                request.power = number / 100
                consumed.insert(word)
            } else if after.contains(where: { ["lift", "uplift", "effect", "increase", "improvement", "change", "relative", "difference", "mde"].contains($0) })
                        || (index > 0 && ["detect", "of", "mde"].contains(words[index - 1])) {
                let points = ["point", "points", "pp", "pts"].contains(next)
                request.effect = number / 100
                request.relative = !points
                consumed.formUnion([word, "point", "points", "pp", "pts", "relative", "absolute"].filter(set.contains))
            }
        }
        if request.effect == nil && request.power == nil && !request.asksDuration { return nil }
        consumed.formUnion(["detect", "detectable", "mde", "minimum", "reach", "achieve", "need", "needed", "needs", "would", "take"].filter(set.contains))
        return (request, consumed)
    }
}

