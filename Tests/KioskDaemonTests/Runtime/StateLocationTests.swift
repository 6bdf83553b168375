import Foundation
import Testing
import KioskCore
@testable import KioskDaemon

/// Where the database lives: `--state-dir`, then `$STATE_DIRECTORY` (its first entry),
/// then `[state] directory` — as the README, kiosk.conf and both commands' usage say.
@Suite struct StateLocationTests {
    var config: KioskConfig {
        var c = KioskConfig()
        c.state.directory = "/srv/from-config"
        return c
    }

    @Test func theOptionWinsOverSystemdAndTheConfiguration() {
        #expect(StateLocation.directory(option: "/tmp/typed", environment: ["STATE_DIRECTORY": "/var/lib/kiosk"], config: config) == "/tmp/typed")
    }

    @Test func systemdWinsOverTheConfiguration() {
        #expect(StateLocation.directory(option: nil, environment: ["STATE_DIRECTORY": "/var/lib/kiosk"], config: config) == "/var/lib/kiosk")
        // StateDirectory=kiosk cache: a colon-separated list, the first is ours.
        #expect(StateLocation.directory(option: nil, environment: ["STATE_DIRECTORY": "/var/lib/kiosk:/var/lib/other"], config: config) == "/var/lib/kiosk")
    }

    @Test func theConfigurationIsTheFallback() {
        #expect(StateLocation.directory(option: nil, environment: [:], config: config) == "/srv/from-config")
        #expect(StateLocation.directory(option: nil, environment: ["STATE_DIRECTORY": ""], config: config) == "/srv/from-config")
    }

    @Test func theDocumentsSayTheSameRule() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("`$STATE_DIRECTORY` wins over it, and a `--state-dir` option over both"))
        let conf = try String(contentsOf: root.appendingPathComponent("kiosk-config/kiosk.conf"), encoding: .utf8)
        #expect(conf.contains("$STATE_DIRECTORY, when set, wins over\n# this, and a --state-dir option of kioskd or kioskctl over both"))
        #expect(DaemonCommand.usage.contains("--state-dir DIR   where the database lives (default: $STATE_DIRECTORY, then the"))
    }
}
