import Analysis
import Foundation
import Gateway

/// An inline SVG line of the daily exposure rate (exposed ÷ assigned), 0–100% on the y axis, one
/// point per day with its date and rate in a tooltip.
struct ExposureChart {
    var days: [ExperimentOverview.Day]

    func svg() -> String? {
        let points = days.compactMap { day in day.exposureRate.map { (day.day, $0) } }
        guard points.count >= 2 else { return nil }
        let width = 640.0, height = 220.0, left = 46.0, right = 16.0, top = 12.0, bottom = 30.0
        func x(_ index: Int) -> Double { left + Double(index) / Double(points.count - 1) * (width - left - right) }
        func y(_ rate: Double) -> Double { top + (1 - max(0, min(1, rate))) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Exposure rate by day\">"
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d0d7de\"/>", left, y(tick), width - right, y(tick))
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#57606a\">%d%%</text>", left - 6, y(tick) + 4, Int(tick * 100))
        }
        let line = points.enumerated().map { String(format: "%.1f,%.1f", x($0.offset), y($0.element.1)) }.joined(separator: " ")
        svg += "<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"\(line)\"/>"
        for (index, point) in points.enumerated() {
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#0969da\"><title>", x(index), y(point.1))
            svg += "\(escapeHTML(point.0)): \(String(format: "%.1f", point.1 * 100))%</title></circle>"
        }
        for index in Set([0, points.count / 2, points.count - 1]).sorted() {
            let anchor = index == 0 ? "start" : index == points.count - 1 ? "end" : "middle"
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%@\" fill=\"#57606a\">", x(index), height - 10, anchor) + escapeHTML(points[index].0) + "</text>"
        }
        return svg + "</svg>\n"
    }
}
