/// A question reduced to lower-case ASCII words, with the fuzzy matching the
/// rule planner uses (one typo per word of five or more letters, two from ten).
public struct QuestionText: Sendable {
    public let original: String
    public let words: [String]

    public init(_ text: String) {
        original = text
        var words: [String] = []
        var current = ""
        let scalars = Array(text.unicodeScalars)
        // A Slack channel ("#exp-health") or a mention ("@priya") names where a question came from, not what it asks.
        var channel = false
        for (position, scalar) in scalars.enumerated() {
            let value = scalar.value
            if (value == 0x23 || value == 0x40), current.isEmpty, position + 1 < scalars.count, scalars[position + 1].properties.isAlphabetic,
               position == 0 || !scalars[position - 1].properties.isAlphabetic {
                channel = true
                continue
            }
            if channel {
                if scalar.properties.isAlphabetic || (0x30...0x39).contains(value) || value == 0x2D || value == 0x5F { continue }
                channel = false
            }
            // A decimal point inside a number stays: "0.01", "2.5".
            let decimalPoint = value == 0x2E && !current.isEmpty && current.allSatisfy(\.isNumber)
                && position + 1 < scalars.count && (0x30...0x39).contains(scalars[position + 1].value)
            // A thousands separator inside a number is dropped: "1,650" is 1650.
            if value == 0x2C, !current.isEmpty, current.allSatisfy(\.isNumber), position + 3 < scalars.count,
               (position + 1...position + 3).allSatisfy({ (0x30...0x39).contains(scalars[$0].value) }),
               position + 4 >= scalars.count || !(0x30...0x39).contains(scalars[position + 4].value) {
                continue
            }
            if (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) || value == 0x2D && !current.isEmpty || decimalPoint {
                current.unicodeScalars.append(scalar)
            } else if value >= 0x41 && value <= 0x5A {
                current.unicodeScalars.append(Unicode.Scalar(value + 32) ?? scalar)
            } else {
                if !current.isEmpty { words.append(current.hasSuffix("-") ? String(current.dropLast()) : current) }
                current = ""
            }
        }
        if !current.isEmpty { words.append(current.hasSuffix("-") ? String(current.dropLast()) : current) }
        // Underscored and hyphenated identifiers also count as their parts: exp_checkout_button, team-growth.
        self.words = words.flatMap { word in word.contains("-") ? [word] + word.split(separator: "-").map(String.init) : [word] }
    }

    /// A question whose words were corrected (see ``Speller``); the original text is kept as written.
    init(original: String, words: [String]) {
        self.original = original
        self.words = words
    }

    /// The text cut at any of `separators` — except a "." or "," between digits, so "0.01" and
    /// "1,650" stay one number. Parts keep their original characters; empty parts are kept.
    public static func parts(of text: String, at separators: Set<Character>) -> [String] {
        var parts: [String] = []
        var current = ""
        let characters = Array(text)
        for (position, character) in characters.enumerated() {
            let inNumber = (character == "." || character == ",") && position > 0 && position + 1 < characters.count
                && characters[position - 1].isNumber && characters[position + 1].isNumber
                // A dot inside a word is not a sentence end: "jane.doe@example.com", "v2.1".
                || character == "." && position > 0 && position + 1 < characters.count
                && characters[position - 1].isLetter && (characters[position + 1].isLetter || characters[position + 1].isNumber)
            if separators.contains(character), !inNumber {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// Whether `word` appears, allowing typos in longer words.
    public func contains(_ word: String, fuzzy: Bool = true) -> Bool {
        words.contains { Self.matches($0, word, fuzzy: fuzzy) }
    }

    /// The question's words that match `word` (with the same tolerance as ``contains(_:fuzzy:)``).
    public func matching(_ word: String) -> [String] {
        words.filter { Self.matches($0, word, fuzzy: true) }
    }

    /// Whether `word` appears exactly (or as a plural).
    public func containsExactly(_ word: String) -> Bool { contains(word, fuzzy: false) }

    /// Whether the words of `phrase` appear consecutively (a single word may have a typo).
    public func contains(phrase: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= words.count else { return false }
        if phrase.count == 1 { return contains(phrase[0]) }
        for start in 0...(words.count - phrase.count) where zip(words[start...], phrase).allSatisfy({ Self.matches($0, $1, fuzzy: true) }) {
            return true
        }
        return false
    }

    static func matches(_ word: String, _ target: String, fuzzy: Bool) -> Bool {
        if word == target { return true }
        // Plurals: "experiments" matches "experiment".
        if word == target + "s" || target == word + "s" { return true }
        // A word spelled right is not another word's typo: "lower" is not "slower".
        guard fuzzy, !AccountabilityGate.vocabulary.contains(word) else { return false }
        let allowed = target.count >= 10 ? 2 : target.count >= 5 ? 1 : 0
        guard allowed > 0, abs(word.count - target.count) <= allowed else { return false }
        return editDistance(Array(word.utf8), Array(target.utf8), limit: allowed) <= allowed
    }

    /// Optimal-string-alignment distance (Damerau–Levenshtein with adjacent swaps), capped at `limit + 1`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
