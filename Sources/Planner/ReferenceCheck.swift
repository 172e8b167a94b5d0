import Foundation

/// References the warehouse cannot honour, caught before any SQL is written: an experiment id that
/// does not exist ("exp_checkout_button_v2"), "that experiment" with no name, an arm the experiment
/// does not have ("treatment_b in checkout button"), days outside the experiment's run ("free shipping
/// in October"), or an interval at another confidence level than the one computed. Each would
/// otherwise come back as a different question's answer or an empty table that reads like a finding.
enum ReferenceCheck {
    /// Why the question cannot be answered as asked, or nil when its references hold.
    static func problem(_ text: QuestionText, entities: inout Entities, context: PlannerContext) -> String? {
        let lower = text.original.lowercased()
        // An experiment id as written that is not one of the registry's.
        let known = Set(context.experiments.map(\.id))
        for token in identifiers(in: lower) where token.hasPrefix("exp_") && !known.contains(token) {
            return "There is no experiment '\(token)'. Experiments you can ask about: \(context.experiments.map(\.id).joined(separator: ", "))."
        }
        if entities.experiments.isEmpty, let phrase = singularReference(text.words) {
            // "The growth team's experiment": the one experiment its owner or status picks out, else ask which.
            let candidates = context.experiments.filter { experiment in
                (entities.owner.map { experiment.owner == $0 } ?? true) && (entities.status.map { experiment.status == $0 } ?? true)
            }
            if entities.owner != nil || entities.status != nil, candidates.count == 1 {
                entities.experiments = candidates
            } else {
                let choices = (entities.owner != nil || entities.status != nil ? candidates : context.experiments).map(\.id)
                return "Which experiment? '\(phrase)' names no particular one. \(choices.isEmpty ? "No experiment matches." : "Experiments you can ask about: \(choices.joined(separator: ", ")).")"
            }
        }
        if let message = confusedExperiments(text.words, entities: entities, context: context) { return message }
        // "Compare the two pricing tests": two experiments meant, fewer recognised.
        for (index, word) in text.words.enumerated() where entities.experiments.count < 2
            && (word == "both" || ["two", "2"].contains(word) && index > 0 && ["the", "these", "those", "our"].contains(text.words[index - 1])) {
            if text.words[(index + 1)...].prefix(3).contains(where: { ["tests", "experiments", "exps"].contains($0) }) {
                let named = entities.experiments.map(\.id)
                return "The question speaks of two experiments, but I recognise \(named.isEmpty ? "none" : "only \(named.joined(separator: ", "))"). Name both (experiments you can ask about: \(context.experiments.map(\.id).joined(separator: ", ")))."
            }
        }
        // "The $25 free shipping variant": an amount must be in the name of the experiment or one of its arms.
        if let experiment = entities.experiments.first, entities.experiments.count == 1 {
            let named = ([experiment.name] + experiment.variants.map(\.name)).joined(separator: " ").lowercased()
            for amount in amounts(in: text.original) where !named.contains(amount) {
                return "\(experiment.id) has no arm or setting '\(amount)' (its arms: \(experiment.variants.map(\.name).joined(separator: ", ")))."
            }
        }
        // "The 'Annual plans last' arm": an arm named in quotes must be one of the arms, by name or id.
        if let quoted = quotedArm(text.original) {
            let arms = (entities.experiments.isEmpty ? context.experiments : entities.experiments).flatMap(\.variants)
            let names = Set(arms.flatMap { [$0.name.lowercased(), $0.id.lowercased(), $0.id.replacingOccurrences(of: "_", with: " ").lowercased()] })
            if !names.contains(quoted.lowercased()) {
                let listed = Array(Set(arms.map(\.name))).sorted()
                return "There is no arm '\(quoted)'\(entities.experiments.first.map { " in \($0.id)" } ?? ""). Its arms: \(listed.joined(separator: ", "))."
            }
        }
        if entities.experiments.count == 1, let experiment = entities.experiments.first {
            // An arm the experiment does not have.
            if let variant = entities.variant, !experiment.variants.isEmpty, !experiment.variants.contains(where: { $0.id == variant }) {
                return "\(experiment.id) has no arm '\(variant)'; its arms are \(experiment.variants.map(\.id).joined(separator: ", "))."
            }
            // Days outside the experiment's run.
            if let dates = entities.dates, let message = outsideRun(dates, experiment: experiment, today: context.today) { return message }
        }
        // "99% confidence interval": the results hold the interval at the configured level only.
        for (index, word) in text.words.enumerated() where index + 1 < text.words.count && ["confidence", "ci", "cis", "credible", "interval", "intervals"].contains(text.words[index + 1]) {
            if let level = Double(word), level != 95 {
                return "Results are computed at 95% confidence (α = 0.05) only, not \(word)%. Ask for the confidence interval or power to get them at 95%."
            }
        }
        return nil
    }

    /// Two experiments mixed up: "the free shipping arm in the checkout button test" (an experiment named as
    /// an arm of another), or "the v2 recommendations model in the search ranking experiment" (a second
    /// experiment's name words left beside the one recognised).
    static func confusedExperiments(_ words: [String], entities: Entities, context: PlannerContext) -> String? {
        guard !entities.experiments.isEmpty else { return nil }
        let armWords: Set<String> = ["arm", "arms", "variant", "variants", "variation", "group", "bucket", "cohort"]
        if entities.experiments.count >= 2 {
            for experiment in entities.experiments {
                let own = Set(experiment.words.filter { $0.count >= 4 })
                for index in words.indices.dropLast() where own.contains(words[index]) && armWords.contains(words[index + 1]) {
                    let others = entities.experiments.filter { $0.id != experiment.id }.map(\.id).joined(separator: ", ")
                    return "'\(words[index]) \(words[index + 1])' names \(experiment.id), an experiment, not an arm of \(others). Ask about one experiment's arms at a time."
                }
            }
        }
        let recognised = Set(entities.experiments.map(\.id))
        let spoken = Set(words)
        for experiment in context.experiments where !recognised.contains(experiment.id) {
            let distinctive = Set(experiment.words.filter { $0.count >= 4 && !AccountabilityGate.fillers.contains($0) && !entities.consumed.contains($0) })
            let present = distinctive.filter { word in spoken.contains(word) || spoken.contains(word + "s") }
            if present.count >= 2 {
                return "The question names \(entities.experiments.map(\.id).joined(separator: ", ")) but also words of \(experiment.id) (\(present.sorted().joined(separator: ", "))). Ask about one experiment at a time, by its name."
            }
        }
        return nil
    }

    /// The `exp_…`-style identifiers as written (letters, digits and underscores).
    static func identifiers(in lower: String) -> [String] {
        lower.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init).filter { $0.contains("_") }
    }

    /// "that experiment", "the test", "the growth team's experiment" — one experiment, none named.
    static func singularReference(_ words: [String]) -> String? {
        let nouns: Set<String> = ["experiment", "test", "exp", "study"]
        let determiners: Set<String> = ["that", "this", "the", "my", "our", "your", "their", "s", "same"]
        let describing: Set<String> = ["with", "that", "which", "where", "whose", "who", "list", "registry", "catalog", "catalogue", "ids", "id",
                                       "names", "name", "count", "owner", "owners", "split", "group", "groups", "period", "window", "table",
                                       "set", "level", "statistic", "statistics", "stat", "type", "having", "has", "had", "is", "was", "running"]
        let ranking: Set<String> = ["highest", "lowest", "best", "worst", "biggest", "smallest", "largest", "most", "least", "top", "first",
                                    "last", "latest", "newest", "oldest", "earliest", "fewest", "strongest", "weakest", "only", "one"]
        guard words.allSatisfy({ !ranking.contains($0) }) else { return nil }
        for index in words.indices.dropFirst() where nouns.contains(words[index]) && determiners.contains(words[index - 1]) {
            if index + 1 < words.count, describing.contains(words[index + 1]) { continue }
            // "t-test", "z test": a statistical test, not an experiment.
            if index >= 1, ["t", "z", "welch", "chi", "chi-square", "significance", "ab"].contains(words[index - 1]) { continue }
            return words[index - 1] == "s" ? "their experiment" : "\(words[index - 1]) \(words[index])"
        }
        return nil
    }

    /// The days asked lie wholly before the start or after the end of the experiment's run.
    static func outsideRun(_ dates: DateRange, experiment: ExperimentEntity, today: String) -> String? {
        guard let start = experiment.startedAt else {
            return experiment.status == "draft" ? "\(experiment.id) is a draft that has not started, so it has no daily figures yet." : nil
        }
        let end = experiment.endedAt ?? today
        let run = experiment.endedAt.map { "ran from \(start) to \($0)" } ?? "has run since \(start)"
        let asked = dates.from == dates.to ? "on \(dates.from ?? "")" : "from \(dates.from ?? "its start") to \(dates.to ?? "now")"
        if let to = dates.to, to < start { return "\(experiment.id) \(run); it has no figures \(asked)." }
        if let from = dates.from, from > end { return "\(experiment.id) \(run); it has no figures \(asked)." }
        // Inside its run but outside the days it has figures for (a running experiment's data can stop before today).
        if let first = experiment.firstDataDay, let last = experiment.lastDataDay,
           (dates.to.map { $0 < first } ?? false) || (dates.from.map { $0 > last } ?? false) {
            return "\(experiment.id) has daily figures from \(first) to \(last); it has none \(asked)."
        }
        return nil
    }

    /// The text of `'…'` or `"…"` right before "arm", "variant", "variation" or "group", if any.
    static func quotedArm(_ original: String) -> String? {
        let text = original.replacingOccurrences(of: "\u{2018}", with: "'").replacingOccurrences(of: "\u{2019}", with: "'")
            .replacingOccurrences(of: "\u{201C}", with: "\"").replacingOccurrences(of: "\u{201D}", with: "\"")
        for quote in ["'", "\""] {
            let parts = text.components(separatedBy: quote)
            guard parts.count >= 3 else { continue }
            for index in stride(from: 1, to: parts.count - 1, by: 2) {
                let after = parts[index + 1].trimmingCharacters(in: .whitespaces).lowercased()
                if ["arm", "variant", "variation", "group"].contains(where: { after.hasPrefix($0) }), !parts[index].isEmpty, parts[index].count < 60 {
                    return parts[index]
                }
            }
        }
        return nil
    }

    /// Money amounts as written ("$25", "$35.00"), lowercased.
    static func amounts(in original: String) -> [String] {
        guard original.contains("$") else { return [] }
        var found: [String] = []
        let characters = Array(original)
        for (index, character) in characters.enumerated() where character == "$" {
            var end = index + 1
            while end < characters.count, characters[end].isNumber || (characters[end] == "." && end + 1 < characters.count && characters[end + 1].isNumber) { end += 1 }
            if end > index + 1 { found.append(String(characters[index..<end]).lowercased()) }
        }
        return found
    }
}
