import Foundation
import Glibc
import KioskCore
import KioskStore
import KioskSystem

/// One line of `kioskctl doctor`: what was checked, how it went, and what to do.
struct DoctorFinding: Sendable, Equatable {
    enum Level: String, Sendable, Comparable {
        case ok, warn, fail = "FAIL"
        private var rank: Int { self == .ok ? 0 : self == .warn ? 1 : 2 }
        static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    /// Short name of the check: `config`, `state`, `database`, `kioskd`, `framebuffer` or
    /// `screen`, `reader`, `clock`, `ntp`, `feed NAME`, `http`.
    var check: String
    var level: Level
    /// What was found, with the path or address it is about.
    var message: String
    /// What to do about it; nil when nothing is needed.
    var fix: String?

    static func ok(_ check: String, _ message: String) -> DoctorFinding { DoctorFinding(check: check, level: .ok, message: message) }
    static func warn(_ check: String, _ message: String, fix: String? = nil) -> DoctorFinding { DoctorFinding(check: check, level: .warn, message: message, fix: fix) }
    static func fail(_ check: String, _ message: String, fix: String? = nil) -> DoctorFinding { DoctorFinding(check: check, level: .fail, message: message, fix: fix) }
}

/// The checks of `kioskctl doctor`: is this installation able to run the kiosk, and if not,
/// what should the maintainer change. Reads only: the database is opened read-only.
///
/// On a running board it asks kioskd what it holds (its status socket,
/// `DaemonStatusReport`): the display, the reader, the feeds, the store. Only when kioskd
/// does not answer does it open the devices itself, probe the feeds and bind the listen
/// address for an instant. The reader is also checked against the unit's effective
/// `DeviceAllow=` (`systemctl show`, drop-ins included), and time synchronisation through
/// every source it can read (`TimeSyncEvidence`), saying which it could not read and why.
///
/// Every input comes in through ``Environment`` so that tests can point it at a temporary
/// configuration, state directory and devices, recorded `systemctl show` outputs and a
/// recorded daemon answer, and fix the clock.
struct InstallationDoctor: Sendable {
    struct Environment: Sendable {
        var configPath: String
        /// `--state-dir`, else `$STATE_DIRECTORY`, else the configuration's.
        var stateDirectoryOption: String?
        var variables: [String: String] = ProcessInfo.processInfo.environment
        var now: Date = Date()
        /// How long one feed may take to answer.
        var feedTimeout: TimeInterval = 5
        /// Every source of time synchronisation state on this machine.
        var timeSync: @Sendable () -> TimeSyncEvidence = { TimeSyncEvidence.gather() }
        /// The user the service runs as (sysusers.d), to check ownership when run as root.
        var serviceUser = "kiosk"
        /// What the DRM cards under /dev/dri offer (`InstallationDoctor+Screen.swift`).
        var drmSurveys: @Sendable () -> [DRMCardSurvey] = { DRMCard.surveyAll() }
        /// The mode a CRTC of a card shows now (nil: off, or the card cannot be read).
        var crtcMode: @Sendable (_ cardPath: String, _ crtc: UInt32) -> DRMMode? = InstallationDoctor.readCRTCMode
        /// kioskd's status socket (`--socket`).
        var statusSocket = DaemonStatusSocket.defaultPath
        /// Asks kioskd at a socket path (`InstallationDoctor.askDaemon`).
        var askDaemon: @Sendable (String) -> DaemonAnswer = { InstallationDoctor.askDaemon(at: $0) }
        /// Runs `systemctl` with these arguments (recorded outputs in tests).
        var systemctl: @Sendable ([String]) -> CommandOutcome = { CommandOutcome.run("systemctl", $0) }
        /// `/proc/devices`, or nil when it cannot be read.
        var procDevices: @Sendable () -> String? = { ProcFile.read("/proc/devices") }
        /// The device number of a path (symlinks followed).
        var deviceNumber: @Sendable (String) -> Result<DeviceNumber, Errno> = { DeviceNumber.of($0) }
        /// Whether systemd is PID 1 (`/run/systemd/system`).
        var systemdRunning = FileManager.default.fileExists(atPath: "/run/systemd/system")
        /// The unit kioskd runs as.
        var unit = "kioskd.service"
    }

    var environment: Environment

    func run() async -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        let config: KioskConfig
        do {
            config = try KioskConfig.load(path: environment.configPath)
            findings.append(.ok("config", "\(config.path): valid (\(config.venue.name), \(config.feeds.count) feed(s), backend \(config.screen.backend.rawValue))"))
        } catch {
            let fix = error.line > 0
                ? "edit \(error.path) at line \(error.line), then run kioskctl doctor again"
                : "install the default configuration there (scripts/install, or /usr/share/doc/kiosk/examples/kiosk.conf), or give --config FILE"
            findings.append(.fail("config", error.description, fix: fix))
            return findings
        }
        let directory = StateLocation.directory(option: environment.stateDirectoryOption, environment: environment.variables, config: config)
        findings += checkState(directory)
        findings += checkDatabase(directory)
        let (daemonFinding, report) = checkDaemon()
        findings.append(daemonFinding)
        findings += checkScreen(config, daemon: report)
        findings += checkLogo(config)
        findings += checkReader(config, daemon: report)
        findings += checkClock(config)
        findings += await checkFeeds(config, daemon: report)
        findings += await checkHTTP(config, daemon: report)
        return findings
    }

    // MARK: state directory and database

    func checkState(_ directory: String) -> [DoctorFinding] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            return [.warn("state", "\(directory) does not exist yet",
                          fix: "systemd creates it at the service's first start (StateDirectory=); or run: systemd-tmpfiles --create kiosk.conf")]
        }
        guard isDirectory.boolValue else {
            return [.fail("state", "\(directory) is not a directory", fix: "move it away; kioskd keeps its database in this directory")]
        }
        let probe = directory + "/.kioskctl-doctor-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            return [.fail("state", "\(directory) is not writable (\(reason))", fix: "chown \(environment.serviceUser): \(directory) and chmod 750 it (systemd-tmpfiles --create kiosk.conf does both)")]
        }
        close(fd)
        unlink(probe)
        // Writable for us; as root, also say when the service's user does not own it.
        if getuid() == 0, let user = getpwnam(environment.serviceUser) {
            var info = stat()
            if stat(directory, &info) == 0, info.st_uid != user.pointee.pw_uid {
                return [.warn("state", "\(directory) is not owned by \(environment.serviceUser)", fix: "chown -R \(environment.serviceUser): \(directory)")]
            }
        }
        return [.ok("state", "\(directory) is writable")]
    }

    func checkDatabase(_ directory: String) -> [DoctorFinding] {
        let path = (directory as NSString).appendingPathComponent(StateStore.fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            return [.ok("database", "\(path) does not exist yet: kioskd creates it at its first start")]
        }
        let restore = "stop kioskd (systemctl stop kioskd), move \(path) aside (with its -wal and -shm files) and start kioskd: it starts an empty database and the feeds refill the programme; residents, notices and check-ins must be imported again or recovered with: sqlite3 OLD .recover | sqlite3 \(path)"
        guard access(path, R_OK) == 0 else {
            return [.warn("database", "\(path) is not readable by this user (\(String(cString: strerror(errno)))): not checked",
                          fix: "run the doctor as the service's user or as root: runuser -u \(environment.serviceUser) -- kioskctl doctor")]
        }
        var configuration = Database.Configuration()
        configuration.readOnly = true
        configuration.requiresWAL = false
        do {
            let database = try Database(path: path, configuration: configuration)
            defer { try? database.close() }
            let damage = try database.integrityCheck(maxErrors: 5)
            if !damage.isEmpty {
                return [.fail("database", "\(path) is damaged: \(damage.joined(separator: "; "))", fix: restore)]
            }
            let version = try database.userVersion()
            let latest = StoreSchema.latestVersion
            if version > latest {
                return [.fail("database", "\(path) has schema version \(version), newer than this kiosk's \(latest)", fix: "install the kiosk version that wrote it (downgrades are not supported)")]
            }
            if version < latest {
                return [.warn("database", "\(path) passes the integrity check; schema version \(version), kioskd will migrate it to \(latest) at its next start",
                              fix: "back it up first: sqlite3 \(path) \".backup /root/kiosk-before-upgrade.sqlite3\"")]
            }
            return [.ok("database", "\(path) passes the integrity check, schema version \(version)")]
        } catch {
            return [.fail("database", "\(path) cannot be read: \(error)", fix: restore)]
        }
    }
}
