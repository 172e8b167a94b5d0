import Foundation

/// Checks that every number in a piece of text is grounded: it appears in, or
/// is derivable by rounding from, a number in the result rows, the
/// deterministic readout or the question (percentages may be a fraction × 100).
enum GroundingCheck {
    /// The first ungrounded number, or nil when all are grounded.
    static func firstUngrounded(in text: String, sources: [Double]) -> String? {
        for token in numbers(in: text) {
            guard let value = Double(token.value.replacingOccurrences(of: ",", with: "")) else { return token.value }
            let decimals = token.value.split(separator: ".").count > 1 ? token.value.split(separator: ".")[1].count : 0
            let scale = pow(10, Double(decimals))
            let tolerance = 0.5 / scale + 1e-9
            let grounded = sources.contains { source in
                let candidates = token.percent ? [source * 100, source] : [source, source * 100, abs(source), abs(source) * 100]
                return candidates.contains { abs(abs($0) - abs(value)) <= tolerance }
            }
            if !grounded { return token.value + (token.percent ? "%" : "") }
        }
        return nil
    }

    /// Numbers as written: "8.4", "1,234", "0.0022", with whether a % follows.
    static func numbers(in text: String) -> [(value: String, percent: Bool)] {
        var result: [(String, Bool)] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let startsNumber = character.isASCII && character.isNumber
                && (index == 0 || !(characters[index - 1].isLetter || characters[index - 1] == "_"))
            guard startsNumber else { index += 1; continue }
            var end = index
            while end < characters.count, characters[end].isASCII, characters[end].isNumber || ((characters[end] == "." || characters[end] == ",") && end + 1 < characters.count && characters[end + 1].isASCII && characters[end + 1].isNumber) {
                end += 1
            }
            // Identifiers like exp_recs_model_v2 or dates like 2026-10-08 are not quantities to check.
            let followedByLetter = end < characters.count && (characters[end].isLetter || characters[end] == "_")
            let partOfDate = (end < characters.count && characters[end] == "-" && end + 1 < characters.count && characters[end + 1].isNumber)
                || (index > 0 && characters[index - 1] == "-" && index > 1 && characters[index - 2].isNumber)
            if !followedByLetter && !partOfDate {
                let percent = end < characters.count && characters[end] == "%"
                result.append((String(characters[index..<end]), percent))
            }
            index = end
        }
        return result
    }

    /// Every number in the rows, the readout and the question, plus the result's shape.
    static func sources(answer: Answer) -> [Double] {
        var values: [Double] = [Double(answer.rows.count), Double(answer.columns.count)]
        for row in answer.rows {
            for cell in row {
                if let number = cell.double { values.append(number) }
                if case .text(let text) = cell { values += numbers(in: text).compactMap { Double($0.value.replacingOccurrences(of: ",", with: "")) } }
            }
        }
        for text in [answer.readout, answer.question] {
            values += numbers(in: text).compactMap { Double($0.value.replacingOccurrences(of: ",", with: "")) }
        }
        return values
    }
}
