import Foundation

/// Number formatting for readouts: every figure printed is derived from the rows by rounding.
enum ReadoutFormat {
    static func percent(_ x: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f%%", x * 100)
    }

    static func signedPercent(_ x: Double, digits: Int = 1) -> String {
        (x >= 0 ? "+" : "") + String(format: "%.\(digits)f%%", x * 100)
    }

    /// "p = 0.0123", or "p < 0.0001" for tiny values.
    static func p(_ value: Double) -> String {
        if value < 0.0001 { return "p < 0.0001" }
        return "p = " + String(format: "%.4f", value)
    }

    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return Int64(x).formatted() }
        return String(format: abs(x) >= 100 ? "%.1f" : "%.2f", x)
    }

    static func count(_ n: Int) -> String { n.formatted() }

    /// A difference of two rates in percentage points, to a tenth: 0.1304 → "13.0", 0.10292 → "10.3".
    static func points(_ x: Double) -> String { String(format: "%.1f", x * 100) }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        case 2: return items[0] + " and " + items[1]
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }
}
