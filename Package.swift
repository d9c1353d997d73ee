// swift-tools-version:6.0
import PackageDescription

/// Release builds let the optimiser see across Baton's own modules: the hot path's generic byte
/// helpers (token parsing, JSON writing, RESP) are then specialised for the concrete buffers the
/// server passes instead of running through witness tables.
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v14)],
    // Executables only: no library product, so the modules may keep `-cross-module-optimization`
    // (SwiftPM refuses unsafe flags only in packages other packages depend on).
    products: [
        .executable(name: "baton", targets: ["baton"]),
        .executable(name: "baton-bench", targets: ["baton-bench"]),
        .executable(name: "baton-load", targets: ["baton-load"]),
        .executable(name: "baton-floor", targets: ["baton-floor"]),
        .library(name: "BatonAllocCount", type: .dynamic, targets: ["BatonAllocCount"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.1.0"),
    ],
    targets: [
        // System libraries: the only places C headers enter the package.
        .systemLibrary(
            name: "CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // The pure domain: token formats, the family decision table, policies, strict JSON, errors,
        // the clock. No I/O.
        .target(name: "BatonCore", swiftSettings: crossModule),

        // OpenSSL 3: keys, JWS, JWK, HMAC, HKDF, AES-GCM, randomness.
        .target(name: "BatonCrypto", dependencies: ["COpenSSL"], swiftSettings: crossModule),

        // A general Redis client on SwiftNIO + hiredis (knows nothing of tokens).
        .target(
            name: "BatonRedis",
            dependencies: [
                "CHiredis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: crossModule
        ),

        // Baton's storage on Redis: key schema, every Lua script, the family's fields, StoreError.
        // No crypto: a DPoP jti arrives already digested by BatonAuth (DESIGN.md §10's map).
        .target(name: "BatonStore", dependencies: ["BatonCore", "BatonRedis"], swiftSettings: crossModule),

        // The rules end to end: tokens, sessions, refresh, revocation, introspection, clients,
        // keys and secrets, over narrow store protocols and one injected clock. No HTTP.
        .target(
            name: "BatonAuth",
            dependencies: [
                "BatonCore", "BatonCrypto", "BatonStore", "BatonRedis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: crossModule
        ),

        // Processes: child processes with a clean signal state (posix_spawn), the embedded
        // redis-server and the worker supervisor of `baton cluster`.
        .target(
            name: "BatonSystem",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // HTTP only: the server, the token endpoint's event-loop path, controllers, middleware,
        // status mapping, metrics; and the composition root that wires a worker.
        .target(
            name: "BatonServer",
            dependencies: [
                "BatonAuth", "BatonCore", "BatonCrypto", "BatonStore", "BatonRedis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: crossModule
        ),

        // The CLI: serve, cluster, keys, clients, sessions.
        .executableTarget(
            name: "baton",
            dependencies: [
                "BatonServer", "BatonSystem", "BatonAuth", "BatonCore", "BatonCrypto", "BatonRedis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        // Real servers on free loopback ports in temporary directories (redis-server, nginx,
        // `baton serve` processes, headless Chromium driven over WebDriver), a minimal HTTP client
        // and process helpers: shared by the tests and the benchmarks.
        .target(
            name: "BatonLocalServers",
            dependencies: [
                "BatonCore", "BatonSystem",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // Test-only fixtures: in-memory stores for the pure rules, and independent implementations
        // to cross-check against (Python's joserfc).
        .target(
            name: "BatonTesting",
            dependencies: ["BatonLocalServers", "BatonAuth", "BatonCore", .product(name: "Logging", package: "swift-log")]
        ),

        // Benchmarks that compare our building blocks with the machine's own limits.
        .executableTarget(
            name: "baton-bench",
            dependencies: [
                "BatonCore",
                "BatonRedis",
                "BatonStore",
                "BatonCrypto",
                "BatonSystem",
                "BatonLocalServers",
                "BatonLoad",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The load-test harness (loadtest/): virtual users over raw HTTP/1.1 on SwiftNIO, correctness
        // counted next to speed, HdrHistogram percentiles, JSON and SVG reports.
        .target(
            name: "BatonLoad",
            dependencies: [
                "BatonCore", "BatonCrypto", "BatonSystem",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "loadtest/Sources/BatonLoad"
        ),
        .executableTarget(
            name: "baton-load",
            dependencies: [
                "BatonLoad",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "loadtest/Sources/baton-load"
        ),

        // A refresh's floor work in plain C (epoll, hiredis's reader, OpenSSL), which
        // `baton-bench limits` runs to measure what a lean server does on the machine.
        .executableTarget(name: "baton-floor", dependencies: ["CHiredis", "COpenSSL"], path: "loadtest/floor"),
        // A heap-allocation counter preloaded into a worker (LD_PRELOAD) by `baton-bench allocations`.
        .target(name: "BatonAllocCount", path: "loadtest/alloccount"),

        .testTarget(name: "BatonCoreTests", dependencies: ["BatonCore"]),
        .testTarget(name: "BatonCryptoTests", dependencies: ["BatonCrypto", "BatonTesting", "BatonLocalServers"]),
        .testTarget(
            name: "BatonRedisTests",
            dependencies: ["BatonRedis", "BatonLocalServers", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(name: "BatonStoreTests", dependencies: ["BatonStore", "BatonCore", "BatonRedis", "BatonLocalServers"]),
        .testTarget(
            name: "BatonAuthTests",
            dependencies: [
                "BatonAuth", "BatonCore", "BatonCrypto", "BatonStore", "BatonRedis", "BatonLocalServers", "BatonTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BatonSystemTests",
            dependencies: [
                "BatonSystem", "BatonRedis", "BatonLocalServers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "BatonBenchTests",
            dependencies: ["baton-bench", "BatonRedis", "BatonSystem", "BatonLocalServers", "BatonTesting"]
        ),
        .testTarget(
            name: "BatonServerTests",
            dependencies: [
                "BatonServer", "BatonAuth", "BatonLocalServers", "BatonTesting", "BatonCore", "BatonCrypto", "BatonStore",
                "BatonRedis", "BatonSystem",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BatonLoadTests",
            dependencies: [
                // BatonAuth: baton-load's DPoP proofs are checked by the server's own verifier.
                "BatonLoad", "BatonLocalServers", "BatonCrypto", "BatonSystem", "BatonRedis", "BatonAuth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
