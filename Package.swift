// swift-tools-version: 6.1
// onebox: the whole single-server web stack of www.foobar.com in one Swift package.
// Module map and dependency rules: docs/architecture.md.
import PackageDescription

let package = Package(
    name: "onebox",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "onebox", targets: ["onebox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.0.0", traits: [.defaults, "YAML"]),
    ],
    targets: [
        // The executable only parses arguments and wires configuration to services.
        .executableTarget(
            name: "onebox",
            dependencies: [
                "OneboxCore",
                "DNSServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Configuration, paths, logging, readiness: what every role shares.
        .target(
            name: "OneboxCore",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Authoritative DNS: codec, zone files, answers, UDP and TCP listeners.
        .target(
            name: "DNSServer",
            dependencies: [
                "OneboxCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The LZ4 frame format (backups, compressed pages) over the system liblz4.
        .target(name: "LZ4", dependencies: ["CLZ4"]),
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),

        .testTarget(name: "OneboxCoreTests", dependencies: ["OneboxCore"]),
        .testTarget(name: "LZ4Tests", dependencies: ["LZ4"]),
        .testTarget(name: "DNSServerTests", dependencies: ["DNSServer"]),
        // Starts the real `onebox` binary and drives it with real clients (dig, knotd).
        .testTarget(name: "IntegrationTests", dependencies: []),
    ]
)
