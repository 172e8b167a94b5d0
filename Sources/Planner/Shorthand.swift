import Foundation

/// Shorthand people type, spelled out before the words are read: month/day dates ("10/8",
/// "10/1-10/7") become ISO days in the current year, "P&L" one word, "top3" "top 3", and
/// "rev/buyer", "arpu/user" become "rev per buyer".
enum Shorthand {
    static func spelled(_ text: String, today: String) -> String {
        let year = String(today.prefix(4))
        var result = text
        // Each rewrite runs only when the character or word it rewrites is there: a regex costs tens of
        // microseconds to build, and most questions need none of them.
        let slash = text.contains("/"), lowered = text.lowercased()
        // "10/1-10/7": both days.
        if slash {
            result = result.replacingOccurrences(of: #"(?<![\d/.])(1[0-2]|0?[1-9])/([12]\d|3[01]|0?[1-9])\s*(?:-|–|to)\s*(1[0-2]|0?[1-9])/([12]\d|3[01]|0?[1-9])(?![\d/%])"#,
                                                 with: "between \(year)-$1-$2 and \(year)-$3-$4", options: .regularExpression)
        }
        // "Overall, not per day": the breakdown declined is not asked for.
        if lowered.contains("not") {
            result = result.replacingOccurrences(of: #"(?i),?\s*\b(?:but\s+|and\s+)?not\s+(?:per|by|for\s+each|each)\s+day\b|,?\s*\bnot\s+daily\b"#, with: "", options: .regularExpression)
        }
        // "the configured 1/3 allocation", "a 1/2 split": a fraction, not a day.
        if slash {
            result = result.replacingOccurrences(of: #"(?<![\d/.])(1[0-2]|0?[1-9])/([12]\d|3[01]|0?[1-9])(?![\d/%])(?!\s*(?:allocations?|splits?|shares?|of|each|traffic|weights?|ratio)\b)"#,
                                                 with: "\(year)-$1-$2", options: .regularExpression)
        }
        // One-digit months and days written as ISO need two digits: 2026-10-8 → 2026-10-08.
        if result.contains("-") {
            result = result.replacingOccurrences(of: #"\b(\d{4})-(\d)-"#, with: "$1-0$2-", options: .regularExpression)
            result = result.replacingOccurrences(of: #"\b(\d{4}-\d{2})-(\d)\b"#, with: "$1-0$2", options: .regularExpression)
        }
        // "the P&L note": one word.
        if text.contains("&") { result = result.replacingOccurrences(of: #"(?i)\bP&L\b"#, with: "pnl", options: .regularExpression) }
        // "top3 lifts": top 3.
        if lowered.contains("top") || lowered.contains("bottom") {
            result = result.replacingOccurrences(of: #"(?i)\b(top|bottom)(\d+)\b"#, with: "$1 $2", options: .regularExpression)
        }
        // "rev/buyer", "revenue/user": per.
        if slash {
            result = result.replacingOccurrences(of: #"(?<=[A-Za-z])/(?=(user|users|buyer|buyers|converter|converters|purchaser|purchasers|visitor|visitors|arm|day|person)\b)"#,
                                                 with: " per ", options: [.regularExpression, .caseInsensitive])
        }
        // "exposed-mode", "the exposed-only analysis", "itt-mode": the analysis population, two words.
        if lowered.contains("exposed-") || lowered.contains("itt-") {
            result = result.replacingOccurrences(of: #"(?i)\b(exposed|itt)-(mode|only|analysis|population)\b"#, with: "$1 $2", options: .regularExpression)
        }
        // "experiment-days": the daily table's rows, counted as days across experiments.
        if lowered.contains("experiment-day") || lowered.contains("experiment day") {
            result = result.replacingOccurrences(of: #"(?i)\bexperiment[- ]days\b"#, with: "days", options: .regularExpression)
        }
        // "expt", "expts": experiment(s); "kicked off": started; "p-val": p-value.
        if lowered.contains("expt") {
            result = result.replacingOccurrences(of: #"(?i)\bexpts\b"#, with: "experiments", options: .regularExpression)
            result = result.replacingOccurrences(of: #"(?i)\bexpt\b"#, with: "experiment", options: .regularExpression)
        }
        if lowered.contains("kick") {
            result = result.replacingOccurrences(of: #"(?i)\bkick(?:ed|s)?\s+off\b"#, with: "started", options: .regularExpression)
        }
        if lowered.contains("p-val") || lowered.contains("pval") {
            result = result.replacingOccurrences(of: #"(?i)\bp-?vals?\b(?!ue)"#, with: "p-value", options: .regularExpression)
        }
        // "min sample size per variant": the sample size the power check requires, not the smallest arm.
        if lowered.contains("min") {
            result = result.replacingOccurrences(of: #"(?i)\b(?:min|minimum)\.?\s+(sample\s+sizes?)\b"#, with: "required $1", options: .regularExpression)
        }
        // "Among people who actually bought something, how much did each arm spend": per buyer.
        if lowered.contains("among") {
            result = result.replacingOccurrences(of: #"(?i)\bamong\s+(?:the\s+)?(?:people|users|customers|those|ones)\s+who\s+(?:actually\s+)?(?:bought|purchased|paid|converted)(?:\s+something|\s+anything)?"#,
                                                 with: "per buyer", options: .regularExpression)
        }
        return result
    }
}
