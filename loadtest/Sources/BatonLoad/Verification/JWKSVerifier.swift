import BatonCrypto
import NIOCore

/// Verifies access tokens against the JWKS as a resource server would, on one event loop: keys
/// are cached by kid; an unknown kid triggers a refetch (at most one every `refetchInterval`),
/// and its tokens wait. A token fails verification when its signature does not verify, or when a
/// JWKS fetched `patience` or more after the token arrived still lacks its kid (workers behind a
/// load balancer may publish a new key a moment apart).
final class JWKSVerifier {
    /// The shortest time between two JWKS fetches.
    static let refetchInterval: UInt64 = 250_000_000
    /// How long a kid may stay unknown.
    static let patience: UInt64 = 2_000_000_000

    private struct Pending {
        var token: JWS
        var keyID: String
        var arrived: UInt64
    }

    private let loop: any EventLoop
    private let stats: LoopStats
    private let fetchJWKS: () -> EventLoopFuture<ParsedResponse>
    private var keys: [String: VerificationKey] = [:]
    private var pending: [Pending] = []
    private var fetching = false
    private var lastFetch: UInt64 = 0
    private var scheduledFetch: Scheduled<Void>?
    /// Why the last JWKS fetch failed, for the summary.
    private(set) var lastProblem: String?

    init(loop: any EventLoop, stats: LoopStats, fetchJWKS: @escaping () -> EventLoopFuture<ParsedResponse>) {
        self.loop = loop
        self.stats = stats
        self.fetchJWKS = fetchJWKS
    }

    /// The loop's clock (monotonic nanoseconds), the one `check`'s `now` comes from.
    private var now: UInt64 { loop.now.uptimeNanoseconds }

    /// Fetches the JWKS once (at the start of a run).
    func prime() -> EventLoopFuture<Void> {
        let done = loop.makePromise(of: Void.self)
        fetch(now: self.now, whenDone: done)
        return done.futureResult
    }

    /// Verifies the access token in a token response's body.
    func check(responseBody: ByteBuffer) {
        guard let raw = ResponseClassifier.accessToken.value(in: responseBody), let token = try? JWS(compact: raw),
              let keyID = token.keyID
        else {
            stats.count { $0.failedVerifications += 1 }
            lastProblem = "a token response without a well-formed access token"
            return
        }
        if let key = keys[keyID] {
            verify(token, with: key)
        } else {
            pending.append(Pending(token: token, keyID: keyID, arrived: now))
            fetchSoon(now: now)
        }
    }

    /// Settles every waiting token: refetches until each kid appears or its patience runs out.
    func finish() -> EventLoopFuture<Void> {
        let done = loop.makePromise(of: Void.self)
        settle(done)
        return done.futureResult
    }

    private func settle(_ done: EventLoopPromise<Void>) {
        guard !pending.isEmpty else { return done.succeed(()) }
        loop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(Self.refetchInterval / 1_000_000))) {
            let settled = self.loop.makePromise(of: Void.self)
            self.fetch(now: self.now, whenDone: settled)
            settled.futureResult.assumeIsolated().whenComplete { _ in self.settle(done) }
        }
    }

    private func verify(_ token: JWS, with key: VerificationKey) {
        if (try? token.verify(with: key)) != nil {
            stats.activity.tokensVerified += 1
        } else {
            stats.count { $0.failedVerifications += 1 }
            lastProblem = "an access token signed by \(key.keyID) does not verify"
        }
    }

    private func fetchSoon(now: UInt64) {
        guard !fetching, scheduledFetch == nil else { return }
        let earliest = lastFetch + Self.refetchInterval
        guard now < earliest else { return fetch(now: now, whenDone: nil) }
        scheduledFetch = loop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(earliest - now))) {
            self.scheduledFetch = nil
            self.fetch(now: self.now, whenDone: nil)
        }
    }

    private func fetch(now: UInt64, whenDone done: EventLoopPromise<Void>?) {
        guard !fetching else {
            done?.succeed(())
            return
        }
        fetching = true
        lastFetch = now
        stats.activity.jwksFetches += 1
        fetchJWKS().assumeIsolated().whenComplete { result in
            self.fetching = false
            switch result {
            case .success(let response) where response.status == 200:
                do {
                    let set = try JWKSet(json: Array(response.body.readableBytesView), excluding: Set(self.keys.keys))
                    self.keys.merge(set.keys) { old, _ in old }
                    if let skipped = set.skipped.first { self.lastProblem = "a JWKS key could not be imported: \(skipped)" }
                } catch {
                    self.lastProblem = "\(error)"
                }
            case .success(let response):
                self.lastProblem = "the JWKS answered \(response.status)"
            case .failure(let error):
                self.lastProblem = "the JWKS fetch failed: \(error)"
            }
            self.recheck(fetchedAt: now)
            done?.succeed(())
        }
    }

    /// Verifies waiting tokens whose kid is known now; fails those out of patience.
    private func recheck(fetchedAt fetchTime: UInt64) {
        var waiting: [Pending] = []
        for entry in pending {
            if let key = keys[entry.keyID] {
                verify(entry.token, with: key)
            } else if fetchTime >= entry.arrived + Self.patience {
                stats.count { $0.failedVerifications += 1 }
                lastProblem = "kid \(entry.keyID) never appeared in the JWKS"
            } else {
                waiting.append(entry)
            }
        }
        pending = waiting
        if !pending.isEmpty { fetchSoon(now: self.now) }
    }
}
