import Analysis
import Foundation
import Gateway

/// An inline SVG of the decision test's relative lift per treatment arm, one point per build
/// (refresh), with its interval as a band and zero marked. Needs two builds to draw a line.
struct LiftHistoryChart {
    var points: [ExperimentOverview.HistoryPoint]

    static let colors = ["#0969da", "#8250df", "#bf3989", "#1a7f37"]

    func svg() -> String? {
        let runs = Array(Set(points.map(\.run))).sorted()
        guard runs.count >= 2 else { return nil }
        var values: [Double] = [0]
        for point in points {
            values.append(point.lift)
            if let low = point.low { values.append(low) }
            if let high = point.high { values.append(high) }
        }
        let low: Double = values.min() ?? 0
        let high: Double = values.max() ?? 0
        let pad: Double = Swift.max((high - low) * 0.1, 0.005)
        let axisLow: Double = low - pad
        let axisHigh: Double = high + pad
        let width = 640.0, height = 220.0, left = 56.0, right = 16.0, top = 12.0, bottom = 30.0
        var index: [Int64: Int] = [:]
        for (offset, run) in runs.enumerated() { index[run] = offset }
        let span = Double(runs.count - 1)
        func x(_ run: Int64) -> Double {
            let position = Double(index[run] ?? 0) / span
            return left + position * (width - left - right)
        }
        func y(_ value: Double) -> Double {
            let share = (axisHigh - value) / (axisHigh - axisLow)
            return top + share * (height - top - bottom)
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Relative lift over time\">"
        for tick in 0...4 {
            let value = axisLow + (axisHigh - axisLow) * Double(tick) / 4
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d0d7de\"/>", left, y(value), width - right, y(value))
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#57606a\">%+.1f%%</text>", left - 6, y(value) + 4, value * 100)
        }
        svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#57606a\" stroke-dasharray=\"4 3\"/>", left, y(0), width - right, y(0))
        let arms = Array(Set(points.map(\.variant))).sorted()
        for (number, arm) in arms.enumerated() {
            let color = Self.colors[number % Self.colors.count]
            let series = points.filter { $0.variant == arm }.sorted { $0.run < $1.run }
            let banded = series.filter { $0.low != nil && $0.high != nil }
            if banded.count >= 2 {
                let upper = banded.map { String(format: "%.1f,%.1f", x($0.run), y($0.high ?? 0)) }
                let lower = banded.reversed().map { String(format: "%.1f,%.1f", x($0.run), y($0.low ?? 0)) }
                svg += "<polygon fill=\"\(color)\" fill-opacity=\"0.12\" stroke=\"none\" points=\"\((upper + lower).joined(separator: " "))\"/>"
            }
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(series.map { String(format: "%.1f,%.1f", x($0.run), y($0.lift)) }.joined(separator: " "))\"/>"
            for point in series {
                svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%@\"><title>", x(point.run), y(point.lift), color)
                svg += "\(escapeHTML(arm)) at \(escapeHTML(point.at)): \(String(format: "%+.1f", point.lift * 100))%</title></circle>"
            }
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%@\">", left + 4 + Double(number) * 110, height - 10, color) + escapeHTML(arm) + "</text>"
        }
        return svg + "</svg>\n"
    }
}
