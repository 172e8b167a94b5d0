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
