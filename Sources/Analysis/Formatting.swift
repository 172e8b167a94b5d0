import Foundation

/// Number formatting shared by health reasons, decision reasons and the memo.

func format(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(format: "%.6g", x)
}

func formatP(_ p: Double) -> String {
    if p < 1e-300 { return "< 1e-300" }
    return p >= 0.001 ? String(format: "%.4f", p) : String(format: "%.2e", p)
}

func percent(_ x: Double, digits: Int = 2) -> String {
    String(format: "%.\(digits)f%%", x * 100)
}

/// The same formatting for other faces (the web pages), so a number reads alike everywhere.
public enum ReportFormat {
    /// A p-value: four decimals, or scientific notation below 0.001.
    public static func p(_ value: Double) -> String { formatP(value) }
    /// A share as a percentage, e.g. 0.1234 → "12.34%".
    public static func percent(_ value: Double, digits: Int = 2) -> String { Analysis.percent(value, digits: digits) }
    /// A relative change with its sign, e.g. "+4.2%".
    public static func signedPercent(_ value: Double) -> String { Analysis.signedPercent(value) }
    /// A number: whole when it is whole, else six significant digits.
    public static func number(_ value: Double) -> String { format(value) }
}
