/// Corrects typos in a question before it is read: a word the planner does not know becomes the one
/// known word it is a single slip away from ("signficance", "avergae", "flwo", "teh", "emials") —
/// same first letter, one edit (an adjacent swap for words of three or four letters, two edits
/// from eight letters). An unknown word with no single such neighbour stays as written, so the
/// accountability gate can still say it was not understood; "slower" never becomes "lower".
enum Speller {
    static func corrected(_ text: QuestionText, known: Set<String>) -> QuestionText {
        var changed = false
        let words = text.words.map { word -> String in
            guard let fixed = correction(word, known: known) else { return word }
            changed = true
            return fixed
        }
        return changed ? QuestionText(original: text.original, words: words) : text
    }

    /// Words for statistics and metrics the warehouse does not hold: never "corrected" into a
    /// neighbour ("percentile" is not "percentage"), so the planner declines them.
    static let unsupported: Set<String> = ["percentile", "percentiles", "quantile", "quantiles", "median", "medians", "retention",
                                           "churn", "churned", "bounce", "bounced", "sessions", "session", "clicks", "clickthrough",
                                           // Customer segments the warehouse has no column for.
                                           "high-value", "low-value", "vip", "vips", "whale", "whales", "big-spenders", "power-users"]

    static func correction(_ word: String, known: Set<String>) -> String? {
        guard word.count >= 3, !known.contains(word), !unsupported.contains(word), word.first?.isLetter == true, !word.contains("-") else { return nil }
        // A plural or singular of a known word is not a typo.
        if known.contains(word + "s") || (word.hasSuffix("s") && known.contains(String(word.dropLast()))) { return nil }
        let allowed = word.count >= 10 ? 2 : 1
        let bytes = Array(word.utf8)
        var best: [String] = []
        var bestDistance = allowed + 1
        for candidate in known where candidate.first == word.first && abs(candidate.count - word.count) <= allowed && candidate.count >= 3 {
            if word.count <= 4 {
                // Short words: two neighbouring letters swapped, or (four letters) one letter left out ("wich").
                let dropped = word.count == 4 && candidate.count == 5 && QuestionText.editDistance(bytes, Array(candidate.utf8), limit: 1) == 1
                guard (candidate.count == word.count && isSwap(bytes, Array(candidate.utf8))) || dropped else { continue }
                if bestDistance > 1 { best = [] ; bestDistance = 1 }
                best.append(candidate)
                continue
            }
            let distance = QuestionText.editDistance(bytes, Array(candidate.utf8), limit: allowed)
            if distance < bestDistance { best = [candidate]; bestDistance = distance } else if distance == bestDistance { best.append(candidate) }
        }
        // Of several one-slip neighbours, two letters swapped is the likeliest slip ("modle" is "model").
        if best.count > 1, bestDistance == 1 {
            let swaps = best.filter { $0.count == word.count && isSwap(bytes, Array($0.utf8)) }
            if swaps.count == 1 { return swaps[0] }
        }
        return best.count == 1 && bestDistance <= allowed ? best[0] : nil
    }

    static func isSwap(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let different = a.indices.filter { a[$0] != b[$0] }
        return different.count == 2 && different[1] == different[0] + 1 && a[different[0]] == b[different[1]] && a[different[1]] == b[different[0]]
    }
}
