@testable import baton_bench
import Testing

/// `make bench`'s medians: the middle value, or the mean of the middle two, so two interleaved
/// pairs report neither the faster nor the slower one alone.
@Suite struct MedianTests {
    @Test func theMiddleValueOrTheMeanOfTheMiddleTwo() {
        #expect(median([3, 1, 2]) == 2)
        #expect(median([0.34, 0.37]) == 0.355)
        #expect(median([4, 1, 3, 2]) == 2.5)
        #expect(median([7]) == 7)
        #expect(median([]) == 0)
    }
}
