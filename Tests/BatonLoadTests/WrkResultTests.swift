@testable import BatonLoad
import Testing

@Suite struct WrkResultTests {
    @Test func parsesWrkOutput() throws {
        let output = """
        Running 10s test @ http://127.0.0.1:8080/healthz
          1 threads and 16 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency   412.35us  120.11us   5.20ms   90.00%
            Req/Sec    38.81k     1.20k   40.00k    80.00%
          Latency Distribution
             50%  398.00us
             75%  450.00us
             90%  510.00us
             99%    1.02ms
          386215 requests in 10.00s, 50.12MB read
          Socket errors: connect 0, read 2, write 0, timeout 1
          Non-2xx or 3xx responses: 4
        Requests/sec:  38620.55
        Transfer/sec:      5.01MB
        """
        let result = try WrkResult.parse(output, threads: 1, command: ["wrk"])
        #expect(result.requestsPerSecond == 38_620.55)
        #expect(result.requests == 386_215)
        #expect(result.latencyMs == ["p50": 0.398, "p90": 0.51, "p99": 1.02])
        #expect(result.errors == 7)
        #expect(throws: LoadError.self) { try WrkResult.parse("wrk: command failed", threads: 1, command: []) }
    }
}
