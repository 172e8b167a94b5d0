import Foundation
import Stats

/// An inline SVG chart of the primary metric per arm: a dot at the rate and a
/// whisker for its 95% interval (Wald for rates), on a shared axis.
public struct RateChart {
    var report: AnalysisReport

    public init(report: AnalysisReport) { self.report = report }

    public func svg() -> String {
        let isRate = report.arms.first?.conversions != nil
        let z = NormalDistribution.quantile(1 - report.settings.alpha / 2)
        let arms = report.arms.compactMap { arm -> (String, Double, Double, Double)? in
            guard let rate = arm.rate, arm.users > 0 else { return nil }
            let half = arm.conversions != nil ? z * (rate * (1 - rate) / Double(arm.users)).squareRoot() : 0
            return (arm.variant, rate, rate - half, rate + half)
        }
        guard !arms.isEmpty else { return "" }
        let low = arms.map(\.2).min() ?? 0, high = arms.map(\.3).max() ?? 1
        let pad = max((high - low) * 0.15, 1e-6)
        let axisLow = max(0, low - pad), axisHigh = high + pad
        let width = 640.0, left = 130.0, right = 30.0, rowHeight = 34.0
        let height = Double(arms.count) * rowHeight + 40
        func x(_ value: Double) -> Double { left + (value - axisLow) / (axisHigh - axisLow) * (width - left - right) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Primary metric by arm with 95% intervals\">"
        svg += "<line x1=\"\(left)\" y1=\"\(height - 25)\" x2=\"\(width - right)\" y2=\"\(height - 25)\" stroke=\"#8c959f\"/>"
        for tick in 0...4 {
            let value = axisLow + (axisHigh - axisLow) * Double(tick) / 4
            let label = isRate ? String(format: "%.2f%%", value * 100) : String(format: "%.3g", value)
            svg += "<text x=\"\(String(format: "%.1f", x(value)))\" y=\"\(height - 8)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#57606a\">\(label)</text>"
        }
        for (index, arm) in arms.enumerated() {
            let y = 20 + Double(index) * rowHeight
            let color = index == 0 ? "#57606a" : "#0969da"
            svg += "<text x=\"\(left - 10)\" y=\"\(y + 4)\" font-size=\"13\" text-anchor=\"end\">\(escapeHTML(arm.0))</text>"
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"2\"/>", x(arm.2), y, x(arm.3), y, color)
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%@\"/>", x(arm.1), y, color)
        }
        return svg + "</svg>\n"
    }
}
