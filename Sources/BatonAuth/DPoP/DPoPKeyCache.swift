import BatonCrypto
import Synchronization

/// The checked headers of recent DPoP proofs: the public key and its thumbprint, by the header's
/// base64url text. A client signs every proof with one key under the same header, and importing
/// that key into OpenSSL costs as much as checking the signature; both the key and the thumbprint
/// are a pure function of those bytes, so they are computed once. The signature and every claim
/// are still checked on each proof.
///
/// Bounded: two generations of at most `generationSize` headers each; when the current one is
/// full it becomes the previous one and the oldest is dropped, so memory stays bounded whatever
/// keys clients send, and a key in use stays (a hit in the previous generation moves it forward).
public final class DPoPKeyCache: Sendable {
    /// A header that passed `DPoPProofVerifier`'s checks: its key and RFC 7638 thumbprint.
    struct Entry: Sendable {
        let key: VerificationKey
        let thumbprint: String
    }

    private struct Generations {
        var current: [[UInt8]: Entry] = [:]
        var previous: [[UInt8]: Entry] = [:]
    }

    /// How many headers one generation holds.
    let generationSize: Int
    private let generations = Mutex(Generations())

    /// An empty cache of at most `2 × generationSize` headers.
    public init(generationSize: Int = 2048) {
        precondition(generationSize > 0)
        self.generationSize = generationSize
    }

    /// The checked header `segment` (base64url text), if it was seen recently.
    func entry(for segment: ArraySlice<UInt8>) -> Entry? {
        let key = Array(segment)
        return generations.withLock { generations in
            if let entry = generations.current[key] { return entry }
            guard let entry = generations.previous[key] else { return nil }
            Self.insert(entry, for: key, into: &generations, generationSize: generationSize)
            return entry
        }
    }

    /// Remembers a header that passed every check.
    func insert(_ entry: Entry, for segment: ArraySlice<UInt8>) {
        generations.withLock { Self.insert(entry, for: Array(segment), into: &$0, generationSize: generationSize) }
    }

    /// How many headers are remembered (both generations; a header may count twice).
    var count: Int { generations.withLock { $0.current.count + $0.previous.count } }

    private static func insert(_ entry: Entry, for key: [UInt8], into generations: inout Generations, generationSize: Int) {
        if generations.current.count >= generationSize {
            generations.previous = generations.current
            generations.current = [:]
        }
        generations.current[key] = entry
    }
}
