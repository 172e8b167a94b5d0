// swift-tools-version:6.2
import PackageDescription

/// One set of settings on every target, as Hummingbird does: `any`, member
/// imports and `public import` are always spelled out.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Readout",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "readout", targets: ["readout"]),
        .library(name: "Warehouse", targets: ["Warehouse"]),
        .library(name: "Stats", targets: ["Stats"]),
        .library(name: "SQLParser", targets: ["SQLParser"]),
        .library(name: "Governance", targets: ["Governance"]),
        .library(name: "Analysis", targets: ["Analysis"]),
        .library(name: "Semantic", targets: ["Semantic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CLibEdit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(
            name: "Stats",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQLParser",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Semantic",
            dependencies: ["SQLParser", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Warehouse",
            dependencies: [
                "CSQLite",
                "SQLParser",
                "Semantic",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PostgresWarehouse",
            dependencies: [
                "Warehouse",
                "SQLParser",
                "Governance",
                "Semantic",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MLflow",
            dependencies: ["Analysis"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Governance",
            dependencies: [
                "SQLParser",
                "Semantic",
                "Warehouse",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Planner",
            dependencies: ["Semantic", "SQLParser", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LLM",
            dependencies: [
                "Planner",
                "Semantic",
                "SQLParser",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Gateway",
            dependencies: ["Planner", "Governance", "Analysis", "Semantic", "Warehouse"],
            // Async methods run on their caller's actor, so a server actor can own a Gateway.
            swiftSettings: swiftSettings + [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]
        ),
        .target(
            name: "WebPages",
            dependencies: [
                "Analysis",
                "Gateway",
                "Governance",
                "Semantic",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates"), .copy("Static")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Server",
            dependencies: [
                "WebPages",
                "Gateway",
                "Analysis",
                "Governance",
                "Planner",
                "Semantic",
                "MCPServer",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MCPServer",
            dependencies: [
                "Gateway",
                "Analysis",
                "Governance",
                "Semantic",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Analysis",
            dependencies: ["Stats", "Warehouse"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "readout",
            dependencies: [
                "Warehouse",
                "MLflow",
                "PostgresWarehouse",
                "Governance",
                "Semantic",
                "Planner",
                "Gateway",
                "LLM",
                "CLibEdit",
                "Server",
                "WebPages",
                "MCPServer",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                "SQLParser",
                "Stats",
                "Analysis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "readout-bench",
            dependencies: [
                "WebPages",
                "Warehouse",
                "Governance",
                "Semantic",
                "Gateway",
                "Planner",
                "SQLParser",
                "Analysis",
                "ReadoutTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/ReadoutBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "readout-fuzz",
            dependencies: ["Governance", "Semantic", "SQLParser"],
            path: "Sources/ReadoutFuzz",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ReadoutTesting",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SQLParserTests",
            dependencies: ["SQLParser"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GovernanceTests",
            dependencies: ["ReadoutTesting", "Governance", "Semantic", "SQLParser", "Warehouse", "Analysis"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: ["ReadoutTesting", "Gateway", "Planner", "Governance", "Semantic", "SQLParser", "Warehouse", "LLM", "Analysis"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "ReadoutTesting", "Server", "WebPages", "Gateway", "Governance", "Semantic", "Planner", "SQLParser", "Warehouse", "Analysis",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StatsTests",
            dependencies: ["Stats"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReadoutCLITests",
            dependencies: ["ReadoutTesting", "readout", "Warehouse", "PostgresWarehouse", .product(name: "MCP", package: "swift-sdk"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnalysisTests",
            dependencies: ["ReadoutTesting", "Analysis", "Stats", "Warehouse"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresWarehouseTests",
            dependencies: ["ReadoutTesting", "PostgresWarehouse", "Warehouse", "Analysis", "Governance", "SQLParser"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MLflowTests",
            dependencies: ["ReadoutTesting", "MLflow", "Analysis"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WarehouseTests",
            dependencies: ["ReadoutTesting", "Warehouse", "Analysis", "Stats"],
            swiftSettings: swiftSettings
        ),
    ]
)
