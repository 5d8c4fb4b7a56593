// swift-tools-version:6.1
import PackageDescription

/// Gongbu: one Swift process that turns courses into Telegram bots.
/// Targets point one way: CLI → runtime → flows → model (see ../shared/spec/ARCHITECTURE.md).
let package = Package(
    name: "gongbu",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gongbu", targets: ["GongbuCLI"]),
        .executable(name: "gongbu-bench", targets: ["GongbuBench"]),
        .executable(name: "gongbu-fuzz", targets: ["GongbuFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        // Pure core.
        .target(name: "CourseModel"),
        .target(name: "SceneEngine"),
        .target(name: "TelegramBotAPI", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Manifests", dependencies: [
            "CourseModel",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Localization", dependencies: [
            .product(name: "Yams", package: "Yams"),
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .target(name: "Charts", dependencies: [
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .target(name: "CourseFlows", dependencies: [
            "SceneEngine", "CourseModel", "Localization", "TelegramBotAPI",
        ]),
        // Edges: network, disk.
        .target(name: "TelegramClient", dependencies: [
            "TelegramBotAPI",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Storage", dependencies: [
            "CourseModel",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "BotRuntime", dependencies: [
            "SceneEngine", "CourseModel", "TelegramBotAPI", "Manifests", "Localization",
            "CourseFlows", "TelegramClient", "Storage", "Charts",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(
            name: "HTTPAPI",
            dependencies: [
                "Storage", "CourseModel", "Manifests", "TelegramBotAPI", "BotRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The OpenAPI document and the Mini App's static files, compiled into the binary
            // (no resource bundle to ship beside it).
            resources: [
                .embedInCode("openapi.json"),
                .embedInCode("App/index.html"), .embedInCode("App/app.css"), .embedInCode("App/app.js"),
            ]),
        .target(name: "GongbuTesting", dependencies: [
            "TelegramBotAPI",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The browser playground of `gongbu demo`: chat panes over the emulator.
        .target(name: "Playground", dependencies: [
            "GongbuTesting", "TelegramBotAPI",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .target(name: "BrowserTesting", dependencies: [
            "GongbuTesting",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "GongbuCLI", dependencies: [
            "BotRuntime", "HTTPAPI", "Manifests", "Storage", "CourseFlows", "Localization",
            "TelegramClient", "GongbuTesting", "Playground", "CourseModel", "TelegramBotAPI",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // Fuzzing (see README, Reliability): the targets as a library, libFuzzer's entry point.
        .target(name: "FuzzTargets", dependencies: ["TelegramBotAPI", "CourseFlows", "CourseModel", "Manifests"]),
        .executableTarget(name: "GongbuFuzz", dependencies: ["FuzzTargets"]),
        .executableTarget(name: "GongbuBench", dependencies: [
            "BotRuntime", "GongbuTesting", "TelegramClient", "Storage", "Manifests",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Tests.
        .testTarget(name: "CourseModelTests", dependencies: ["CourseModel", "Manifests"]),
        .testTarget(name: "LocalizationTests", dependencies: [
            "Localization", "TelegramBotAPI", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "CourseFlowsTests", dependencies: [
            "CourseFlows", "Manifests", "Localization", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "CourseFlows", "TelegramBotAPI", "GongbuTesting"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts"]),
        .testTarget(name: "GongbuTestingTests", dependencies: [
            "GongbuTesting",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "TelegramClientTests", dependencies: ["TelegramClient", "GongbuTesting"]),
        .testTarget(name: "HTTPAPITests", dependencies: [
            "HTTPAPI", "BotRuntime", "GongbuTesting", "Storage", "Manifests", "TelegramBotAPI", "TelegramClient",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "DemoTests", dependencies: [
            "GongbuTesting", "BrowserTesting",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "BrowserTests", dependencies: [
            "BrowserTesting", "HTTPAPI", "BotRuntime", "GongbuTesting", "TelegramBotAPI", "TelegramClient", "Storage",
            "Manifests", "CourseFlows", "Localization",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .testTarget(name: "RuntimeTests", dependencies: [
            "BotRuntime", "GongbuTesting", "TelegramClient", "Storage", "Manifests", "HTTPAPI",
            "CourseFlows", "Localization", "Charts",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
    ]
)
