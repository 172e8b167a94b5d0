import Foundation

extension ExperimentEntity {
    /// The words of the experiment's id and name ("recs", "model", "v2", "recommendations").
    var words: [String] {
        QuestionText(id.replacingOccurrences(of: "_", with: " ")).words + QuestionText(name).words
    }
}

/// Arms named the way people name them: "the large model", "Model v1", "annual plans first".
extension EntityRecognizer {
    /// Words that appear in arm names but say nothing about which arm is meant.
    static let armNameNoise: Set<String> = ["control", "treatment", "first", "three", "over", "default", "model", "page", "button", "email", "sequence"]

    /// The words of each arm's name that no other arm of the experiment shares and that are not
    /// words of the experiment's own name ("large" for "Model v2 large", "v1" for "Model v1").
    static func distinctiveWords(of experiment: ExperimentEntity) -> [String: Set<String>] {
        let experimentWords = Set(experiment.words).subtracting(armNameNoise).subtracting(["model", "models", "v1", "v2", "test", "experiment"])
        var words: [String: Set<String>] = [:]
        for arm in experiment.variants {
            let others = experiment.variants.filter { $0.id != arm.id }.flatMap { QuestionText($0.name).words }
            words[arm.id] = Set(QuestionText(arm.name).words.filter { word in
                let versionTag = word.count == 2 && word.first == "v" && word.last?.isNumber == true
                return (word.count >= 4 || versionTag) && !others.contains(word) && !experimentWords.contains(word)
                    && !armNameNoise.contains(word) && !AccountabilityGate.fillers.contains(word) && !AccountabilityGate.vocabulary.contains(word)
            })
        }
        return words
    }

    /// Sets the variant when the question names exactly one treatment arm by its name (a named
    /// control, alone or beside it, is the comparison every answer already makes). Two treatment arms named is a
    /// comparison the planner does not answer, so their words stay unknown and it declines.
    static func namedArm(_ text: QuestionText, into entities: inout Entities) {
        guard entities.experiments.count == 1, let experiment = entities.experiments.first else { return }
        // "The big model" is the large one.
        let aliases = ["big": "large", "bigger": "large", "little": "small", "smaller": "small"]
        let spoken = Set(text.words.map { aliases[$0] ?? $0 })
        let named = distinctiveWords(of: experiment).compactMapValues { words -> Set<String>? in
            let present = words.filter { spoken.contains($0) }
            return present.isEmpty ? nil : present
        }
        // "The three-email onboarding test", "the annual plans pricing experiment": an arm's words right before the
        // experiment's own describe the experiment, not one arm of it.
        let experimentWords = Set(experiment.words).subtracting(armNameNoise).subtracting(["model", "models", "v1", "v2", "test", "experiment"])
        let describing = named.filter { _, words in
            text.words.indices.dropLast().contains { index in
                // The word after it, past the parts a hyphenated word is also split into ("three-email", "three", "email").
                let parts = Set(text.words[index].split(separator: "-").map(String.init))
                let rest = text.words[(index + 1)...].filter { !parts.contains($0) && !words.contains($0) }
                // … and then "test" or "experiment": "the three-email onboarding test" (not "the large recs model").
                return words.contains(aliases[text.words[index]] ?? text.words[index]) && rest.first.map(experimentWords.contains) == true
                    && rest.prefix(4).contains(where: { ["test", "experiment", "tests", "experiments"].contains($0) })
            }
        }.keys
        let treatments = experiment.variants.filter { !$0.isControl && named[$0.id] != nil && !describing.contains($0.id) }
        let controls = experiment.variants.filter { $0.isControl && named[$0.id] != nil }
        // "Conversion in each arm of the high-contrast checkout button test": the arm's name describes the experiment.
        let eachArm = zip(text.words, text.words.dropFirst()).contains { ["each", "every", "by", "per", "all"].contains($0.0) && ["arm", "arms", "variant", "variants", "group", "groups"].contains($0.1) }
        if treatments.count == 1, let arm = treatments.first, !eachArm {
            entities.variant = arm.id
            // "Control vs annual plans first": both arms.
            entities.withControl = !controls.isEmpty
                || (text.containsExactly("control") && text.words.contains(where: { ["vs", "versus", "and", "compared", "than"].contains($0) }))
        } else if treatments.isEmpty, !controls.isEmpty {
            // "v2 vs v1": the control is what every lift is measured against already.
        } else {
            // Two treatment arms named ("the large model than the small one"): a comparison between them
            // (and with control, when it is named too: "Model v1, Model v2 small and Model v2 large").
            entities.twoTreatments = treatments.count > 1
            entities.withControl = !controls.isEmpty
            return
        }
        for arm in treatments + controls { entities.consumed.formUnion(named[arm.id] ?? []) }
    }

    /// The experiment whose arm the question names in full ("Model v2 large", "Annual plans first")
    /// when it names no experiment: arm names of two or more words belong to one experiment.
    static func experimentByArmName(_ text: QuestionText, context: PlannerContext, into entities: inout Entities) {
        var found: [(ExperimentEntity, [String])] = []
        for experiment in context.experiments {
            for arm in experiment.variants {
                let words = QuestionText(arm.name).words
                guard words.count >= 2, words != ["control"], text.contains(phrase: words) else { continue }
                found.append((experiment, words))
            }
        }
        // "The large model": two of a longer arm name's words, one of them its own ("large").
        if found.isEmpty {
            let generic: Set<String> = ["model", "page", "default", "first", "over", "by", "the", "control", "v1", "v2"]
            // "The big model", "the small v2 model": the large and small ones.
            let aliases = ["big": "large", "bigger": "large", "little": "small", "smaller": "small"]
            let spoken = Set(text.words.map { aliases[$0] ?? $0 })
            for experiment in context.experiments {
                for arm in experiment.variants where !arm.isControl {
                    let words = QuestionText(arm.name).words
                    let present = words.filter(spoken.contains)
                    guard words.count >= 2, present.count >= 2, present.contains(where: { !generic.contains($0) && $0.count >= 4 }) else { continue }
                    found.append((experiment, present))
                }
            }
        }
        let experiments = Set(found.map(\.0.id))
        guard experiments.count == 1, let experiment = found.first?.0 else { return }
        entities.experiments = [experiment]
        for (_, words) in found { entities.consumed.formUnion(words) }
    }

    /// The question names "treatment" and "treatment_b" (or "treatment b") as two separate arms.
    static func namesTwoTreatments(_ text: QuestionText) -> Bool {
        let words = text.words
        var plain = 0, second = 0
        for (index, word) in words.enumerated() {
            if word == "treatment_b" { second += 1 }
            if word == "treatment" {
                if index + 1 < words.count, words[index + 1] == "b" { second += 1 } else { plain += 1 }
            }
        }
        return plain > 0 && second > 0
    }
}
