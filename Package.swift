// swift-tools-version: 6.1
// onebox: the whole single-server web stack of www.foobar.com in one Swift package.
// Module map and dependency rules: docs/architecture.md.
import PackageDescription

let package = Package(
    name: "onebox",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "onebox", targets: ["onebox"]),
        .executable(name: "slt", targets: ["slt"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.0.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // The executable only parses arguments and wires configuration to services.
        .executableTarget(
            name: "onebox",
            dependencies: [
                "OneboxCore",
                "DNSServer",
                "WebFront",
                "DBServer",
                "PageStore",
                "AppServer",
                "Backup",
                "MySQLClient",
                "Supervisor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Configuration, paths, logging, readiness: what every role shares.
        .target(
            name: "OneboxCore",
            dependencies: [
                "CMalloc",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                // The self-signed certificate the web front and the database share.
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // glibc's mallinfo2/malloc_trim, for OneboxCore's MemoryTrimmer.
        .systemLibrary(name: "CMalloc"),
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
        // The HTTPS front: TLS, HTTP/1.1 and HTTP/2, virtual hosts, static files,
        // reverse proxy, access log.
        .target(
            name: "WebFront",
            dependencies: [
                "OneboxCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The MySQL client/server protocol codec, shared by the server (DBServer) and the
        // client (MySQLClient): framing, handshake, auth plugins, commands, text and binary rows.
        .target(
            name: "MySQLWire",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // `onebox db`: the MySQL protocol server — connections, TLS, authentication,
        // command dispatch — over SQLEngine sessions, statements run off the event loops.
        .target(
            name: "DBServer",
            dependencies: [
                "OneboxCore",
                "MySQLWire",
                "SQLEngine",
                "PageStore",
                "Backup",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The async MySQL client on SwiftNIO (the app's database access, tools, tests):
        // TCP or Unix socket, TLS, both auth plugins, text and prepared statements, a pool.
        .target(
            name: "MySQLClient",
            dependencies: [
                "MySQLWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The foobar.com blog (the uWSGI role): routes, templates, JSON API, over MySQLClient.
        .target(
            name: "AppServer",
            dependencies: [
                "OneboxCore",
                "MySQLClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // `onebox serve`: the roles as supervised child processes — first-start initialisation,
        // restart with backoff, reload and upgrade without dropping requests, status file.
        .target(
            name: "Supervisor",
            dependencies: [
                "OneboxCore",
                "MySQLClient",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The storage engine: pager, buffer pool, WAL, B+trees, transactions, recovery.
        .target(name: "PageStore", dependencies: ["CLZ4", "CCRC32C"]),
        // CRC-32C with the CPU's instruction (SSE 4.2 / AArch64 CRC); PageStore keeps a
        // software fallback.
        .target(name: "CCRC32C"),
        // The SQL engine: lexer, parser, binder/planner, executor, types, catalog on PageStore.
        .target(
            name: "SQLEngine",
            dependencies: [
                "PageStore", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // zlib for COMPRESS()/UNCOMPRESS(), byte-compatible with MySQL's.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Runs sqllogictest files in-process against SQLEngine (same rules as shared/slt/run.py).
        .target(name: "SQLLogicTest", dependencies: ["SQLEngine"], path: "Tools/slt/Runner"),
        .executableTarget(name: "slt", dependencies: ["SQLLogicTest"], path: "Tools/slt/Command"),
        // The LZ4 frame format (backups, compressed pages) over the system liblz4.
        .target(name: "LZ4", dependencies: ["CLZ4"]),
        // Online backups: a PageStore snapshot as one LZ4 frame file with a manifest and
        // CRC-32C checksums (`onebox backup`/`restore`, `BACKUP DATABASE TO`).
        .target(name: "Backup", dependencies: ["PageStore", "LZ4"]),
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),

        .testTarget(name: "OneboxCoreTests", dependencies: ["OneboxCore"]),
        .testTarget(name: "LZ4Tests", dependencies: ["LZ4"]),
        .testTarget(name: "BackupTests", dependencies: ["Backup", "PageStore", "LZ4"]),
        .testTarget(name: "MySQLWireTests", dependencies: ["MySQLWire"]),
        .testTarget(name: "DBServerTests", dependencies: ["DBServer", "MySQLWire"]),
        // Starts a private MariaDB server (mariadbd from apt mariadb-server) in a temp dir.
        .target(name: "MariaDBTestSupport", path: "Tests/MariaDBTestSupport"),
        // What several test targets share (a seeded random generator).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MySQLClientTests", dependencies: [
            "MySQLClient", "MySQLWire", "MariaDBTestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .testTarget(name: "AppServerTests", dependencies: ["AppServer", "MySQLClient", "MariaDBTestSupport"]),
        .testTarget(name: "SupervisorTests", dependencies: ["Supervisor"]),
        .testTarget(name: "DNSServerTests", dependencies: ["DNSServer", "TestSupport"]),
        .testTarget(name: "SQLEngineTests", dependencies: ["SQLEngine", "SQLLogicTest", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "PageStoreTests", dependencies: ["PageStore", "pagestore-crash-child"]),
        // Killed with SIGKILL mid-commit by PageStoreTests' crash test.
        .executableTarget(name: "pagestore-crash-child", dependencies: ["PageStore"], path: "Tools/crash-child"),
        // PageStore against SQLite, side by side (Tools/bench/storage; needs libsqlite3-dev).
        .systemLibrary(name: "CSQLite", path: "Tools/bench/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .executableTarget(name: "pagestore-bench", dependencies: ["PageStore", "CSQLite"], path: "Tools/bench/storage"),
        .testTarget(name: "WebFrontTests", dependencies: [
            "WebFront", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            .product(name: "NIOHPACK", package: "swift-nio-http2"),
        ]),
        // Starts the real `onebox` binary and drives it with real clients (dig, knotd,
        // mariadb, PyMySQL, curl); MySQLWire frames the hostile packets of the database tests.
        .testTarget(name: "IntegrationTests", dependencies: ["PageStore", "MySQLWire", "MariaDBTestSupport", "TestSupport"]),
    ]
)
