import Foundation

/// The `--plot` chart: throughput per second and p99 latency per second over time, in two
/// panels sharing the time axis, with axes, ticks, grid lines, labels, and the run's
/// configuration in the title. Seconds with failures are marked in red. Plain SVG 1.1, no script.
public enum SVGChart {
    private static let width = 960.0
    private static let panelHeight = 250.0
    private static let left = 80.0
    private static let right = 30.0
    private static let top = 80.0
    private static let gap = 70.0

    /// The chart of `report` as an SVG document.
    public static func render(_ report: RunReport) -> String {
        let points = report.timeline
        let maxT = max(points.last?.t ?? 1, 1)
        let plotWidth = width - left - right
        let height = top + 2 * panelHeight + gap + 80
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(Int(width / 2))" y="28" text-anchor="middle" font-size="17" font-weight="bold">\(escape("baton-load: " + report.headline))</text>
        <text x="\(Int(width / 2))" y="50" text-anchor="middle" fill="#444">\(escape(subtitle(report)))</text>

        """
        let panels: [(title: String, unit: String, color: String, value: (TimelinePoint) -> Double)] = [
            ("throughput", "requests/s", "#1f77b4", { $0.throughput }),
            ("p99 latency", "ms", "#ff7f0e", { $0.p99 }),
        ]
        for (index, panel) in panels.enumerated() {
            let y0 = top + Double(index) * (panelHeight + gap)
            let maxValue = niceCeiling(points.map(panel.value).max() ?? 0)
            let yStep = niceStep(maxValue / 5)
            let x = { (t: Double) in left + t / maxT * plotWidth }
            let y = { (value: Double) in y0 + panelHeight - value / maxValue * panelHeight }
            svg += "<g class=\"panel\" id=\"\(panel.title == "throughput" ? "throughput" : "p99")\">\n"
            svg += "<text x=\"\(Int(left))\" y=\"\(fmt(y0 - 10))\" font-weight=\"bold\">\(panel.title) per second (\(panel.unit))</text>\n"
            var value = 0.0
            while value <= maxValue + yStep / 1e6 {
                svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y(value)))\" x2=\"\(fmt(left + plotWidth))\" y2=\"\(fmt(y(value)))\" stroke=\"#e5e5e5\"/>\n"
                svg += "<text x=\"\(fmt(left - 8))\" y=\"\(fmt(y(value) + 4))\" text-anchor=\"end\">\(tickLabel(value))</text>\n"
                value += yStep
            }
            let xStep = niceStep(maxT / 10)
            var t = 0.0
            while t <= maxT + xStep / 1e6 {
                svg += "<line x1=\"\(fmt(x(t)))\" y1=\"\(fmt(y0 + panelHeight))\" x2=\"\(fmt(x(t)))\" y2=\"\(fmt(y0 + panelHeight + 5))\" stroke=\"#333\"/>\n"
                svg += "<text x=\"\(fmt(x(t)))\" y=\"\(fmt(y0 + panelHeight + 18))\" text-anchor=\"middle\">\(tickLabel(t))</text>\n"
                t += xStep
            }
            svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y0))\" x2=\"\(fmt(left))\" y2=\"\(fmt(y0 + panelHeight))\" stroke=\"#333\"/>\n"
            svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y0 + panelHeight))\" x2=\"\(fmt(left + plotWidth))\" y2=\"\(fmt(y0 + panelHeight))\" stroke=\"#333\"/>\n"
            svg += "<text x=\"\(fmt(left + plotWidth / 2))\" y=\"\(fmt(y0 + panelHeight + 36))\" text-anchor=\"middle\">time (s)</text>\n"
            svg += "<text transform=\"translate(\(fmt(left - 58)),\(fmt(y0 + panelHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(panel.unit)</text>\n"
            let coordinates = points.map { "\(fmt(x($0.t))),\(fmt(y(panel.value($0))))" }.joined(separator: " ")
            svg += "<polyline class=\"series\" fill=\"none\" stroke=\"\(panel.color)\" stroke-width=\"2\" points=\"\(coordinates)\"/>\n"
            for point in points {
                let marker = point.errors > 0 ? "#d62728" : panel.color
                svg += "<circle cx=\"\(fmt(x(point.t)))\" cy=\"\(fmt(y(panel.value(point))))\" r=\"\(point.errors > 0 ? 4 : 2.5)\" fill=\"\(marker)\"><title>\(fmt(point.t)) s: \(tickLabel(panel.value(point))) \(panel.unit), \(point.errors) errors</title></circle>\n"
            }
            svg += "</g>\n"
        }
        svg += "<text x=\"\(Int(width - right))\" y=\"\(Int(height - 12))\" text-anchor=\"end\" fill=\"#666\">red points: seconds with failures · \(escape(report.machine.cpuModel)), \(report.machine.cores) cores · \(escape(report.startedAt))</text>\n"
        svg += "</svg>\n"
        return svg
    }

    private static func subtitle(_ report: RunReport) -> String {
        let verdict = report.passed ? "no correctness failures" : "\(report.correctnessFailures) CORRECTNESS FAILURES"
        return "\(Format.integer(report.requests)) requests in \(Format.decimal(report.durationS)) s, "
            + "\(Format.integer(Int(report.throughput.rounded()))) req/s, p50 \(Format.milliseconds(report.latencyMs.p50)), "
            + "p99 \(Format.milliseconds(report.latencyMs.p99)), \(verdict)"
    }

    /// The smallest "nice" number (1, 2, 2.5, 5 × 10^n) at or above `value`; 1 for zero.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, (log10(value)).rounded(.down))
        for factor in [1, 2, 2.5, 5, 10] where factor * magnitude >= value { return factor * magnitude }
        return 10 * magnitude
    }

    /// A nice tick step near `raw`.
    static func niceStep(_ raw: Double) -> Double {
        niceCeiling(raw)
    }

    private static func tickLabel(_ value: Double) -> String {
        if value >= 1_000 { return Format.integer(Int(value.rounded())) }
        if value == value.rounded() { return String(Int(value)) }
        return Format.decimal(value)
    }

    private static func fmt(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
