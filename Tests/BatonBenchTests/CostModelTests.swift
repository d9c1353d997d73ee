import Testing
@testable import baton_bench

@Suite struct CostModelTests {
    /// DESIGN.md §9's figures: 25 µs a signature, 13 µs the script, 18 µs a minimal request served,
    /// and 14 µs for the client that sends it.
    static let design = CostModel(signature: 25, script: 13, httpServer: 18, httpClient: 14, cores: 2)

    @Test func sumsTheFloorsParts() {
        #expect(Self.design.microsecondsPerRefresh == 70)
    }

    @Test func predictsCoresTimesAMillionOverTheSum() {
        // 2 × 1,000,000 / 70 = 28,571.43
        #expect(abs(Self.design.predictedRefreshesPerSecond - 28_571.428_571) < 0.001)
    }

    @Test func ratioIsMeasuredOverPredicted() {
        // 20,000 / 28,571.43 = 0.7
        #expect(abs(Self.design.ratio(measured: 20_000) - 0.7) < 1e-12)
    }

    @Test func theLoadGeneratorsOwnCostStandsInForTheClients() {
        var model = Self.design
        model.loadGenerator = 44
        // 25 + 13 + 18 + 44 = 100 µs: 2 × 1e6 / 100 = 20,000 refreshes/s, so 20,000 measured is 1.0.
        #expect(model.microsecondsPerRefresh == 100)
        #expect(model.predictedRefreshesPerSecond == 20_000)
        #expect(model.ratio(measured: 20_000) == 1)
    }

    @Test func scalesWithCores() {
        var model = Self.design
        model.cores = 1
        model.signature = 30
        // 30 + 13 + 18 + 14 = 75 µs: 1e6 / 75 = 13,333.33
        #expect(abs(model.predictedRefreshesPerSecond - 13_333.333_333) < 0.001)
    }
}
