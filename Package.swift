// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode with full concurrency checking.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

/// A Debian C library wrapped as a system-library target (`Sources/<name>/module.modulemap`).
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "curate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "curate", targets: ["curate"]),
        .library(name: "Detect", targets: ["Detect"]),
        .library(name: "Curate", targets: ["Curate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
    ],
    targets: [
        systemLibrary("CXXHash", pkgConfig: "libxxhash", apt: "libxxhash-dev"),
        systemLibrary("CLZ4", pkgConfig: "liblz4", apt: "liblz4-dev"),
        systemLibrary("CTurboJPEG", pkgConfig: "libturbojpeg", apt: "libturbojpeg0-dev"),
        systemLibrary("CSPNG", pkgConfig: "spng", apt: "libspng-dev"),
        systemLibrary("CWebP", pkgConfig: "libwebp", apt: "libwebp-dev"),
        systemLibrary("CArchive", pkgConfig: "libarchive", apt: "libarchive-dev"),
        // glibc's malloc.h, for handing freed heap pages back once the analysis ends (FreedMemory).
        .systemLibrary(name: "CMalloc"),
        // __builtin_prefetch, for random reads of large tables (caption signatures, bucket tables, term sketch).
        .systemLibrary(name: "CPrefetch"),
        // The Hamming pair-search kernel, in C so the best instruction set is chosen at run time.
        .target(name: "CHamming"),
        // Feature extraction's AVX2 kernels (the resampler's two passes, the turned views' rotation, pHash's DCT),
        // in C for the same reason.
        .target(name: "CResample"),
        .target(
            name: "Detect",
            dependencies: [
                "CXXHash", "CLZ4", "CTurboJPEG", "CSPNG", "CWebP", "CArchive", "CHamming", "CResample", "CMalloc",
                "CPrefetch",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Curate",
            dependencies: ["Detect", "CArchive", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "curate",
            dependencies: ["Curate", "Detect", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CurateTestSupport",
            dependencies: ["Detect"],
            path: "Tests/CurateTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DetectTests",
            dependencies: ["Detect", "CurateTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings),
        .testTarget(name: "CurateTests", dependencies: ["Curate", "Detect", "CurateTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CurateCLITests",
            dependencies: ["CurateTestSupport", "curate", "Detect"],
            swiftSettings: swiftSettings
        ),
    ]
)
