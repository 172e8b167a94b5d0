import Foundation
import Stats

extension DecisionMemo {
    /// The memo as Markdown.
    public func markdown() -> String {
        var out = "# Decision memo: \(title)\n\n"
        out += "**Conclusion: \(conclusion)**\n\n"
        out += report.decision.reasons.map { "- \($0)\n" }.joined() + "\n"
        out += facts.map { "- **\($0.0)**: \($0.1)\n" }.joined() + "\n"
        out += "## Evidence\n\n"
        let header = DecisionMemo.evidenceHeader
        out += "| " + header.joined(separator: " | ") + " |\n"
        out += "|" + header.map { _ in "---" }.joined(separator: "|") + "|\n"
        for row in evidence { out += "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        out += "\n\(evidenceLegend)\n\n"
        out += "## Risks\n\n" + risks.map { "- \($0)\n" }.joined() + "\n"
        out += "## Next actions\n\n" + nextActions.map { "- \($0)\n" }.joined()
        if !input.recordedDecisions.isEmpty {
            out += "\n## Recorded decisions\n\n" + input.recordedDecisions.map { "- \($0)\n" }.joined()
        }
        return out
    }
}
