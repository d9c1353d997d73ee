import BatonAuth
import BatonCore
import Testing

/// `POST /v1/sessions`' body, read strictly: the DPoP binding and the delivery are refused by
/// name when they are not what they must be.
@Suite struct SessionRequestTests {
    private func hint(_ json: String) -> String? {
        do {
            _ = try SessionRequest(json: Array(json.utf8))
            return nil
        } catch let error as BatonError {
            return error.code == .invalidRequest ? error.hint : "\(error.code)"
        } catch {
            return "\(error)"
        }
    }

    static let thumbprint = "Q5_DkxTN5jRpTBLrXI7Be5DML8HguOlp1toU2aip70E"

    @Test func aThumbprintAndADeliveryAreRead() throws {
        let request = try SessionRequest(json: Array(#"{"sub":"a","client_id":"web","dpop_jkt":"\#(Self.thumbprint)","delivery":"cookie"}"#.utf8))
        #expect(request.dpopThumbprint == Self.thumbprint)
        #expect(request.delivery == .cookie)
        #expect(try SessionRequest(json: Array(#"{"sub":"a","client_id":"web"}"#.utf8)).delivery == .json)
    }

    @Test(arguments: [
        String(thumbprint.dropLast()),  // 42 characters
        thumbprint + "A",  // 44
        "Q5+DkxTN5jRpTBLrXI7Be5DML8HguOlp1toU2aip70E",  // not base64url
        "Q5_DkxTN5jRpTBLrXI7Be5DML8HguOlp1toU2aip70F",  // a last character no SHA-256 ends in
        "",
    ])
    func aMalformedThumbprintIsRefusedByName(jkt: String) {
        #expect(hint(#"{"sub":"a","client_id":"web","dpop_jkt":"\#(jkt)"}"#)?.contains("'dpop_jkt' must be") == true)
    }

    @Test func wrongTypesAndDeliveriesAreRefusedByName() {
        #expect(hint(#"{"sub":"a","client_id":"web","dpop_jkt":42}"#)?.contains("dpop_jkt") == true)
        #expect(hint(#"{"sub":"a","client_id":"web","delivery":"mail"}"#) == "'delivery' must be 'json' or 'cookie'")
        #expect(hint(#"{"sub":"a","client_id":"web","delivery":true}"#)?.contains("delivery") == true)
    }
}
