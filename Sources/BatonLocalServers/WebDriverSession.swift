import BatonCore
import Foundation

/// Headless Chromium driven over W3C WebDriver: Debian's `chromedriver` on a free loopback port,
/// spoken to in plain HTTP/JSON (no Selenium), one browser with a fresh profile per session.
///
/// ```swift
/// try await WebDriverSession.with { browser in
///     try await browser.navigate(to: "https://127.0.0.1:\(port)/")
///     let status = try await browser.evaluate("return (await fetch('/healthz')).status")   // .number("200")
///     let cookies = try await browser.cookies()   // HttpOnly ones too
/// }
/// ```
///
/// Every command is bounded: a script by the session's script timeout (15 s), a page load by its
/// page-load timeout (15 s), each HTTP exchange with chromedriver by `commandTimeout`. A command
/// that fails throws `LocalServerError` with WebDriver's error code and message. The browser
/// ignores certificate errors, so self-signed TLS servers on loopback (`SelfSignedCertificate`)
/// load, and it counts as a secure context there.
public final class WebDriverSession: Sendable {
    /// How long a script may run (`executeAsync`, `evaluate`) and a page take to load.
    public static let scriptTimeout: Duration = .seconds(15)

    /// The browser's main process (`goog:processID`), for tests that make it crash or hang.
    public let browserPID: pid_t
    private let driver: ChromeDriverProcess
    private let sessionPath: String
    private let commandTimeout: Duration

    private init(browserPID: pid_t, driver: ChromeDriverProcess, sessionPath: String, commandTimeout: Duration) {
        self.browserPID = browserPID
        self.driver = driver
        self.sessionPath = sessionPath
        self.commandTimeout = commandTimeout
    }

    /// Starts chromedriver and a headless Chromium (`/usr/bin/chromium`, a temporary profile)
    /// through it, waiting at most `startTimeout` for both; each later command is given
    /// `commandTimeout` (a little more than the script timeout by default).
    public static func start(startTimeout: Duration = .seconds(60), commandTimeout: Duration = .seconds(25)) async throws -> WebDriverSession {
        let driver = try await ChromeDriverProcess.start(timeout: startTimeout)
        do {
            let created = try await command(driver: driver, "POST", "/session", body: capabilities(profile: driver.profileDirectory),
                                            timeout: startTimeout)
            guard let id = created[member: "sessionId"]?.stringValue,
                  let pid = created[member: "capabilities"]?[member: "goog:processID"]?.intValue
            else { throw LocalServerError("chromedriver answered a new session without its id or the browser's pid: \(created.jsonText)") }
            return WebDriverSession(browserPID: pid_t(pid), driver: driver, sessionPath: "/session/\(id)", commandTimeout: commandTimeout)
        } catch {
            await driver.stop()
            throw LocalServerError("\(error)\nchromedriver's log:\n\(driver.log.suffix(4000))")
        }
    }

    /// Runs `body` with a new session and stops the session afterwards, whether `body` throws or not.
    public static func with(_ body: (WebDriverSession) async throws -> Void) async throws {
        let session = try await start()
        do {
            try await body(session)
        } catch {
            await session.stop()
            throw error
        }
        await session.stop()
    }

    /// Loads `url` in the current tab and returns once the page has loaded.
    public func navigate(to url: String) async throws {
        _ = try await command("POST", "/url", body: .object([("url", .string(url))]))
    }

    /// Opens a new tab (W3C "New Window") and returns its handle; the current tab stays current.
    public func newTab() async throws -> String {
        let value = try await command("POST", "/window/new", body: .object([("type", .string("tab"))]))
        guard let handle = value[member: "handle"]?.stringValue else { throw LocalServerError("WebDriver opened no tab: \(value.jsonText)") }
        return handle
    }

    /// The current tab's handle.
    public func currentTab() async throws -> String {
        try await string("GET", "/window")
    }

    /// Makes the tab `handle` current: later commands run in it (W3C "Switch To Window").
    public func switchToTab(_ handle: String) async throws {
        _ = try await command("POST", "/window", body: .object([("handle", .string(handle))]))
    }

    /// The current tab's URL.
    public func currentURL() async throws -> String {
        try await string("GET", "/url")
    }

    /// The current page's title.
    public func title() async throws -> String {
        try await string("GET", "/title")
    }

    /// The current page's DOM, serialized as HTML.
    public func pageSource() async throws -> String {
        try await string("GET", "/source")
    }

    /// Runs `script` as the body of a synchronous function with `arguments` as `arguments` and
    /// returns what it returns (W3C "Execute Script").
    public func execute(_ script: String, arguments: [JSONValue] = []) async throws -> JSONValue {
        try await command("POST", "/execute/sync", body: .object([("script", .string(script)), ("args", .array(arguments))]))
    }

    /// Runs `script` as the body of a function given `arguments` plus a callback as its last
    /// argument, and returns the value the script passes to the callback (W3C "Execute Async
    /// Script"); throws if the callback is not called within the script timeout.
    public func executeAsync(_ script: String, arguments: [JSONValue] = []) async throws -> JSONValue {
        try await command("POST", "/execute/async", body: .object([("script", .string(script)), ("args", .array(arguments))]))
    }

    /// Runs `asyncFunctionBody` as the body of an `async function` given `arguments`, and returns
    /// the value its promise resolves to (`undefined` as null); throws `LocalServerError` with the
    /// JavaScript error if it rejects.
    ///
    /// ```swift
    /// let text = try await browser.evaluate("return await (await fetch(arguments[0])).text()", arguments: [.string(url)])
    /// ```
    public func evaluate(_ asyncFunctionBody: String, arguments: [JSONValue] = []) async throws -> JSONValue {
        let outcome = try await executeAsync("""
            const done = arguments[arguments.length - 1];
            (async function () {
            \(asyncFunctionBody)
            }).apply(null, Array.prototype.slice.call(arguments, 0, -1)).then(
                (value) => done({ value: value === undefined ? null : value }),
                (error) => done({ error: String(error && error.stack || error) }));
            """, arguments: arguments)
        if let error = outcome[member: "error"]?.stringValue { throw LocalServerError("the script threw: \(error)") }
        guard let value = outcome[member: "value"] else { throw LocalServerError("the script's outcome has no value: \(outcome.jsonText)") }
        return value
    }

    /// Every cookie the browser would send to the current page's URL, HttpOnly ones included
    /// (W3C "Get All Cookies").
    public func cookies() async throws -> [WebDriverCookie] {
        let value = try await command("GET", "/cookie")
        guard let cookies = value.arrayValue else { throw LocalServerError("WebDriver sent cookies that are not an array: \(value.jsonText)") }
        return try cookies.map(WebDriverCookie.init)
    }

    /// Ends the session (the browser exits), giving chromedriver the command timeout for it, at
    /// most 10 s; then kills whatever of chromedriver and the browser is left, by pid, and removes
    /// the temporary directory.
    public func stop() async {
        _ = try? await Self.command(driver: driver, "DELETE", sessionPath, timeout: min(commandTimeout, .seconds(10)))
        await driver.stop()
    }

    private func string(_ method: String, _ path: String) async throws -> String {
        let value = try await command(method, path)
        guard let text = value.stringValue else { throw LocalServerError("WebDriver \(method) \(path) sent no string: \(value.jsonText)") }
        return text
    }

    private func command(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        try await Self.command(driver: driver, method, sessionPath + path, body: body, timeout: commandTimeout)
    }

    /// Sends one WebDriver command and returns its `value`, or throws WebDriver's error.
    private static func command(
        driver: ChromeDriverProcess, _ method: String, _ path: String, body: JSONValue? = nil, timeout: Duration
    ) async throws -> JSONValue {
        var bytes: [UInt8] = []
        body?.appendJSON(to: &bytes)
        let response: LoopbackHTTPResponse
        do {
            response = try await LoopbackHTTPClient.send(
                method, port: driver.port, path: path, headers: body == nil ? [] : [("Content-Type", "application/json")],
                body: bytes, timeout: timeout)
        } catch {
            throw LocalServerError("WebDriver \(method) \(path): no answer from chromedriver within \(timeout) (\(error))")
        }
        guard let json = try? JSONValue.parse(response.body), let value = json[member: "value"] else {
            throw LocalServerError("WebDriver \(method) \(path): HTTP \(response.status) without a JSON value: \(response.text.prefix(500))")
        }
        guard response.status == 200 else {
            let code = value[member: "error"]?.stringValue ?? "HTTP \(response.status)"
            throw LocalServerError("WebDriver \(method) \(path): \(code): \(value[member: "message"]?.stringValue ?? value.jsonText)")
        }
        return value
    }

    /// Headless Chromium with `profile` as its user data directory, accepting self-signed
    /// certificates, with the script and page-load timeouts set. Third-party cookies are allowed
    /// (`profile.cookie_controls_mode` 0), as in a default Chrome profile outside incognito:
    /// headless Chromium blocks them by default, which would keep a cross-site request from
    /// carrying a `SameSite=None` cookie and hide whether `SameSite` is what keeps a cookie back.
    private static func capabilities(profile: String) -> JSONValue {
        let milliseconds = JSONValue.number(String(scriptTimeout.components.seconds * 1000))
        let arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--ignore-certificate-errors",
            "--user-data-dir=\(profile)",
        ]
        return .object([("capabilities", .object([("alwaysMatch", .object([
            ("browserName", .string("chrome")),
            ("acceptInsecureCerts", .bool(true)),
            ("timeouts", .object([("script", milliseconds), ("pageLoad", milliseconds)])),
            ("goog:chromeOptions", .object([
                ("binary", .string("/usr/bin/chromium")),
                ("args", .array(arguments.map(JSONValue.string))),
                ("prefs", .object([("profile.cookie_controls_mode", .number("0"))])),
            ])),
        ]))]))])
    }
}
