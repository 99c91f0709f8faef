// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "HallKiosk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hallserver", targets: ["hallserver"]),
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
    ],
    targets: [
        /// Wire types shared by the hall server and every device.
        .target(name: "HallAPI"),
        /// The hall server: configuration, queue rules, storage, HTTP routes and pages.
        .target(
            name: "HallServer",
            dependencies: [
                "HallAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "hallserver",
            dependencies: [
                "HallServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// The kiosk's pure core: state + event → state + effects, view → display list. No SDL, CUPS or HTTP.
        .target(
            name: "KioskCore",
            dependencies: ["HallAPI"],
            resources: [.copy("Strings")]
        ),
        .testTarget(
            name: "KioskCoreTests",
            dependencies: ["KioskCore", "HallAPI"],
            resources: [.copy("Golden")]
        ),
        .testTarget(
            name: "HallServerTests",
            dependencies: [
                "HallServer", "HallAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ]
)
