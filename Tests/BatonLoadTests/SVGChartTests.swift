@testable import BatonLoad
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct SVGChartTests {
    /// Collects what the test looks at while parsing.
    private final class Collector: NSObject, XMLParserDelegate {
        var polylines: [[String: String]] = []
        var groups: [String] = []
        var texts: [String] = []
        private var inText = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name == "polyline" { polylines.append(attributes) }
            if name == "g", let id = attributes["id"] { groups.append(id) }
            inText = name == "text"
            if inText { texts.append("") }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { texts[texts.count - 1] += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            inText = false
        }
    }

    @Test func isWellFormedWithBothSeriesAxesAndATitle() throws {
        let report = try SampleReport.make(loggedOutByFault: 2)
        let svg = SVGChart.render(report)
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(collector.groups == ["throughput", "p99"])
        #expect(collector.polylines.count == 2)
        for polyline in collector.polylines {
            #expect(polyline["points"]?.split(separator: " ").count == report.timeline.count)
        }
        #expect(collector.texts.contains { $0.contains("baton-load: refresh, closed loop, 4 connections, 10 users") })
        #expect(collector.texts.contains { $0.contains("throughput per second (requests/s)") })
        #expect(collector.texts.contains { $0.contains("p99 latency per second (ms)") })
        #expect(collector.texts.filter { $0 == "time (s)" }.count == 2)
        #expect(collector.texts.contains("500"))          // a throughput tick
        #expect(svg.contains("fill=\"#d62728\"><title>3 s"))   // the failing second is marked
    }

    @Test func niceScales() {
        #expect(SVGChart.niceCeiling(0) == 1)
        #expect(SVGChart.niceCeiling(7) == 10)
        #expect(SVGChart.niceCeiling(1_234) == 2_000)
        #expect(SVGChart.niceCeiling(0.3) == 0.5)
        #expect(SVGChart.niceCeiling(1_000) == 1_000)
    }
}
