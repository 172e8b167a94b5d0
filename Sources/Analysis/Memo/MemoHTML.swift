import Foundation
import Stats

extension DecisionMemo {
    /// The memo as one self-contained HTML page (inline CSS and SVG, no external assets).
    public func html() -> String {
        let color: String
        switch report.decision.verdict {
        case .launch: color = "#1a7f37"
        case .rollback: color = "#cf222e"
        case .hold, .holdUnderpowered: color = "#9a6700"
        }
        var out = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Decision memo: \(escapeHTML(title))</title>
        <style>
        body{font:15px/1.45 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1f2328}
        h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
        .verdict{display:inline-block;padding:.3em .8em;border-radius:6px;color:#fff;background:\(color);font-weight:600}
        table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:right}
        th:first-child,td:first-child,td:nth-child(2),th:nth-child(2){text-align:left}th{background:#f6f8fa}
        </style></head><body>
        <h1>Decision memo: \(escapeHTML(title))</h1>
        <p><span class="verdict">\(escapeHTML(conclusion))</span></p>
        <ul>\(report.decision.reasons.map { "<li>\(escapeHTML($0))</li>" }.joined())</ul>
        <ul>\(facts.map { "<li><b>\(escapeHTML($0.0))</b>: \(escapeHTML($0.1))</li>" }.joined())</ul>
        <h2>Evidence</h2>

        """
        out += RateChart(report: report).svg()
        out += "<table><tr>" + DecisionMemo.evidenceHeader.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr>"
        for row in evidence { out += "<tr>" + row.map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>" }
        out += "</table><p>\(escapeHTML(evidenceLegend))</p>\n"
        out += "<h2>Risks</h2><ul>" + risks.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>\n"
        out += "<h2>Next actions</h2><ul>" + nextActions.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>\n"
        if !input.recordedDecisions.isEmpty {
            out += "<h2>Recorded decisions</h2><ul>" + input.recordedDecisions.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>\n"
        }
        return out + "</body></html>\n"
    }
}

/// Escapes text for HTML (and SVG) element content and attribute values: the one escaper of
/// server-drawn markup (the memo, the charts).
public func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}
