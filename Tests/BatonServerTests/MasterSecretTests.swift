import BatonServer
import Testing

@Suite struct MasterSecretTests {
    @Test func generatedSecretsAreSafeOnACommandLineAndRoundTrip() throws {
        for _ in 0..<1_000 {
            let secret = try MasterSecret.generate()
            #expect(!secret.base64.hasPrefix("-"))
            #expect(try MasterSecret(base64: secret.base64).base64 == secret.base64)
        }
    }

    @Test func shortOrMalformedSecretsAreRefused() {
        #expect(throws: ConfigurationError.self) { try MasterSecret(base64: "c2hvcnQ=") }
        #expect(throws: ConfigurationError.self) { try MasterSecret(base64: "not base64 at all!") }
    }
}
