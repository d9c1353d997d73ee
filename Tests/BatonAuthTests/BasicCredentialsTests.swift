@testable import BatonAuth
import BatonCore
import Foundation
import Testing

/// `client_secret_basic` read at the byte level (RFC 7617, RFC 6749 §2.3.1).
@Suite struct BasicCredentialsTests {
    private func basic(_ pair: String) -> String {
        "Basic " + Data(pair.utf8).base64EncodedString()
    }

    @Test func credentialsAreDecoded() throws {
        let plain = try #require(try ClientAuthenticator.basicCredentials(basic("login:s3cret")))
        #expect(plain.id == "login" && plain.secret == "s3cret")
        // Both halves are form-urlencoded; the secret may contain ':' and is split at the first one.
        let encoded = try #require(try ClientAuthenticator.basicCredentials(basic("my%20app:a%3Ab:c+d")))
        #expect(encoded.id == "my app" && encoded.secret == "a:b:c d")
        // Scheme case, surrounding blanks, missing padding.
        let loose = try #require(try ClientAuthenticator.basicCredentials("bAsIc   bG9naW46eA \t"))
        #expect(loose.id == "login" && loose.secret == "x")
        let empty = try #require(try ClientAuthenticator.basicCredentials(basic("app:")))
        #expect(empty.id == "app" && empty.secret == "")
    }

    @Test func otherSchemesAreNotBasic() throws {
        #expect(try ClientAuthenticator.basicCredentials("Bearer abc") == nil)
        #expect(try ClientAuthenticator.basicCredentials("Basic") == nil)
        #expect(try ClientAuthenticator.basicCredentials("") == nil)
    }

    @Test func malformedCredentialsAreInvalidClient() {
        let malformed = [
            "Basic ",                                           // nothing
            "Basic " + Data("no-colon".utf8).base64EncodedString(),
            "Basic bG9naW46eA=",                                // wrong padding
            "Basic bG9naW46eA===",
            "Basic bG9n=aW46eA",                                // padding inside
            "Basic bG9naW4-eA",                                 // URL alphabet is not Basic's
            "Basic !!!!",
            "Basic " + Data([0xC3, 0x3A, 0x78]).base64EncodedString(),  // not UTF-8
        ]
        for header in malformed {
            #expect(throws: BatonError.self, "\(header)") {
                do {
                    _ = try ClientAuthenticator.basicCredentials(header)
                } catch let error as BatonError {
                    #expect(error.code == .invalidClient, "\(header): \(error.code)")
                    throw error
                }
            }
        }
    }
}
