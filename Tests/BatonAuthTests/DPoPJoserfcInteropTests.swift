import BatonAuth
import BatonLocalServers
import BatonTesting
import Foundation
import Testing

/// DPoP proofs made by an independent JOSE implementation, Python's `joserfc` (installed by
/// `scripts/install-deps.sh`): we accept them and compute the same RFC 7638 thumbprint. These tests
/// fail, never skip, when it is missing.
@Suite struct DPoPJoserfcInteropTests {
    @Test func weAcceptJoserfcProofsWithTheSameThumbprint() async throws {
        let now = DPoPProofMaker.now
        let output = try await PythonScript.run(
            """
            import sys, json, uuid, warnings
            warnings.simplefilter("ignore")
            from joserfc import jws
            from joserfc.jwk import ECKey, OKPKey, RSAKey
            now, htu = int(sys.argv[1]), sys.argv[2]
            keys = {"ES256": ECKey.generate_key("P-256"), "EdDSA": OKPKey.generate_key("Ed25519"), "RS256": RSAKey.generate_key(2048)}
            for alg, key in keys.items():
                header = {"typ": "dpop+jwt", "alg": alg, "jwk": key.as_dict(private=False)}
                claims = {"jti": str(uuid.uuid4()), "htm": "POST", "htu": htu, "iat": now}
                proof = jws.serialize_compact(header, json.dumps(claims), key, algorithms=[alg])
                print(json.dumps({"alg": alg, "proof": proof, "jkt": key.thumbprint(), "jti": claims["jti"]}))
            """, arguments: [String(now / 1000), DPoPProofMaker.tokenEndpoint])
        let verifier = try DPoPProofVerifier(tokenEndpoint: DPoPProofMaker.tokenEndpoint)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 3)
        var algorithms: [String] = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            let proof = try verifier.verify(
                headerValues: [try #require(object["proof"])], method: "POST", now: now, nonceRequired: false)
            #expect(proof.thumbprint == object["jkt"], "\(object["alg"] ?? "")")
            #expect(proof.jwtID == object["jti"])
            #expect(proof.issuedAt == now / 1000)
            algorithms.append(try #require(object["alg"]))
        }
        #expect(algorithms == ["ES256", "EdDSA", "RS256"])
    }

    /// The README's `examples/dpop/dpop_proof.py` makes a key whose thumbprint is the proofs' own,
    /// and proofs Baton accepts, each with a new jti.
    @Test func theReadmesExampleScriptMakesProofsWeAccept() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-dpop-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = packageRoot + "/examples/dpop/dpop_proof.py"
        let keyFile = directory.appendingPathComponent("key.json").path
        let url = "http://127.0.0.1:8080/oauth/token"
        let (keyStatus, jkt) = try await runToCompletion("python3", [script, "key", keyFile])
        #expect(keyStatus == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int == 0o600)
        let verifier = try DPoPProofVerifier(tokenEndpoint: url)
        var jtis: Set<String> = []
        for _ in 0..<2 {
            let (status, proof) = try await runToCompletion("python3", [script, "proof", keyFile, url])
            #expect(status == 0)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let checked = try verifier.verify(headerValues: [proof.trimmingCharacters(in: .whitespacesAndNewlines)], method: "POST",
                                              now: now, nonceRequired: false)
            #expect(checked.thumbprint == jkt.trimmingCharacters(in: .whitespacesAndNewlines))
            jtis.insert(checked.jwtID)
        }
        #expect(jtis.count == 2)
    }
}
