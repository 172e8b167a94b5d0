import Foundation

/// Chat questions come wrapped in conversation: "Hi! I'm preparing the weekly review — could you
/// tell me the lift on checkout button? Thanks so much!". A sentence or dash-separated part that
/// greets, thanks or explains who is asking — and names nothing the planner answers about — is
/// set aside before planning, so its words neither become requests nor block the answer. A part
/// without such a marker ("excluding weekends") is kept, and the accountability gate still sees it.
enum SocialContext {
    static let markers: Set<String> = ["hi", "hello", "hey", "hiya", "thanks", "thank", "cheers", "morning", "afternoon", "evening",
                                       "i", "im", "we", "were", "our", "my", "me", "us", "sorry", "appreciate", "sec", "folks",
                                       "please", "pls", "ok", "okay", "great", "awesome", "perfect", "welcome", "greetings", "there"]
    /// Words that never make a part substantive on their own.
    static let weak: Set<String> = ["review", "readout", "draft", "shipped", "killed", "running", "live", "day", "days", "time", "date",
                                    "answer", "ask", "query", "queries", "anything", "something", "going", "happening", "work", "working",
                                    "worked", "doing", "how", "did", "more", "less", "back", "team", "teams", "start", "started", "end",
                                    "go", "goes", "went", "up", "down", "take", "took", "share", "one", "cut", "make", "made", "use", "used",
                                    "log", "add", "added", "help", "need", "number", "numbers", "sync", "new"]

    static func stripped(_ question: String, substantive: Set<String>, known: Set<String> = []) -> String {
        let parts = QuestionText.parts(of: question, at: [".", "!", "?", ";", "—", "–", ":", "\n"])
        // A part of a longer question that names nothing the planner answers about — context
        // ("Our PM sync starts in five minutes"), a format note ("Reply briefly please", "Just the
        // number") — is set aside; a part that names a measure, an experiment, an arm, a mode, a
        // number or a date stays, and its unknown words still make the planner decline.
        let several = parts.filter { !QuestionText($0).words.isEmpty }.count > 1
        let kept = parts.filter { part in
            let words = QuestionText(part).words.map { $0 == "i'm" ? "im" : $0 }
            guard !words.isEmpty else { return false }
            let social = words.contains(where: markers.contains) || words.first == "thanks"
            let names = words.contains { substantive.contains($0) && !weak.contains($0) }
            // A part of filler only ("Just the number.") says nothing; one with words of its own
            // ("Excluding weekends.") stays, so the gate can decline what it cannot apply.
            let onlyFiller = words.allSatisfy { AccountabilityGate.fillers.contains($0) }
            // "We only look at mobile users", "We're presenting to Acme": could be a constraint, so it stays for the gate.
            let narrows = AskerContext.narrows(words) || AskerContext.containsProperName(part)
            return names || narrows || !(social || (several && onlyFiller))
        }
        // Within a part, a leading or trailing clause that is about the asker ("For my quarterly planning
        // doc, which experiment…", "…, thanks in advance") and names nothing is set aside too.
        let trimmed = kept.map { part -> String in
            var clauses = part.components(separatedBy: ", ")
            guard clauses.count > 1 else { return part }
            func aside(_ clause: String) -> Bool {
                // Judged after typo correction, so "plz deleet it for me" keeps its (misspelt) request.
                let words = QuestionText(clause).words.map { $0 == "i'm" ? "im" : (Speller.correction($0, known: known) ?? $0) }
                return !words.isEmpty && words.contains(where: markers.contains) && !words.contains { substantive.contains($0) && !weak.contains($0) }
            }
            while clauses.count > 1, let first = clauses.first, aside(first) { clauses.removeFirst() }
            while clauses.count > 1, let last = clauses.last, aside(last) { clauses.removeLast() }
            return clauses.joined(separator: ", ")
        }
        guard !trimmed.isEmpty, trimmed != parts.filter({ !QuestionText($0).words.isEmpty }) else { return question }
        return trimmed.joined(separator: ". ")
    }
}
