import BatonCore
import BatonLocalServers
import Foundation
import Testing

/// The WebDriver harness on a real headless Chromium, and what that Chromium does with a
/// `__Host-` cookie (`Secure; HttpOnly; SameSite=Strict`, no `Domain`) set over TLS on 127.0.0.1:
/// the facts the browser cookie mode's tests rely on. Next to it the app sets a `SameSite=None`
/// control, which shows that a request refused the strict cookie did carry cookies.
@Suite(.serialized, .timeLimit(.minutes(2))) struct WebDriverSessionTests {
    /// `fetch(url, {method, credentials: 'include'})` from the current page, answered with the body's text.
    private static let fetchWithCredentials = """
        const response = await fetch(arguments[0], { method: arguments[1], credentials: 'include' });
        return await response.text();
        """
    /// The `Cookie` header of a request that carries both of the app's cookies.
    private static let bothCookies = "__Host-t=1; __Host-none=1"

    @Test func loadsAPageAndReturnsWhatAnAsyncScriptComputes() async throws {
        try await CookieSites.with { sites, browser in
            try await browser.navigate(to: sites.appOrigin + "/index.html")
            #expect(try await browser.title() == "page")
            #expect(try await browser.currentURL() == sites.appOrigin + "/index.html")
            #expect(try await browser.pageSource().contains("<p>a page</p>"))

            let fetched = try await browser.evaluate("""
                const response = await fetch('/echo');
                return { status: response.status, body: await response.text() };
                """)
            #expect(fetched[member: "status"]?.intValue == 200)
            #expect(fetched[member: "body"] == .string("cookie=[]"))
            #expect(try await browser.execute("return arguments[0] + 1", arguments: [.number("41")]).intValue == 42)
            await #expect(throws: LocalServerError.self) { try await browser.evaluate("throw new Error('refused')") }
        }
    }

    @Test func keepsTheHostCookieFromScriptsAndSendsItToItsOrigin() async throws {
        try await CookieSites.with { sites, browser in
            try await browser.navigate(to: sites.appOrigin + "/index.html")
            _ = try await browser.evaluate(Self.fetchWithCredentials, arguments: [.string("/set-cookie"), .string("POST")])

            let cookie = try #require(try await browser.cookies().first { $0.name == "__Host-t" })
            #expect(cookie.value == "1" && cookie.path == "/" && cookie.domain == "127.0.0.1")
            #expect(cookie.secure && cookie.httpOnly && cookie.sameSite == "Strict" && cookie.expiry == nil)
            #expect(try await browser.cookies().first { $0.name == "__Host-none" }?.sameSite == "None")
            #expect(try await browser.execute("return document.cookie") == .string(""))
            let echoed = try await browser.evaluate(Self.fetchWithCredentials, arguments: [.string("/echo"), .string("POST")])
            #expect(echoed == .string("cookie=[\(Self.bothCookies)]"))
        }
    }

    @Test func sendsTheStrictCookieToAnotherPortOfTheSameHost() async throws {
        // Cookies ignore ports, and a same-site request carries SameSite=Strict cookies: only the
        // Origin check (and CORS) tells the app this caller apart.
        try await CookieSites.with { sites, browser in
            try await setCookie(sites, browser)
            try await browser.navigate(to: sites.sameSiteOrigin + "/index.html")
            let echoed = try await browser.evaluate(Self.fetchWithCredentials, arguments: [.string(sites.appOrigin + "/echo"), .string("POST")])
            #expect(echoed == .string("cookie=[\(Self.bothCookies)]"))
            #expect(try sites.requests().last == .init(port: port(sites.appOrigin), method: "POST", path: "/echo",
                                                       cookie: Self.bothCookies, origin: sites.sameSiteOrigin, fetchSite: "same-site"))
        }
    }

    @Test func crossSiteFetchDoesNotSendTheStrictCookie() async throws {
        try await CookieSites.with { sites, browser in
            try await setCookie(sites, browser)
            try await browser.navigate(to: sites.crossSiteOrigin + "/index.html")
            let echoed = try await browser.evaluate(Self.fetchWithCredentials, arguments: [.string(sites.appOrigin + "/echo"), .string("POST")])
            #expect(echoed == .string("cookie=[__Host-none=1]"))
            #expect(try sites.requests().last == .init(port: port(sites.appOrigin), method: "POST", path: "/echo",
                                                       cookie: "__Host-none=1", origin: sites.crossSiteOrigin, fetchSite: "cross-site"))
            try await expectCookieStillSent(sites, browser)
        }
    }

    @Test func crossSiteFormPostArrivesWithoutTheStrictCookie() async throws {
        try await CookieSites.with { sites, browser in
            try await setCookie(sites, browser)
            let target = sites.appOrigin + "/echo"
            try await browser.navigate(to: sites.crossSiteOrigin + "/post-form.html?" + target)
            let posted = CookieSites.LoggedRequest(port: try port(sites.appOrigin), method: "POST", path: "/echo",
                                                   cookie: "__Host-none=1", origin: sites.crossSiteOrigin, fetchSite: "cross-site")
            try await poll("the form's POST to reach nginx", timeout: .seconds(10)) { try sites.requests().last == posted }
            try await poll("the browser to show the answer", timeout: .seconds(10)) { try await browser.currentURL() == target }
            #expect(try await browser.pageSource().contains("cookie=[__Host-none=1]"))
            try await expectCookieStillSent(sites, browser)
        }
    }

    @Test func aCrashedBrowserFailsTheNextCommandAndLeavesNoProcess() async throws {
        try await expectFailureAndNoProcessLeft(after: SIGKILL, within: .seconds(30))
    }

    @Test func aHungBrowserFailsTheNextCommandWithinItsTimeoutAndLeavesNoProcess() async throws {
        try await expectFailureAndNoProcessLeft(after: SIGSTOP, commandTimeout: .seconds(5), within: .seconds(10))
    }

    /// Sends `signal` to the browser, expects the next command to fail within `limit`, and no
    /// process naming the session's temporary directory (the profile's parent) once it is stopped.
    private func expectFailureAndNoProcessLeft(after signal: Int32, commandTimeout: Duration = .seconds(25),
                                               within limit: Duration) async throws {
        let browser = try await WebDriverSession.start(commandTimeout: commandTimeout)
        let directory: String
        do {
            directory = try sessionDirectory(of: browser.browserPID)
        } catch {
            await browser.stop()
            throw error
        }
        kill(browser.browserPID, signal)
        let started = ContinuousClock.now
        await #expect(throws: LocalServerError.self) { try await browser.navigate(to: "about:blank") }
        #expect(ContinuousClock.now - started < limit)
        await browser.stop()
        #expect(ProcessStat.processes(withCommandLineContaining: directory).isEmpty)
    }

    /// Loads the app's page and has it fetch `/set-cookie`.
    private func setCookie(_ sites: CookieSites, _ browser: WebDriverSession) async throws {
        try await browser.navigate(to: sites.appOrigin + "/index.html")
        _ = try await browser.evaluate(Self.fetchWithCredentials, arguments: [.string("/set-cookie"), .string("POST")])
    }

    /// The cookie was refused to the other site, not lost: the app's own page still sends it.
    private func expectCookieStillSent(_ sites: CookieSites, _ browser: WebDriverSession) async throws {
        try await browser.navigate(to: sites.appOrigin + "/index.html")
        let echoed = try await browser.evaluate(Self.fetchWithCredentials, arguments: [.string("/echo"), .string("POST")])
        #expect(echoed == .string("cookie=[\(Self.bothCookies)]"))
    }

    private func port(_ origin: String) throws -> Int {
        try #require(URLComponents(string: origin)?.port)
    }

    /// The directory holding the `--user-data-dir` on the browser's command line.
    private func sessionDirectory(of pid: pid_t) throws -> String {
        let commandLine = try #require(FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"))
        let argument = try #require(String(decoding: commandLine, as: UTF8.self).split(separator: "\0").first { $0.hasPrefix("--user-data-dir=") })
        return URL(fileURLWithPath: String(argument.dropFirst("--user-data-dir=".count))).deletingLastPathComponent().path
    }
}
