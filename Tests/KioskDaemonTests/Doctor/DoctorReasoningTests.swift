import Foundation
import Testing
import KioskCore
import KioskSystem
@testable import KioskDaemon

/// The doctor's reasoning on what a real board answers. The outputs below were recorded on
/// Debian 12 (systemd 252, kernel 6.1) booted by `Tests/vm/run-systemd-vm-test.sh`, with the
/// package installed (`.build-vm/run/recorded/`): the unit's effective device policy before
/// and after a drop-in, `/proc/devices`, and what systemctl and timedatectl say without D-Bus.
@Suite struct DoctorReasoningTests {
    // `systemctl show -p LoadState -p DevicePolicy -p DeviceAllow kioskd.service`, as shipped.
    // (char-rtc r comes from ProtectClock=yes; systemd lists the newest entry first.)
    static let shipped = """
    DevicePolicy=closed
    DeviceAllow=char-rtc r
    DeviceAllow=/dev/kiosk-badge-reader rw
    DeviceAllow=/dev/tty1 rw
    DeviceAllow=/dev/ttyAMA0 rw
    DeviceAllow=/dev/ttyS0 rw
    DeviceAllow=char-ttyACM rw
    DeviceAllow=char-ttyUSB rw
    DeviceAllow=char-drm rw
    DeviceAllow=char-fb rw
    LoadState=loaded
    """

    // The same after `kioskd.service.d/reader.conf` with `DeviceAllow=/dev/ttyS1 rw`.
    static let withDropIn = """
    DevicePolicy=closed
    DeviceAllow=char-rtc r
    DeviceAllow=/dev/ttyS1 rw
    DeviceAllow=/dev/kiosk-badge-reader rw
    DeviceAllow=/dev/tty1 rw
    DeviceAllow=/dev/ttyAMA0 rw
    DeviceAllow=/dev/ttyS0 rw
    DeviceAllow=char-ttyACM rw
    DeviceAllow=char-ttyUSB rw
    DeviceAllow=char-drm rw
    DeviceAllow=char-fb rw
    LoadState=loaded
    """

    // `cat /proc/devices` on the same board (no USB serial driver loaded), whole.
    static let procDevices = """
    Character devices:
      1 mem
      4 /dev/vc/0
      4 tty
      4 ttyS
      5 /dev/tty
      5 /dev/console
      5 /dev/ptmx
      7 vcs
     10 misc
     13 input
     21 sg
     29 fb
     99 ppdev
    128 ptm
    136 pts
    153 spi
    226 drm
    246 virtio-portsdev
    247 cxl
    248 bsg
    249 ptp
    250 pps
    251 rtc
    252 dax
    253 tpm
    254 gpiochip

    Block devices:
      2 fd
      7 loop
     11 sr
    253 device-mapper
    254 virtblk
    259 blkext
    """

    // What `ls -l` gave there: /dev/ttyS0 4:64, /dev/ttyS1 4:65, /dev/fb0 29:0.
    static let devices: [String: DeviceNumber] = [
        "/dev/ttyS0": .init(major: 4, minor: 64), "/dev/ttyS1": .init(major: 4, minor: 65),
        "/dev/tty1": .init(major: 4, minor: 1), "/dev/fb0": .init(major: 29, minor: 0),
    ]

    static func check(_ show: String, procDevices: String = DoctorReasoningTests.procDevices) -> Result<InstallationDoctor.UnitAccessCheck, TimeSyncEvidence.Reason> {
        .success(.init(access: UnitDeviceAccess(systemctlShow: show), procDevices: ProcDevices(procDevices), resolve: { devices[$0] }))
    }

    @Test func theRecordedPolicyIsReadEntryByEntry() {
        let access = UnitDeviceAccess(systemctlShow: Self.shipped)
        #expect(access.policy == "closed")
        #expect(access.entries.count == 9)
        #expect(access.entries.first == .init(pattern: "char-rtc", access: "r"))
        #expect(access.entries.last == .init(pattern: "char-fb", access: "rw"))
        #expect(access.entries.contains(.init(pattern: "char-drm", access: "rw")))
        let table = ProcDevices(Self.procDevices)
        #expect(table.names(of: .init(major: 4, minor: 65)) == ["/dev/vc/0", "tty", "ttyS"])
        #expect(table.names(of: .init(major: 188, minor: 0)).isEmpty)
        #expect(table.block.contains { $0 == (254, "virtblk") })
    }

    @Test func aReaderOnTtyS1IsRefusedByTheShippedUnitAndAllowedByTheDropIn() {
        let ttyS1 = Self.devices["/dev/ttyS1"]!
        let table = ProcDevices(Self.procDevices)
        let shipped = UnitDeviceAccess(systemctlShow: Self.shipped)
        // ttyS0 (4:64) is listed by path; ttyS1 shares its major but not its minor.
        #expect(shipped.verdict(for: Self.devices["/dev/ttyS0"]!, procDevices: table, resolve: { Self.devices[$0] }) == .allowed(by: .init(pattern: "/dev/ttyS0", access: "rw")))
        #expect(shipped.verdict(for: ttyS1, procDevices: table, resolve: { Self.devices[$0] }) == .notAllowed)
        #expect(shipped.verdict(for: Self.devices["/dev/fb0"]!, procDevices: table, resolve: { Self.devices[$0] }) == .allowed(by: .init(pattern: "char-fb", access: "rw")))
        #expect(shipped.verdict(for: .init(major: 226, minor: 0), procDevices: table, resolve: { Self.devices[$0] }) == .allowed(by: .init(pattern: "char-drm", access: "rw")))
        let dropIn = UnitDeviceAccess(systemctlShow: Self.withDropIn)
        #expect(dropIn.verdict(for: ttyS1, procDevices: table, resolve: { Self.devices[$0] }) == .allowed(by: .init(pattern: "/dev/ttyS1", access: "rw")))

        let finding = InstallationDoctor.readerFinding(
            device: "/dev/ttyS1", via: "", number: ttyS1, unit: Self.check(Self.shipped), daemon: nil, opensHere: nil,
            unitName: "kioskd.service", serviceUser: "kiosk")
        #expect(finding.level == .fail)
        #expect(finding.message.hasPrefix("/dev/ttyS1 (char 4:65) is not allowed by kioskd.service (DevicePolicy=closed; DeviceAllow= char-rtc r, "))
        #expect(finding.fix == "run `systemctl edit kioskd`, add the two lines `[Service]` and `DeviceAllow=/dev/ttyS1 rw`, then `systemctl restart kioskd`")
    }

    @Test func aUSBReaderIsAllowedByItsClassOnlyOnceItsDriverIsLoaded() {
        let ttyUSB0 = DeviceNumber(major: 188, minor: 0)
        let access = UnitDeviceAccess(systemctlShow: Self.shipped)
        // On the recorded board no USB serial driver is loaded: char-ttyUSB matches nothing.
        #expect(access.verdict(for: ttyUSB0, procDevices: ProcDevices(Self.procDevices), resolve: { _ in nil }) == .notAllowed)
        let loaded = Self.procDevices.replacingOccurrences(of: "226 drm\n", with: "188 ttyUSB\n226 drm\n")
        #expect(access.verdict(for: ttyUSB0, procDevices: ProcDevices(loaded), resolve: { _ in nil }) == .allowed(by: .init(pattern: "char-ttyUSB", access: "rw")))
        // Allowed now, yet kioskd was refused: systemd resolved the class before the driver
        // loaded. The doctor says to restart, not to add a line that is already there.
        let finding = InstallationDoctor.readerFinding(
            device: "/dev/ttyUSB0", via: "", number: ttyUSB0, unit: Self.check(Self.shipped, procDevices: loaded),
            daemon: .init(device: "/dev/ttyUSB0", protocol: "rdm6300", state: "disconnected", problem: "not allowed by the unit's DeviceAllow="),
            opensHere: nil, unitName: "kioskd.service", serviceUser: "kiosk")
        #expect(finding.level == .fail)
        #expect(finding.message.contains("allowed by DeviceAllow=char-ttyUSB rw now"))
        #expect(finding.fix == "systemctl restart kioskd")
    }

    @Test func otherPolicies() {
        let ttyS1 = Self.devices["/dev/ttyS1"]!
        let table = ProcDevices(Self.procDevices)
        #expect(UnitDeviceAccess(systemctlShow: "DevicePolicy=auto\n").verdict(for: ttyS1, procDevices: table, resolve: { _ in nil }) == .unrestricted)
        #expect(UnitDeviceAccess(systemctlShow: "DevicePolicy=auto\nDeviceAllow=char-fb rw\n").verdict(for: ttyS1, procDevices: table, resolve: { _ in nil }) == .notAllowed)
        #expect(UnitDeviceAccess(systemctlShow: "DevicePolicy=strict\nDeviceAllow=char-tty* rw\n").verdict(for: ttyS1, procDevices: table, resolve: { _ in nil })
                == .allowed(by: .init(pattern: "char-tty*", access: "rw")))
        #expect(UnitDeviceAccess(systemctlShow: "DevicePolicy=closed\nDeviceAllow=/dev/char/4:65 rw\n").verdict(for: ttyS1, procDevices: table, resolve: { _ in nil })
                == .allowed(by: .init(pattern: "/dev/char/4:65", access: "rw")))
        #expect(UnitDeviceAccess(systemctlShow: "DevicePolicy=closed\nDeviceAllow=/dev/ttyS1 r\n").verdict(for: ttyS1, procDevices: table, resolve: { Self.devices[$0] })
                == .readOnly(by: .init(pattern: "/dev/ttyS1", access: "r")))
        // A block class never matches a character device of the same major.
        #expect(UnitDeviceAccess(systemctlShow: "DevicePolicy=closed\nDeviceAllow=block-* rw\n").verdict(for: ttyS1, procDevices: table, resolve: { _ in nil }) == .notAllowed)
    }

    @Test func theReaderAsTheDaemonHoldsIt() {
        let ttyS1 = Self.devices["/dev/ttyS1"]!
        let connected = InstallationDoctor.readerFinding(
            device: "/dev/ttyS1", via: "", number: ttyS1, unit: Self.check(Self.withDropIn),
            daemon: .init(device: "/dev/ttyS1", protocol: "rdm6300", state: "connected", problem: nil), opensHere: nil,
            unitName: "kioskd.service", serviceUser: "kiosk")
        #expect(connected == .ok("reader", "/dev/ttyS1 (char 4:65) held by kioskd, connected (rdm6300); allowed by DeviceAllow=/dev/ttyS1 rw"))

        // As the kiosk user on a board without D-Bus, systemctl cannot be asked: said, not failed.
        let noBus = CommandOutcome(status: 1, output: "", error: "Failed to connect to bus: No such file or directory\n")
        #expect(noBus.problem == "no D-Bus system bus (dbus is not installed or not running): Failed to connect to bus: No such file or directory")
        let unchecked = InstallationDoctor.readerFinding(
            device: "/dev/ttyS1", via: "", number: ttyS1, unit: .failure(.init("systemctl show: \(noBus.problem); as root it needs no D-Bus")),
            daemon: .init(device: "/dev/ttyS1", protocol: "rdm6300", state: "connected", problem: nil), opensHere: nil,
            unitName: "kioskd.service", serviceUser: "kiosk")
        #expect(unchecked.level == .ok)
        #expect(unchecked.message.hasSuffix("the unit's DeviceAllow= not checked (systemctl show: no D-Bus system bus (dbus is not installed or not running): Failed to connect to bus: No such file or directory; as root it needs no D-Bus)"))

        // The reader busy while kioskd does not run: someone else holds it.
        let busy = InstallationDoctor.readerFinding(
            device: "/dev/ttyS1", via: "", number: ttyS1, unit: Self.check(Self.withDropIn), daemon: nil, opensHere: .busy,
            unitName: "kioskd.service", serviceUser: "kiosk")
        #expect(busy.level == .fail && busy.message.contains("kioskd does not hold it") && busy.fix?.contains("fuser -v /dev/ttyS1") == true)
    }

    @Test func timeSynchronisationWithoutDBus() {
        // The recorded board: timesyncd active, no network, no dbus.
        let board = TimeSyncEvidence(
            kernelSynchronized: false, systemdRunning: true, timesyncdInstalled: true, timesyncdState: .success("active"),
            timesyncdSynchronizedSinceBoot: false,
            timedatectl: .failure(.init(CommandOutcome(status: 1, output: "", error: "Failed to connect to bus: No such file or directory\n").problem)))
        let finding = board.finding()
        #expect(finding.level == .warn)
        #expect(finding.message == "not synchronised: the kernel clock is not synchronised (adjtimex: STA_UNSYNC); systemd-timesyncd is active; it has not synchronised since boot; "
                + "not checked: timedatectl (no D-Bus system bus (dbus is not installed or not running): Failed to connect to bus: No such file or directory)")
        #expect(!finding.message.contains("no systemd"), "a missing D-Bus is not a missing systemd")
        #expect(finding.fix?.contains("check the network") == true)

        var synced = board
        synced.kernelSynchronized = true
        synced.timesyncdSynchronizedSinceBoot = true
        #expect(synced.finding().level == .ok)

        var stopped = board
        stopped.timesyncdState = .success("inactive")
        #expect(stopped.finding().fix == "systemctl enable --now systemd-timesyncd")

        var noTimesyncd = board
        noTimesyncd.timesyncdInstalled = false
        #expect(noTimesyncd.finding().fix?.hasPrefix("apt install systemd-timesyncd") == true)

        let noSystemd = TimeSyncEvidence(kernelSynchronized: nil, systemdRunning: false, timesyncdInstalled: false, timesyncdState: .failure(.init("not asked")),
                                         timesyncdSynchronizedSinceBoot: false, timedatectl: .failure(.init("not asked")))
        #expect(noSystemd.finding() == .ok("ntp", "synchronisation state unknown: not checked: adjtimex failed, systemd is not running here, so neither systemd-timesyncd nor timedatectl"))
    }

    @Test func theUnitsStateWhenKioskdDoesNotAnswer() {
        func doctor(_ show: String) -> DoctorFinding {
            var environment = InstallationDoctor.Environment(configPath: "/etc/kiosk/kiosk.conf", stateDirectoryOption: nil)
            environment.systemdRunning = true
            environment.askDaemon = { _ in .notRunning("no kioskd listens on /run/kiosk/kioskd.sock") }
            environment.systemctl = { _ in CommandOutcome(status: 0, output: show, error: "") }
            return InstallationDoctor(environment: environment).checkDaemon().0
        }
        // After a start refused by the configuration (exit 78).
        let failed = doctor("Result=exit-code\nActiveState=failed\nSubState=failed\nUnitFileState=enabled\n")
        #expect(failed.level == .fail)
        #expect(failed.message == "kioskd.service is failed (failed), result exit-code: the checks below open the devices themselves")
        #expect(failed.fix?.contains("journalctl -u kioskd -p warning") == true)
        let stopped = doctor("Result=success\nActiveState=inactive\nSubState=dead\nUnitFileState=disabled\n")
        #expect(stopped.level == .warn && stopped.fix == "systemctl enable --now kioskd")
        let mute = doctor("Result=success\nActiveState=active\nSubState=running\nUnitFileState=enabled\n")
        #expect(mute.level == .warn && mute.message.contains("does not answer"))
    }

    @Test func feedsAsTheDaemonPulledThem() {
        let feed = KioskConfig.Feed(name: "programme", url: "https://example.org/agenda.ics", format: .ics, line: 12)
        let now = ISO8601.parse("2026-11-24T14:05:00Z")!
        let fresh = DaemonStatusReport.Feed(name: "programme", url: feed.url, lastSuccess: now.addingTimeInterval(-600), lastAttempt: now.addingTimeInterval(-600),
                                            lastError: nil, consecutiveFailures: 0, events: 42)
        #expect(InstallationDoctor.feedFinding(feed, fresh, configPath: "/etc/kiosk/kiosk.conf", now: now)
                == .ok("feed programme", "https://example.org/agenda.ics: fetched by kioskd 10 min ago, 42 event(s)"))
        var blip = fresh
        blip.lastError = "HTTP 503"
        blip.consecutiveFailures = 1
        #expect(InstallationDoctor.feedFinding(feed, blip, configPath: "/etc/kiosk/kiosk.conf", now: now).level == .warn)
        blip.consecutiveFailures = FeedPuller.warningAfterFailures
        let failing = InstallationDoctor.feedFinding(feed, blip, configPath: "/etc/kiosk/kiosk.conf", now: now)
        #expect(failing.level == .fail)
        #expect(failing.fix?.contains("journalctl -u kioskd KIOSK_FEED=programme") == true)
        #expect(InstallationDoctor.feedFinding(feed, nil, configPath: "/etc/kiosk/kiosk.conf", now: now).level == .warn)
    }
}
