import Foundation

/// "Hi, I'm a Slack bot relaying a user's question: 'how many experiments does each team own?' Please
/// return team and count.": the quoted question is the request. The wrapper before it is set aside
/// only when every word of it is framing (who relays, for whom); what follows the quote (a format
/// note, or a constraint) stays for the other passes and the accountability gate.
enum QuotedQuestion {
    static let relaying: Set<String> = ["relaying", "relay", "relayed", "forwarding", "forwarded", "asks", "asked", "asking", "question", "questions",
                                        "wants", "wanted", "wondering", "wonders", "says", "said", "writes", "wrote", "posted"]
    static let wrapper: Set<String> = ["user", "users", "s", "a", "an", "the", "from", "of", "on", "in", "for", "their", "his", "her", "this", "that", "to", "know",
                                       "channel", "thread", "dm", "message", "customer", "someone", "somebody", "colleague", "teammate", "here", "is", "am", "m"]

    /// A JSON envelope a bot sends (`{"channel": "exec-digest", "ask": "Which experiments are ready to launch?"}`):
    /// the text of its question field.
    static func envelope(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}"), let data = trimmed.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        for key in ["question", "ask", "text", "query", "prompt", "message", "q", "input"] {
            if let value = object[key] as? String, !value.isEmpty { return value }
        }
        return nil
    }

    static func extract(_ text: String) -> String {
        if let inner = envelope(text) { return extract(inner) }
        let patterns = [#"(?:^|(?<=[\s:(]))["“]([^"”]{8,}?\??)["”]"#, #"(?:^|(?<=[\s:(]))['‘](.{8,}?\?)['’](?=\s|$|[.,!;)])"#]
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let whole = Range(match.range, in: text), let inner = Range(match.range(at: 1), in: text) else { continue }
            let before = QuestionText(String(text[..<whole.lowerBound])).words
            guard before.contains(where: relaying.contains) else { continue }
            let framing = before.allSatisfy { word in
                relaying.contains(word) || wrapper.contains(word) || AccountabilityGate.fillers.contains(word) || AccountabilityGate.framing.contains(word)
                    || SocialContext.markers.contains(word) || (word.hasSuffix("bot") && word.count > 3)
            }
            guard framing else { continue }
            return String(text[inner]) + " " + String(text[whole.upperBound...])
        }
        return text
    }
}
