import BatonSystem
import Foundation

/// What `wrk` measured on the same endpoint: the reference for the harness's own overhead.
public struct WrkResult: Sendable, Codable, Equatable {
    /// Requests per second (wrk's `Requests/sec`).
    public var requestsPerSecond: Double
    /// Completed requests.
    public var requests: Int
    /// wrk's latency percentiles in ms (p50, p90, p99), when it printed them.
    public var latencyMs: [String: Double]
    /// Socket errors and non-2xx answers wrk reported.
    public var errors: Int
    /// wrk's threads.
    public var threads: Int
    /// The command that ran.
    public var command: [String]

    enum CodingKeys: String, CodingKey {
        case requestsPerSecond = "requests_per_s"
        case requests
        case latencyMs = "latency_ms"
        case errors, threads, command
    }

    /// Runs wrk against `url` with `connections` connections on `threads` threads for `duration`.
    public static func run(url: String, connections: Int, threads: Int, duration: Duration) async throws -> WrkResult {
        guard let wrk = ChildProcess.executable(named: "wrk") else {
            throw LoadError.setup("wrk not found on PATH: install the Debian package wrk (scripts/install-deps.sh does)")
        }
        let seconds = max(1, Int(duration.seconds.rounded()))
        let arguments = ["-t", String(min(threads, connections)), "-c", String(connections), "-d", "\(seconds)s", "--latency", url]
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("baton-load-wrk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let child = try ChildProcess.spawn(wrk, arguments, outputPath: output)
        let status = ChildProcess.exitCode(await child.waitForExit())
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw LoadError.setup("wrk exited with \(status): \(text.prefix(300))") }
        return try parse(text, threads: min(threads, connections), command: [wrk] + arguments)
    }

    /// Parses wrk's standard output.
    public static func parse(_ text: String, threads: Int, command: [String]) throws -> WrkResult {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let rateLine = lines.first(where: { $0.hasPrefix("Requests/sec:") }),
              let rate = Double(rateLine.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces))
        else { throw LoadError.setup("wrk printed no Requests/sec line: \(text.prefix(300))") }
        let requests = lines.first { $0.contains("requests in") }
            .flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0
        var latency: [String: Double] = [:]
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2, ["50%", "90%", "99%"].contains(fields[0]), let value = milliseconds(String(fields[1])) else { continue }
            latency["p" + fields[0].dropLast()] = value
        }
        var errors = 0
        for line in lines {
            if line.hasPrefix("Non-2xx or 3xx responses:") { errors += Int(line.split(separator: " ").last ?? "") ?? 0 }
            if line.hasPrefix("Socket errors:") {
                errors += line.split(separator: ",").compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
            }
        }
        return WrkResult(requestsPerSecond: rate, requests: requests, latencyMs: latency, errors: errors, threads: threads,
                         command: command)
    }

    /// `812.00us`, `1.23ms`, `2.00s` in milliseconds.
    private static func milliseconds(_ text: String) -> Double? {
        if text.hasSuffix("us") { return Double(text.dropLast(2)).map { $0 / 1_000 } }
        if text.hasSuffix("ms") { return Double(text.dropLast(2)) }
        if text.hasSuffix("s") { return Double(text.dropLast(1)).map { $0 * 1_000 } }
        return nil
    }
}
