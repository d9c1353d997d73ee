import BatonCore
import BatonCrypto

extension RefreshTokenCodec {
    /// The handoff code of a cookie-mode session (`HandoffCode`): a pure function of the family, under
    /// its own key, so Redis keeps only the deadline.
    public func handoffCode(for session: SessionID) throws -> String {
        var text = HandoffCode.unsignedText(masterKeyID: keys.masterKeyID, session: session)
        Base64URL.encode(try keys.handoffMAC.authenticationCode(for: HandoffCode.signingInput(for: session)), into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses a presented handoff code and checks its MAC in constant time; a forgery is
    /// `invalid_grant` and never reaches Redis, so guessing revokes nothing.
    public func verifyHandoffCode(_ text: [UInt8]) throws -> HandoffCode {
        let code = try HandoffCode.parse(text)
        guard code.masterKeyID == keys.masterKeyID else {
            throw BatonError(.invalidGrant, hint: HandoffCode.invalidHint, debug: "handoff code from another master secret")
        }
        let expected = Base64URL.encode(try keys.handoffMAC.authenticationCode(for: HandoffCode.signingInput(for: code.session)))
        guard ConstantTime.equals(expected, code.mac) else {
            throw BatonError(.invalidGrant, hint: HandoffCode.invalidHint, debug: "handoff code MAC mismatch")
        }
        return code
    }
}
