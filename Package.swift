// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "HallKiosk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hallserver", targets: ["hallserver"]),
        .executable(name: "hallkiosk", targets: ["hallkiosk"]),
        /// The kiosk's tools (benchmarks, soak with fault injection); built for kiosk/bench and the suite, never installed.
        .executable(name: "hallkiosk-lab", targets: ["hallkiosk-lab"]),
        .library(name: "HallAPI", targets: ["HallAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // C libraries: one system library target each; each shim wraps only what Swift cannot call.
        .systemLibrary(name: "CSDL2", pkgConfig: "sdl2", providers: [.apt(["libsdl2-dev"])]),
        .systemLibrary(name: "CSDL2TTF", pkgConfig: "SDL2_ttf", providers: [.apt(["libsdl2-ttf-dev"])]),
        .systemLibrary(name: "CSDL2Image", pkgConfig: "SDL2_image", providers: [.apt(["libsdl2-image-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // Debian ships no cups.pc; the module map links libcups.
        .systemLibrary(name: "CCups", providers: [.apt(["libcups2-dev"])]),

        // Wire types and small shared pieces (server and devices).
        /// Wire types shared by the hall server and every device.
        .target(name: "HallAPI"),
        /// Salted PBKDF2 hashes of PINs and tokens (staff PINs on the server, the admin PIN on kiosks).
        .target(
            name: "HallSecrets",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        /// Misspelt config keys and tables (kiosk.toml, hall.toml) refused by name instead of ignored.
        .target(name: "ConfigKeys", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
        /// swift-log lines that journald files at their priority (`<N>` prefixes under systemd).
        .target(name: "JournalLogging", dependencies: [.product(name: "Logging", package: "swift-log")]),

        // The kiosk's pure core.
        /// The kiosk's pure core: state + event → state + effects, view → display list. No SDL, CUPS or HTTP.
        .target(
            name: "KioskCore",
            dependencies: ["HallAPI"],
            resources: [.copy("Strings")]
        ),

        /// The ID card reader (身份证阅读器): GA/T 467 SAM frames over a serial port, the card's text block, the reader
        /// loop (one placement → one event, reconnects by itself). Foundation/Glibc only, no vendor library.
        .target(name: "IDCardReader"),

        /// The calling display's voice: settings, what a call says (voice-pack clips), the one announcement queue,
        /// WAV voice packs. Foundation only; KioskSDL plays it.
        .target(name: "CallVoice"),

        // The kiosk's adapters: screen, hall server, printer, rating outbox.
        /// The SDL adapter: window, display-list renderer with cached textures, input, screenshots.
        .target(
            name: "KioskSDL",
            dependencies: ["KioskCore", "CallVoice", "CSDL2", "CSDL2TTF", "CSDL2Image", "CQRencode"]
        ),
        /// The HTTP adapter: the kiosk's client of the hall server.
        .target(
            name: "KioskHTTP",
            dependencies: [
                "HallAPI", "KioskCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Ticket printing: layout → raster → PWG raster / PNG / ESC/POS, submitted and followed through CUPS.
        .target(
            name: "KioskPrint",
            dependencies: [
                "HallAPI", "KioskCore", "CCups", "CSDL2", "CSDL2TTF", "CSDL2Image", "CQRencode",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// The rating outbox: durable local SQLite store and the background sender.
        .target(
            name: "KioskOutbox",
            dependencies: [
                "HallAPI", "KioskCore", "KioskHTTP",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The kiosk program (what `kiosk/install` ships).
        /// The kiosk program: config, the one assembly (`buildKiosk`), run loop and background services, event stream,
        /// scripted sessions, doctor, screenshots.
        .target(
            name: "KioskApp",
            dependencies: [
                "HallAPI", "HallSecrets", "KioskCore", "KioskSDL", "KioskHTTP", "KioskPrint", "KioskOutbox", "ConfigKeys", "CallVoice",
                "IDCardReader",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        /// What `hallkiosk` and `hallkiosk-lab` share on the command line: the config options, logging, failing with a message.
        .target(
            name: "KioskCommandLine",
            dependencies: [
                "KioskApp", "JournalLogging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "hallkiosk",
            dependencies: [
                "KioskApp", "KioskCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The hall server.
        /// The hall server: configuration, queue rules, storage, HTTP routes and pages.
        .target(
            name: "HallServer",
            dependencies: [
                "HallAPI", "HallSecrets", "ConfigKeys", "IDCardReader",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "hallserver",
            dependencies: [
                "HallServer", "JournalLogging",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tools, not shipped: benchmarks, soak, fault proxy, reading a kiosk's event stream.
        /// Loopback socket plumbing and the fault-injection HTTP proxy, shared by the tests and `hallkiosk-lab soak`.
        .target(name: "FaultInjection"),
        /// Reading a kiosk's event stream (`hallkiosk --events`): for the tests and `hallkiosk-lab wait-event`.
        .target(name: "KioskEventStream"),
        /// The kiosk's tools, out of the shipped program: the soak (real run loop, real hallserver, fault proxy)
        /// and the kiosk, outbox and printing benchmarks.
        .target(
            name: "KioskLab",
            dependencies: [
                "KioskApp", "HallAPI", "KioskCore", "KioskSDL", "KioskHTTP", "KioskPrint", "KioskOutbox", "FaultInjection", "CallVoice",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// `hallkiosk-lab`: bench, bench-outbox, print-bench, soak and wait-event (kiosk/bench/*, kiosk/tests/*).
        .executableTarget(
            name: "hallkiosk-lab",
            dependencies: [
                "KioskLab", "KioskApp", "KioskCommandLine", "KioskEventStream", "CallVoice",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test support and tests.
        /// Test support shared by test targets: real `hallserver` / `hallkiosk` processes, the fault proxy.
        .target(name: "HallTestSupport", dependencies: ["FaultInjection", "HallAPI", "KioskEventStream"]),
        .testTarget(
            name: "KioskCoreTests",
            dependencies: ["KioskCore", "HallAPI", "HallTestSupport"],
            resources: [.copy("Golden")]
        ),
        .testTarget(
            name: "KioskSDLTests",
            dependencies: ["KioskSDL", "KioskCore", "HallAPI", "HallTestSupport", "CallVoice"]
        ),
        .testTarget(name: "CallVoiceTests", dependencies: ["CallVoice"]),
        .testTarget(name: "IDCardReaderTests", dependencies: ["IDCardReader"]),
        .testTarget(
            name: "KioskHTTPTests",
            dependencies: ["KioskHTTP", "KioskCore", "HallAPI", "HallTestSupport"]
        ),
        .testTarget(
            name: "KioskPrintTests",
            dependencies: ["KioskPrint", "KioskCore", "HallAPI", "HallTestSupport"]
        ),
        .testTarget(
            name: "KioskOutboxTests",
            dependencies: ["KioskOutbox", "KioskHTTP", "HallAPI", "HallTestSupport"]
        ),
        .testTarget(
            name: "KioskAppTests",
            dependencies: [
                "KioskApp", "KioskCore", "KioskHTTP", "HallAPI", "HallTestSupport", "KioskEventStream", "HallSecrets", "KioskOutbox", "KioskSDL",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "JournalLoggingTests", dependencies: ["JournalLogging"]),
        .testTarget(
            name: "HallServerTests",
            dependencies: [
                "HallServer", "HallAPI", "FaultInjection", "HallTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ]
)
