import Planner

/// A yes/no question is answered yes or no first ("Is the onboarding email test still running?" →
/// "No — exp_onboarding_email is in readout."), then the readout that supports it. The yes or no
/// is read from the rows the readout states; when the rows cannot settle it, no prefix is given.
enum YesNoReadout {
    static let openers: Set<String> = ["is", "are", "does", "do", "did", "has", "have", "was", "were", "should", "can"]

    /// "below 0.05", "under 5%": the comparison and the bound (a percentage as a fraction).
    static func threshold(_ words: [String]) -> (String, Double)? {
        for (index, word) in words.enumerated() where index + 1 < words.count {
            guard let op = ["below": "<", "under": "<", "less": "<", "above": ">", "over": ">", "greater": ">"][word] else { continue }
            let rest = words[(index + 1)...].drop { ["than", "a", "an"].contains($0) }
            guard let text = rest.first, let number = Double(text) else { continue }
            return (op, number >= 1 ? number / 100 : number)
        }
        return nil
    }

    static func prefix(_ answer: Answer, rows: Rows, entities: [String: String]) -> String? {
        let words = QuestionText(answer.question).words
        guard let first = words.first, openers.contains(first), let intent = answer.intent.flatMap(IntentID.init(rawValue:)) else { return nil }
        if rows.isEmpty {
            // "Was exposure ever below 50%?" with no such day.
            return intent == .exposureQuality && entities["daily_threshold"] != nil ? "No." : nil
        }
        let set = Set(words)
        let subject = entities["experiment"] ?? "it"
        // "Did the treatment get more users than control?": compared arm by arm.
        if let question = entities["size_question"]?.split(separator: "|").map(String.init), question.count == 3 {
            let users = Dictionary((0..<rows.count).compactMap { row in rows.string(row, "variation_id").flatMap { id in rows.int(row, "n_users").map { (id, $0) } } },
                                   uniquingKeysWith: { first, _ in first })
            guard let mine = users[question[0]], let theirs = users[question[2]] else { return nil }
            let holds = question[1] == "more" ? mine > theirs : mine < theirs
            return "\(holds ? "Yes" : "No") — \(question[0]) has \(mine) users, \(question[2]) \(theirs)."
        }
        // "Was signup's exposure rate on Oct 9 lower than on Oct 8?": the first day named against the second.
        if intent == .exposureQuality, rows.count == 2, set.contains("than"), rows.columns.contains("date_day"), rows.columns.contains("exposure_rate"),
           let comparative = words.first(where: { ["lower", "higher", "less", "more", "worse", "better"].contains($0) }) {
            let days = (0..<rows.count).compactMap { row in rows.string(row, "date_day").flatMap { day in rows.double(row, "exposure_rate").map { (day, $0) } } }
            let order = DateMentions.inOrder(answer.question, days: days.map(\.0))
            guard days.count == 2, order.count == 2, let first = days.first(where: { $0.0 == order[0] }), let second = days.first(where: { $0.0 == order[1] }) else { return nil }
            let holds = ["lower", "less", "worse"].contains(comparative) ? first.1 < second.1 : first.1 > second.1
            return "\(holds ? "Yes" : "No") — \(ReadoutFormat.percent(first.1, digits: 1)) on \(first.0) vs \(ReadoutFormat.percent(second.1, digits: 1)) on \(second.0)."
        }
        // "Is the Model v2 large arm's revenue per user higher than control's?": the two arms' values as measured.
        if intent == .conversion, rows.count == 2, set.contains("than"), let subject = entities["variant"],
           let column = ["conversion_rate", "mean_value"].first(where: rows.columns.contains),
           let mine = (0..<rows.count).first(where: { rows.string($0, "variation_id") == subject }),
           let a = rows.double(mine, column), let b = rows.double(1 - mine, column) {
            let up: Set = ["higher", "more", "bigger", "larger", "slower", "longer", "better"]
            let down: Set = ["lower", "less", "fewer", "smaller", "faster", "shorter", "worse"]
            guard !set.isDisjoint(with: up) || !set.isDisjoint(with: down) else { return nil }
            let holds = set.isDisjoint(with: down) ? a > b : a < b
            let shown = { (x: Double) in column == "conversion_rate" ? ReadoutFormat.percent(x, digits: 2) : ReadoutFormat.number(x) }
            return "\(holds ? "Yes" : "No") as measured — \(subject) \(shown(a)) vs \(rows.text(1 - mine, "variation_id")) \(shown(b)) (whether the difference is significant: ask for the lift)."
        }
        switch intent {
        case .details:
            // "Is X still running?", "has X ended?"
            guard let status = rows.string(0, "status") else { return nil }
            let phrase = ["readout": "in readout", "review": "in review", "draft": "a draft"][status] ?? status
            if let asked = entities["status"] { return status == asked ? "Yes — \(subject) is \(phrase)." : "No — \(subject) is \(phrase)." }
            if !set.isDisjoint(with: ["ended", "finished", "over", "done", "completed"]) {
                return rows.string(0, "ended_at") != nil ? "Yes — \(subject) has ended." : "No — \(subject) has not ended."
            }
            return nil
        case .results:
            let significant = (0..<rows.count).compactMap { rows.int($0, "is_significant") }
            guard !significant.isEmpty else { return nil }
            let up: Set = ["slower", "higher", "more", "increase", "increased", "up", "raise", "raised", "longer", "bigger"]
            let down: Set = ["faster", "lower", "less", "decrease", "decreased", "down", "reduce", "reduced", "cut", "shorter", "smaller"]
            let lifts = (0..<rows.count).compactMap { rows.double($0, "uplift_rel") }
            if !set.isDisjoint(with: up) || !set.isDisjoint(with: down) {
                let wantsUp = !set.isDisjoint(with: up)
                // "Is the Single page arm's conversion rate higher than control's?": the rates as measured, with
                // whether the difference is significant ("did it increase conversion?" asks for a significant effect).
                let comparesValues = !set.isDisjoint(with: ["higher", "lower", "bigger", "smaller", "more", "less", "slower", "faster", "longer", "shorter"])
                    && (set.contains("than") || !set.isDisjoint(with: ["rate", "rates", "cvr", "value", "mean", "average"]))
                    && set.isDisjoint(with: ["significant", "significantly", "sig", "stat-sig", "statsig", "significance"])
                if comparesValues, rows.count == 1, let lift = lifts.first, let isSignificant = significant.first {
                    let holds = wantsUp ? lift > 0 : lift < 0
                    let p = rows.double(0, "rel_p_value").map { ", " + ReadoutFormat.p($0) } ?? ""
                    if isSignificant == 1 { return holds ? "Yes — significantly." : "No — significantly the other way." }
                    return holds ? "Yes as measured, but not significantly\(p)." : "No as measured (and not significant\(p))."
                }
                let moved = zip(significant, lifts).contains { $0 == 1 && (wantsUp ? $1 > 0 : $1 < 0) }
                return moved ? "Yes — significantly." : "No — not significantly in that direction."
            }
            // "Is the pricing page p-value below 0.05?": the p-value against the number asked.
            if !set.isDisjoint(with: ["p-value", "pvalue"]), let (op, limit) = threshold(words), let p = rows.double(0, "rel_p_value") {
                let yes = op == "<" ? p < limit : p > limit
                return "\(yes ? "Yes" : "No") — \(ReadoutFormat.p(p))."
            }
            // "Is the pricing page losing?": significantly worse, in the metric's direction.
            if !set.isDisjoint(with: ["losing", "lose", "lost", "loser"]), let better = rows.int(0, "higher_is_better") ?? Optional(1) {
                let yes = zip(significant, lifts).contains { $0 == 1 && (better == 1 ? $1 < 0 : $1 > 0) }
                return yes ? "Yes — significantly worse than control." : "No."
            }
            if !set.isDisjoint(with: ["significant", "significance", "sig", "stat-sig", "statsig", "win", "won", "beat", "beaten", "winning", "winner", "better"]) {
                let wantsWin = !set.isDisjoint(with: ["win", "won", "beat", "beaten", "winning", "winner", "better"])
                let yes = zip(significant, lifts).contains { $0 == 1 && (!wantsWin || $1 > 0) }
                return yes ? "Yes." : "No."
            }
            return nil
        case .health:
            guard let status = rows.string(0, "srm_status") else { return nil }
            // "Is search ranking's SRM p-value below 0.001?": the check's p-value against the number asked.
            if !set.isDisjoint(with: ["p-value", "pvalue"]), let (op, limit) = threshold(words), let p = rows.double(0, "srm_p_value") {
                let yes = op == "<" ? p < limit : p > limit
                return "\(yes ? "Yes" : "No") — the sample-ratio check's \(ReadoutFormat.p(p))."
            }
            // "Is signup flow healthy?": its health badge, which covers more than the sample-ratio check.
            if !set.isDisjoint(with: ["healthy", "health"]), set.isDisjoint(with: ["srm", "split", "ratio", "balanced", "imbalance", "allocation", "mismatch"]),
               let health = rows.string(0, "health_status") {
                return health == "Healthy" ? "Yes — its health is Healthy." : "No — its health is \(health)."
            }
            if !set.isDisjoint(with: ["problem", "problems", "issue", "issues", "mismatch", "imbalance", "imbalanced", "off", "broken", "srm"]),
               set.isDisjoint(with: ["ok", "okay", "fine", "healthy", "balanced"]) {
                return status == "ok" ? "No — the sample-ratio check passed." : "Yes — the sample-ratio check is \(status)."
            }
            if !set.isDisjoint(with: ["ok", "okay", "fine", "healthy", "balanced"]) {
                return status == "ok" ? "Yes — the sample-ratio check passed." : "No — the sample-ratio check is \(status)."
            }
            return nil
        case .verdict where entities["experiment"] != nil:
            guard let verdict = rows.string(0, "verdict") else { return nil }
            if !set.isDisjoint(with: ["ship", "launch", "launchable", "shippable"]) {
                return verdict == "Launch" ? "Yes — the verdict is Launch." : "No — the verdict is \(verdict)."
            }
            if !set.isDisjoint(with: ["underpowered"]) {
                return verdict == "Hold (underpowered)" ? "Yes — the verdict is \(verdict)." : "No — the verdict is \(verdict)."
            }
            // "Are we rolling back pricing?", "is X on hold?"
            if !set.isDisjoint(with: ["rollback", "rolling", "rolled", "kill", "killing"]) {
                return verdict == "Rollback" ? "Yes — the verdict is Rollback." : "No — the verdict is \(verdict)."
            }
            if set.contains("hold") {
                return verdict.hasPrefix("Hold") ? "Yes — the verdict is \(verdict)." : "No — the verdict is \(verdict)."
            }
            return nil
        case .exposureQuality where rows.columns.contains("crosses_threshold") && rows.int(0, "crosses_threshold") == 0:
            // No day crossed the bound: the row is the closest day, the evidence for "no".
            return "No —"
        case .exposureQuality where entities["daily_threshold"] != nil && rows.columns.contains("date_day"):
            // "Was exposure ever below 50%?": the days that were.
            return "Yes — on \(rows.count) day\(rows.count == 1 ? "" : "s")."
        case .exposureQuality where entities["daily_threshold"] != nil && rows.columns.contains("experiment_id") && set.isDisjoint(with: ["every", "all", "each"]):
            // "Did any experiment's overall exposure rate fall below 90%?": the experiments that did.
            return "Yes — \(rows.count) experiment\(rows.count == 1 ? "" : "s")."
        default:
            return nil
        }
    }
}

/// The order in which a question names days: "on Oct 9 lower than on Oct 8" names 2026-10-09 first.
enum DateMentions {
    /// `days` (ISO) sorted by where the question names them (by month name and day number); empty when not both are found.
    static func inOrder(_ question: String, days: [String]) -> [String] {
        let words = QuestionText(question).words
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        var positions: [(Int, String)] = []
        for day in days {
            let parts = day.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return [] }
            let month = months[parts[1] - 1]
            let position = words.indices.dropLast().first { index in
                words[index].hasPrefix(month) && Int(words[index + 1].prefix(while: \.isNumber)) == parts[2]
            }
            guard let position else { return [] }
            positions.append((position, day))
        }
        return positions.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
