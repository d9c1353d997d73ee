import BatonLocalServers
import BatonTesting
import Foundation
import Testing
@testable import BatonCrypto

/// Checks BatonCrypto against an independent JOSE implementation: Python's `joserfc`
/// (installed by `scripts/install-deps.sh`). These tests fail, never skip, when it is missing.
@Suite struct JoserfcInteropTests {
    @Test func joserfcVerifiesOurTokens() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-joserfc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for algorithm in SigningAlgorithm.allCases {
            let key = try SigningKey.generate(algorithm)
            let payload = utf8(#"{"sub":"alice","alg_under_test":"\#(algorithm.rawValue)"}"#)
            let token = try JWS.sign(header: JWS.protectedHeader(for: key, type: "at+jwt"), payload: payload, with: key)
            try Data(key.jwk.json).write(to: directory.appendingPathComponent("\(algorithm.rawValue).jwk"))
            try Data(token).write(to: directory.appendingPathComponent("\(algorithm.rawValue).jws"))
            try Data(payload).write(to: directory.appendingPathComponent("\(algorithm.rawValue).payload"))
        }
        let output = try await PythonScript.run(
            """
            import sys, warnings
            warnings.simplefilter("ignore")
            from joserfc import jws
            from joserfc.jwk import JWKRegistry
            import json
            directory = sys.argv[1]
            for alg in ["ES256", "EdDSA", "RS256"]:
                read = lambda ext: open(f"{directory}/{alg}.{ext}", "rb").read()
                key = JWKRegistry.import_key(json.loads(read("jwk")))
                token = jws.deserialize_compact(read("jws").decode(), key, algorithms=[alg])
                assert token.payload == read("payload"), alg
                assert token.protected["kid"] == key.thumbprint(), alg
                print("verified", alg)
            """, arguments: [directory.path])
        #expect(output == "verified ES256\nverified EdDSA\nverified RS256\n")
    }

    @Test func weVerifyJoserfcTokens() async throws {
        let output = try await PythonScript.run(
            """
            import json, warnings
            warnings.simplefilter("ignore")
            from joserfc import jws
            from joserfc.jwk import ECKey, OKPKey, RSAKey
            keys = {"ES256": ECKey.generate_key("P-256"), "EdDSA": OKPKey.generate_key("Ed25519"), "RS256": RSAKey.generate_key(2048)}
            for alg, key in keys.items():
                payload = json.dumps({"sub": "bob", "alg": alg})
                token = jws.serialize_compact({"alg": alg}, payload, key, algorithms=[alg])
                print(json.dumps({"alg": alg, "jwk": key.as_dict(private=False), "jws": token, "payload": payload}))
            """)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let jwkJSON = try JSONSerialization.data(withJSONObject: try #require(object["jwk"]))
            let key = try VerificationKey(jwk: JWK(json: Array(jwkJSON)))
            let jws = try JWS(compact: try #require(object["jws"] as? String))
            #expect(jws.algorithm.rawValue == object["alg"] as? String)
            #expect(key.algorithm == jws.algorithm)
            try jws.verify(with: key)
            #expect(jws.payload == utf8(try #require(object["payload"] as? String)))
        }
    }
}
