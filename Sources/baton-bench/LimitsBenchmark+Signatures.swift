import ArgumentParser

extension LimitsBenchmark {
    /// ES256 signatures/s from `openssl speed` in one process. It divides by the CPU (user) time
    /// it used unless told `-elapsed`, so 1e6 / rate is the CPU-µs of one signature.
    static func measureSignatures(seconds: Int, runs: Int, commands: inout [String]) async throws -> LimitsReport.Signatures {
        let algorithm = CryptoBenchmark.OpenSSLSpeed.Algorithm.ecdsaP256
        commands.append(commandLine("openssl", CryptoBenchmark.OpenSSLSpeed.arguments([algorithm], seconds: seconds, processes: 1)))
        var rates: [Double] = []
        for run in 1...runs {
            let measured = try await CryptoBenchmark.OpenSSLSpeed.signaturesPerSecond([algorithm], seconds: seconds, processes: 1)
            guard let rate = measured[algorithm], rate > 0 else { throw ValidationError("openssl speed reported no ecdsap256 sign/s") }
            rates.append(rate)
            print(String(format: "  es256 run %d: %.0f signs/s", run, rate))
        }
        let rate = median(rates)
        return LimitsReport.Signatures(signsPerSecond: rate, cpuMicroseconds: 1e6 / rate)
    }
}
