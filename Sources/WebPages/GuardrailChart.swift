import Analysis
import Foundation

/// An inline SVG of the guardrails (latency among them): each guardrail comparison's relative
/// change with its 95% interval, coloured by the guardrail check's status, zero marked.
struct GuardrailChart {
    var report: AnalysisReport

    func svg() -> String? {
        let rows = report.comparisons.filter { $0.role == .guardrail }.compactMap { c -> (String, Double, Double, Double, String)? in
            guard let lift = c.relativeLift else { return nil }
            let status = report.guardrails.first { $0.metric == c.metric && $0.variant == c.variant }?.status ?? .ok
            let color = status == .severe ? "#cf222e" : status == .worsened ? "#9a6700" : "#1a7f37"
            return ("\(c.metric) · \(c.variant)", lift, c.relCiLow ?? lift, c.relCiHigh ?? lift, color)
        }
        guard !rows.isEmpty else { return nil }
        var low: Double = 0, high: Double = 0
        for row in rows { low = Swift.min(low, row.2); high = Swift.max(high, row.3) }
        let pad: Double = Swift.max((high - low) * 0.1, 0.005)
        let axisLow = low - pad, axisHigh = high + pad
        let width = 640.0, left = 190.0, right = 20.0, rowHeight = 30.0
        let height = Double(rows.count) * rowHeight + 40
        func x(_ value: Double) -> Double {
            let share = (value - axisLow) / (axisHigh - axisLow)
            return left + share * (width - left - right)
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Guardrails: relative change with 95% intervals\">"
        svg += String(format: "<line x1=\"%.1f\" y1=\"8\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#57606a\" stroke-dasharray=\"4 3\"/>", x(0), x(0), height - 25)
        for tick in 0...4 {
            let value = axisLow + (axisHigh - axisLow) * Double(tick) / 4
            // The outer labels lean inwards, so none is cut at the edge.
            let anchor = tick == 0 ? "start" : tick == 4 ? "end" : "middle"
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%@\" fill=\"#57606a\">%+.1f%%</text>", x(value), height - 8, anchor, value * 100)
        }
        for (index, row) in rows.enumerated() {
            let y = 20 + Double(index) * rowHeight
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">", left - 10, y + 4) + escapeHTML(row.0) + "</text>"
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"2\"/>", x(row.2), y, x(row.3), y, row.4)
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%@\"/>", x(row.1), y, row.4)
        }
        return svg + "</svg>\n"
    }
}
