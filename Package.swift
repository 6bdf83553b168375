// swift-tools-version:6.0
// kiosk: the lobby screen of a tiers-lieu. No package dependencies: the toolchain and
// the system SQLite only (see README, "Architecture").
import PackageDescription

// The release binaries are linked by lld with packed relative relocations (DT_RELR, glibc
// 2.36+): still position-independent (ASLR), but ld.so reads about 30 kB of relocations at
// start instead of 2 MB of `.rela.dyn` (README, "Performance"). Debug builds keep the default.
let packedRelocations: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(configuration: .release)),
]

let package = Package(
    name: "kiosk",
    products: [
        .executable(name: "kioskd", targets: ["kioskd"]),
        .executable(name: "kioskctl", targets: ["kioskctl"]),
    ],
    targets: [
        // System SQLite (libsqlite3-dev), GRDB-style: a module map over a shim header.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // linux/fb.h, linux/kd.h, termios, ioctl helpers for function-like macros.
        .target(name: "CLinux"),
        // Landlock, prctl and close_range for the feed helper's sandbox (raw system calls).
        .target(name: "CSandbox"),
        // Pure domain: no I/O, no clock of its own.
        .target(name: "KioskCore"),
        // Parsers of programme feeds (iCalendar + recurrence, OpenAgenda, native JSON).
        .target(name: "KioskFeeds", dependencies: ["KioskCore"]),
        // SQLite wrapper and repositories.
        .target(name: "KioskStore", dependencies: ["KioskCore", "CSQLite"]),
        // Backend-independent parts of the display drivers: cell grids, ANSI diffing.
        .target(name: "KioskDisplay", dependencies: ["KioskCore"]),
        // Typed wrappers over syscalls: terminal, signals, serial, framebuffer, sockets.
        .target(name: "KioskSystem", dependencies: ["KioskCore", "CLinux", "CSandbox"]),
        // Wiring: services, event loop, display drivers, command-line front ends.
        .target(
            name: "KioskDaemon",
            dependencies: ["KioskCore", "KioskFeeds", "KioskStore", "KioskDisplay", "KioskSystem"],
),
        // kioskd does not link kioskctl's code; it depends on the kioskctl executable only so
        // that building kioskd (`swift run kioskd --demo`) builds the feed helper it spawns.
        .executableTarget(name: "kioskd", dependencies: ["KioskDaemon", "kioskctl"], linkerSettings: packedRelocations),
        // kioskctl, the feed helper (`kioskctl --feed-helper`) and their HTTP client: the
        // only code that imports FoundationNetworking (hence libcurl and the TLS library).
        // It stays in this executable target, not a library: SwiftPM would link a library
        // dependency of kioskctl into kioskd too.
        .executableTarget(
            name: "kioskctl", dependencies: ["KioskDaemon", "KioskCore", "KioskFeeds", "KioskDisplay", "KioskSystem"],
            linkerSettings: packedRelocations),
        // Test hook over the picture decoders (Tests/pictures/), not a product.
        .executableTarget(name: "kiosk-pictures", dependencies: ["KioskDisplay"]),
        .executableTarget(name: "kiosk-bench", dependencies: ["KioskCore", "KioskFeeds", "KioskDisplay", "KioskStore", "KioskSystem"]),
        // Test-only: the type engine's answers for the FreeType/HarfBuzz comparisons (Tests/type/).
        .executableTarget(name: "kiosk-type-probe", dependencies: ["KioskDisplay"]),

        // Test-only: waiting in async tests without blocking a thread of the cooperative pool.
        .target(name: "KioskTestSupport", path: "Tests/KioskTestSupport"),
        .testTarget(name: "KioskCoreTests", dependencies: ["KioskCore", "KioskTestSupport"]),
        .testTarget(name: "KioskFeedsTests", dependencies: ["KioskFeeds", "KioskCore"]),
        .testTarget(name: "KioskStoreTests", dependencies: ["KioskStore", "KioskCore"]),
        .testTarget(name: "KioskDisplayTests", dependencies: ["KioskDisplay", "KioskCore", "KioskTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "KioskSystemTests", dependencies: ["KioskSystem", "KioskCore", "KioskTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "KioskDaemonTests",
            dependencies: ["KioskDaemon", "kioskctl", "KioskCore", "KioskStore", "KioskFeeds", "KioskDisplay", "KioskSystem", "KioskTestSupport"],
            exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
