@testable import BatonLoad
import BatonCrypto
import Foundation
import Testing

@Suite struct SignedAccessTokenTests {
    private func token(signedBy key: SigningKey, payload: String = #"{"sub":"alice"}"#) throws -> [UInt8] {
        try JWS.sign(header: JWS.protectedHeader(for: key, type: "at+jwt"), payload: Array(payload.utf8), with: key)
    }

    private func jwks(_ keys: [SigningKey]) -> [UInt8] {
        Array("{\"keys\":[".utf8) + Array(keys.map { $0.jwk.json }.joined(separator: Array(",".utf8))) + Array("]}".utf8)
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func verifiesAgainstTheJWKSPerAlgorithm(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let other = try SigningKey.generate(algorithm)
        let set = try JWKSet(json: jwks([key, other]))
        let parsed = try #require(SignedAccessToken(try token(signedBy: key)))
        #expect(parsed.keyID == key.keyID && parsed.algorithm == algorithm.rawValue)
        #expect(parsed.isValid(with: try #require(set.keys[key.keyID])))
        #expect(!parsed.isValid(with: try #require(set.keys[other.keyID])))
    }

    @Test func tamperedAndMalformedTokensFail() throws {
        let key = try SigningKey.generate(.es256)
        var bytes = try token(signedBy: key)
        let payloadStart = bytes.firstIndex(of: UInt8(ascii: "."))! + 1
        bytes[payloadStart] = bytes[payloadStart] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let tampered = try #require(SignedAccessToken(bytes))
        #expect(!tampered.isValid(with: key.verificationKey))
        #expect(SignedAccessToken(Array("not.a.jwt.at.all".utf8)) == nil)
        #expect(SignedAccessToken(Array("onlyone".utf8)) == nil)
        let noKid = Base64URL.encodeToString(Array(#"{"alg":"ES256"}"#.utf8)) + ".e30.AAAA"
        #expect(SignedAccessToken(Array(noKid.utf8)) == nil)
    }

    @Test func jwksImportSkipsKnownKidsAndRefusesNonsense() throws {
        let key = try SigningKey.generate(.edDSA)
        #expect(try JWKSet(json: jwks([key]), excluding: [key.keyID]).keys.isEmpty)
        #expect(throws: LoadError.self) { try JWKSet(json: Array("[]".utf8)) }
        let odd = try JWKSet(json: Array(#"{"keys":[{"kty":"oct","kid":"x","k":"AAAA"}]}"#.utf8))
        #expect(odd.keys.isEmpty && odd.skipped.count == 1)
    }
}
