import BatonCore
import BatonLocalServers
import Foundation
import Testing

/// Cookie mode in a real browser: headless Chromium runs the README's example page
/// (`examples/browser/`) against Baton behind nginx over HTTPS (`CookieModeSite`), the test playing
/// the login backend. The page never sees the refresh token; two tabs refreshing at once both
/// succeed; pages of other origins and cross-site forms cannot refresh; logout ends the session;
/// a stolen old cookie replayed after the grace window revokes it.
@Suite(.serialized) struct BrowserCookieModeTests {
    /// The page's session after it exchanged `code`, waiting for the page's own start from the fragment.
    private func startedPage(_ site: CookieModeSite, _ browser: WebDriverSession, baton: String? = nil) async throws {
        let code = try await site.handoffCode()
        try await browser.navigate(to: site.appPage(code: code, baton: baton))
        var status = ""
        for _ in 0..<100 {
            status = try await browser.evaluate("return document.getElementById('status').textContent").stringValue ?? ""
            if status != "no session" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status.hasPrefix("session started"), "\(status)")
        #expect(!(try await browser.currentURL()).contains("handoff_code"), "the spent code stays in the address bar")
    }

    /// The refresh-token cookie as the browser holds it (WebDriver sees HttpOnly cookies), or nil.
    private func refreshCookie(_ browser: WebDriverSession) async throws -> WebDriverCookie? {
        try await browser.cookies().first { $0.name == "__Host-baton_rt" }
    }

    /// The generation a refresh token stands for (`btr1.<mkid>.<shard>.<fid>.<gen>.<mac>`).
    private func generation(_ token: String) throws -> UInt64 {
        try RefreshToken.parse(Array(token.utf8)).generation
    }

    @Test func thePageRefreshesButNeverSeesTheRefreshToken() async throws {
        try await CookieModeSite.with { site, browser in
            try await startedPage(site, browser)
            let cookie = try #require(try await refreshCookie(browser))
            #expect(cookie.httpOnly && cookie.secure && cookie.sameSite == "Strict" && cookie.path == "/" && cookie.domain == "127.0.0.1")
            let expiry = try #require(cookie.expiry)
            let fourteenDays = Int(Date().timeIntervalSince1970) + 14 * 86_400  // the idle timeout, inside the 90-day lifetime
            #expect(abs(expiry - fourteenDays) < 120, "\(expiry)")
            #expect(try generation(cookie.value) == 0)

            let seen = try await browser.evaluate("""
                const before = session.accessToken;
                const body = await session.refresh();
                return { members: Object.keys(body).sort().join(","), changed: session.accessToken !== before,
                         cookie: document.cookie, type: body.token_type };
                """)
            #expect(seen[member: "members"]?.stringValue == "access_token,expires_in,scope,token_type")
            #expect(seen[member: "changed"] == .bool(true))
            #expect(seen[member: "cookie"]?.stringValue == "", "document.cookie shows the refresh token")
            let rotated = try #require(try await refreshCookie(browser))
            #expect(rotated.value != cookie.value)
            #expect(try generation(rotated.value) == 1)

            // Logout clears the cookie, and the old one no longer refreshes.
            #expect(try await browser.evaluate("await session.logout(); return document.cookie").stringValue == "")
            #expect(try await refreshCookie(browser) == nil)
            let replayed = try await site.replay(rotated.value)
            #expect(replayed.status == 400 && replayed.error == "invalid_grant", "\(replayed.text)")
        }
    }

    /// Two tabs of the app refresh at the same moment with the one cookie they share: both succeed
    /// and the session lives on (grace, DESIGN.md §3 invariant 3).
    @Test func twoTabsRefreshingAtOnceBothSucceed() async throws {
        try await CookieModeSite.with { site, browser in
            try await startedPage(site, browser)
            let first = try await browser.currentTab()
            let second = try await browser.newTab()
            try await browser.switchToTab(second)
            try await browser.navigate(to: site.appPage())
            // The second tab refreshes when the first one says so, while the first refreshes too.
            _ = try await browser.evaluate("""
                window.outcome = "waiting";
                new BroadcastChannel("refresh-now").onmessage = () => {
                    session.refresh().then(() => { window.outcome = "ok"; }, (error) => { window.outcome = error.error || String(error); });
                };
                return null;
                """)
            try await browser.switchToTab(first)
            let mine = try await browser.evaluate("""
                new BroadcastChannel("refresh-now").postMessage("go");
                try { await session.refresh(); return "ok"; } catch (error) { return error.error || String(error); }
                """)
            #expect(mine.stringValue == "ok")
            try await browser.switchToTab(second)
            var theirs = ""
            for _ in 0..<50 {
                theirs = try await browser.evaluate("return window.outcome").stringValue ?? ""
                if theirs != "waiting" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(theirs == "ok")
            // The session lives: a later refresh from either tab works.
            #expect(try await browser.evaluate("await session.refresh(); return 'ok'").stringValue == "ok")

            // Two refreshes in flight together carry the same cookie: the same successor, not a logout.
            let before = try generation(try #require(try await refreshCookie(browser)).value)
            let together = try await browser.evaluate("""
                const tabs = [new BatonBrowser.Session({ clientId: "spa" }), new BatonBrowser.Session({ clientId: "spa" })];
                const bodies = await Promise.all(tabs.map((tab) => tab.refresh()));
                return bodies.map((body) => body.token_type).join(",");
                """)
            #expect(together.stringValue == "Bearer,Bearer")
            #expect(try generation(try #require(try await refreshCookie(browser)).value) == before + 1)
            #expect(try await browser.evaluate("await session.refresh(); return 'ok'").stringValue == "ok")
        }
    }

    /// Pages of another origin (same site: they even get the cookie) and of another site cannot
    /// refresh: the preflight of a `fetch` with the CSRF header is refused, a `fetch` without it is
    /// refused for its `Origin` (and, cross-site, carries no cookie), and so are cross-site and
    /// same-site form posts. The app's cookie is untouched and still refreshes.
    @Test func otherOriginsAndCrossSiteFormsCannotRefresh() async throws {
        try await CookieModeSite.with { site, browser in
            try await startedPage(site, browser)
            let cookie = try #require(try await refreshCookie(browser)).value
            let target = site.appOrigin + "/browser/refresh?client_id=spa"
            for attacker in [site.sameSiteAttacker, site.crossSiteAttacker] {
                try await browser.navigate(to: attacker + "/index.html")
                let outcome = try await browser.evaluate("""
                    const url = arguments[0];
                    let withHeader;
                    try {
                        const response = await fetch(url, { method: "POST", credentials: "include", headers: { "X-Baton-CSRF": "1" } });
                        withHeader = "answered " + response.status;
                    } catch (error) { withHeader = "blocked"; }
                    const simple = await fetch(url, { method: "POST", credentials: "include", mode: "no-cors",
                        headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "scope=read" });
                    return { withHeader, simple: simple.type };
                    """, arguments: [.string(target)])
                #expect(outcome[member: "withHeader"]?.stringValue == "blocked", "\(attacker)")
                #expect(outcome[member: "simple"]?.stringValue == "opaque", "\(attacker): the page cannot read the answer")
                try await browser.navigate(to: attacker + "/post-form.html?" + target.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
                var source = ""
                for _ in 0..<50 {
                    source = try await browser.pageSource()
                    if source.contains("error") { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(source.contains("access_denied"), "\(attacker): \(source.prefix(300))")
                #expect(!source.contains("access_token"))
            }
            // Baton refused every one of them before looking at the cookie: 2 preflights, 4 POSTs.
            let log = try String(contentsOfFile: site.nginx.directory + "/access.log", encoding: .utf8)
            let refusedPosts = log.split(separator: "\n").filter { $0.contains("\"POST /browser/refresh") && $0.contains("\" 403 ") }
            let refusedPreflights = log.split(separator: "\n").filter { $0.contains("\"OPTIONS /browser/refresh") && $0.contains("\" 403 ") }
            #expect(refusedPosts.count == 4, "\(log)")
            #expect(refusedPreflights.count == 2, "\(log)")

            try await browser.navigate(to: site.appPage())
            #expect(try await refreshCookie(browser)?.value == cookie, "an attacker's request rotated or cleared the cookie")
            #expect(try await browser.evaluate("await session.refresh(); return 'ok'").stringValue == "ok")
        }
    }

    /// A copy of an old cookie replayed after the grace window is theft: the family is revoked, and
    /// the page's next refresh fails and clears its cookie.
    @Test func aReplayedOldCookieAfterTheGraceWindowRevokesTheSession() async throws {
        try await CookieModeSite.with { site, browser in
            try await startedPage(site, browser)
            let stolen = try #require(try await refreshCookie(browser)).value
            #expect(try await browser.evaluate("await session.refresh(); return 'ok'").stringValue == "ok")
            try await Task.sleep(for: .seconds(CookieModeSite.grace + 1))
            let replay = try await site.replay(stolen)
            #expect(replay.status == 400 && replay.error == "invalid_grant", "\(replay.text)")
            let page = try await browser.evaluate("try { await session.refresh(); return 'ok'; } catch (error) { return error.error; }")
            #expect(page.stringValue == "invalid_grant")
            #expect(try await refreshCookie(browser) == nil, "the dead session's cookie was not cleared")
        }
    }

    /// Baton on its own origin of the same site (CORS with credentials), and a session bound to a
    /// non-extractable WebCrypto DPoP key (Baton behind the app's origin).
    @Test func ownOriginAndWebCryptoDPoP() async throws {
        try await CookieModeSite.with { site, browser in
            try await startedPage(site, browser, baton: site.authOrigin)
            let crossOrigin = try await browser.evaluate("const body = await session.refresh(); return body.token_type")
            #expect(crossOrigin.stringValue == "Bearer")
            #expect(try await browser.evaluate("await session.logout(); return 'ok'").stringValue == "ok")

            try await browser.navigate(to: site.appPage())
            let jkt = try #require(try await browser.evaluate("""
                window.key = await BatonBrowser.DPoPKey.generate();
                return await key.thumbprint();
                """).stringValue)
            let code = try await site.handoffCode(subject: "bob", jkt: jkt)
            let bound = try await browser.evaluate("""
                const unbound = new BatonBrowser.Session({ clientId: "spa" });
                let withoutKey;
                try { await unbound.start(arguments[0]); withoutKey = "exchanged"; } catch (error) { withoutKey = error.error; }
                window.boundSession = new BatonBrowser.Session({ clientId: "spa", dpopKey: key });
                const started = await boundSession.start(arguments[0]);
                const refreshed = await boundSession.refresh();
                let stolenCookie;
                try { await unbound.refresh(); stolenCookie = "refreshed"; } catch (error) { stolenCookie = error.error; }
                return { withoutKey, started: started.token_type, refreshed: refreshed.token_type, stolenCookie,
                         extractable: key.pair.privateKey.extractable };
                """, arguments: [.string(code)])
            #expect(bound[member: "withoutKey"]?.stringValue == "invalid_dpop_proof", "the code was spent without the key")
            #expect(bound[member: "started"]?.stringValue == "DPoP")
            #expect(bound[member: "refreshed"]?.stringValue == "DPoP")
            #expect(bound[member: "stolenCookie"]?.stringValue == "invalid_dpop_proof")
            #expect(bound[member: "extractable"] == .bool(false))
            #expect(try await browser.evaluate("await boundSession.refresh(); return 'ok'").stringValue == "ok")
        }
    }
}
