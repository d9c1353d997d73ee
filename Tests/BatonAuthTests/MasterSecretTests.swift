import BatonAuth
import Foundation
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

    @Test func aSecretStartingWithASlashIsASecretAndFilesStillWork() throws {
        var secret = try MasterSecret.generate()
        while !secret.base64.hasPrefix("/") { secret = try MasterSecret.generate() }
        #expect(try MasterSecret.load(secret.base64).base64 == secret.base64)

        // A path that is itself valid base64 of ≥ 32 bytes (on /tmp): the file still wins.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "BatonSecret" + UUID().uuidString.filter(\.isLetter).prefix(8) + String(repeating: "A", count: 24)).path
        try Data((secret.base64 + "\n").utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try MasterSecret.load(path).base64 == secret.base64)

        // A wrong value is refused without being repeated in the error.
        let wrong = "/" + String(secret.base64.dropFirst().dropLast(8))
        do {
            _ = try MasterSecret.load(wrong)
            Issue.record("a truncated secret was accepted")
        } catch {
            #expect(!"\(error)".contains(wrong))
        }
    }
}
