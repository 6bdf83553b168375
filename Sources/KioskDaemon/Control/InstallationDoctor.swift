import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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

    /// Short name of the check: `config`, `state`, `database`, `framebuffer`, `reader`,
    /// `clock`, `ntp`, `feed NAME`, `http`.
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
/// what should the maintainer change. Reads only: the database is opened read-only, the
/// devices are opened and closed, the listen address is bound for an instant.
///
/// Every input comes in through ``Environment`` so that tests can point it at a temporary
/// configuration, state directory and devices, and fix the clock.
struct InstallationDoctor: Sendable {
    struct Environment: Sendable {
        var configPath: String
        /// `--state-dir`, else `$STATE_DIRECTORY`, else the configuration's.
        var stateDirectoryOption: String?
        var variables: [String: String] = ProcessInfo.processInfo.environment
        var now: Date = Date()
        /// How long one feed may take to answer.
        var feedTimeout: TimeInterval = 5
        /// `timedatectl show -p NTPSynchronized --value`; nil when it cannot be asked.
        var ntpSynchronized: @Sendable () -> Bool? = InstallationDoctor.askTimedatectl
        /// The user the service runs as (sysusers.d), to check ownership when run as root.
        var serviceUser = "kiosk"
        /// What the DRM cards under /dev/dri offer (`InstallationDoctor+Screen.swift`).
        var drmSurveys: @Sendable () -> [DRMCardSurvey] = { DRMCard.surveyAll() }
        /// The mode a CRTC of a card shows now (nil: off, or the card cannot be read).
        var crtcMode: @Sendable (_ cardPath: String, _ crtc: UInt32) -> DRMMode? = InstallationDoctor.readCRTCMode
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
        findings += checkScreen(config)
        findings += checkLogo(config)
        findings += checkReader(config)
        findings += checkClock(config)
        findings += await checkFeeds(config)
        findings += await checkHTTP(config)
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
                          fix: "run the doctor as the service's user or as root: sudo -u \(environment.serviceUser) kioskctl doctor")]
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

    // MARK: devices

    func checkScreen(_ config: KioskConfig) -> [DoctorFinding] {
        switch config.screen.backend {
        case .drm, .auto:
            return checkPixelScreen(config)
        case .framebuffer:
            let device = config.screen.framebuffer
            guard FileManager.default.fileExists(atPath: device) else {
                return [.fail("framebuffer", "\(device) does not exist", fix: "enable a framebuffer driver (on a Raspberry Pi: dtoverlay=vc4-kms-v3d, fbdev emulation is on by default), or set [screen] backend = terminal")]
            }
            do {
                let framebuffer = try FramebufferDevice(path: device, doubleBuffering: false)
                let g = framebuffer.geometry
                return [.ok("framebuffer", "\(device): \(g.width)x\(g.height), \(g.bitsPerPixel) bits per pixel")]
            } catch let error as SystemCallError where error.errno == .permissionDenied {
                return [.fail("framebuffer", "\(device): permission denied", fix: "add the user to group video (usermod -aG video \(environment.serviceUser); the unit has SupplementaryGroups=video)")]
            } catch {
                return [.fail("framebuffer", "\(device): \(error)", fix: "check the framebuffer driver (dmesg | grep -i fb), or set [screen] backend = terminal")]
            }
        default:
            let terminal = config.screen.terminal
            guard terminal != "stdout" else { return [.ok("screen", "terminal backend on standard output (the unit gives it /dev/tty1)")] }
            guard FileManager.default.fileExists(atPath: terminal) else {
                return [.fail("screen", "\(terminal) does not exist", fix: "set [screen] terminal to a console that exists (/dev/tty1) or stdout")]
            }
            return [.ok("screen", "terminal backend on \(terminal)")]
        }
    }

    /// Device paths the unit's `DeviceAllow=` lets kioskd open (systemd/kioskd.service),
    /// besides the `char-ttyUSB` and `char-ttyACM` classes.
    static let unitAllowedDevices = ["/dev/ttyS0", "/dev/ttyAMA0", "/dev/kiosk-badge-reader"]

    func checkReader(_ config: KioskConfig) -> [DoctorFinding] {
        guard let device = config.checkIn.readerDevice else {
            return [.ok("reader", "no [reader] section: check-in is off")]
        }
        let udevHint = "a udev rule gives the reader a stable name (/usr/share/doc/kiosk/examples/99-kiosk-badge-reader.rules, see docs/deployment.md)"
        let resolved = URL(fileURLWithPath: device).resolvingSymlinksInPath().path
        guard FileManager.default.fileExists(atPath: resolved) else {
            return [.fail("reader", "\(device) does not exist (reader unplugged, or the name changed)", fix: "plug the reader in and check ls -l /dev/ttyUSB* /dev/ttyACM*; \(udevHint)")]
        }
        let fd = open(device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let error = Errno.current
            if error == .permissionDenied {
                return [.fail("reader", "\(device): permission denied", fix: "add the user to group dialout (usermod -aG dialout \(environment.serviceUser)); \(udevHint) with GROUP=\"dialout\"")]
            }
            return [.fail("reader", "\(device): \(error)", fix: "check the cable and dmesg; \(udevHint)")]
        }
        close(fd)
        let via = resolved == device ? "" : " (\(resolved))"
        let name = (resolved as NSString).lastPathComponent
        let allowed = name.hasPrefix("ttyUSB") || name.hasPrefix("ttyACM")
            || Self.unitAllowedDevices.contains(device) || Self.unitAllowedDevices.contains(resolved)
        if !allowed {
            return [.warn("reader", "\(device)\(via) opens, but kioskd.service's DeviceAllow= does not list it",
                          fix: "systemctl edit kioskd, add [Service] DeviceAllow=\(device) rw (or name it /dev/kiosk-badge-reader with the udev rule)")]
        }
        if resolved == device && (name.hasPrefix("ttyUSB") || name.hasPrefix("ttyACM")) {
            return [.warn("reader", "\(device) opens; its number can change when USB devices are plugged in another order", fix: udevHint)]
        }
        return [.ok("reader", "\(device)\(via) opens")]
    }

    // MARK: clock

    func checkClock(_ config: KioskConfig) -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        let zone = config.venue.timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let year = calendar.component(.year, from: environment.now)
        if year < 2025 {
            findings.append(.fail("clock", "the clock says \(ISO8601.format(environment.now)): not set (no battery-backed clock?)",
                                  fix: "enable time synchronisation: systemctl enable --now systemd-timesyncd (the screen hides the time until then)"))
        } else {
            let offset = zone.secondsFromGMT(for: environment.now)
            let sign = offset < 0 ? "-" : "+"
            let text = String(format: "UTC%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
            findings.append(.ok("clock", "\(ISO8601.format(environment.now)); venue zone \(zone.identifier) (\(text) now)"))
        }
        switch environment.ntpSynchronized() {
        case true?: findings.append(.ok("ntp", "synchronised (timedatectl)"))
        case false?: findings.append(.warn("ntp", "not synchronised (timedatectl NTPSynchronized=no)", fix: "systemctl enable --now systemd-timesyncd, and check the network"))
        case nil: findings.append(.ok("ntp", "synchronisation state unknown (no timedatectl or no systemd here)"))
        }
        return findings
    }

    /// `timedatectl show -p NTPSynchronized --value`: nil when it is missing or fails.
    @Sendable static func askTimedatectl() -> Bool? {
        let path = ["/usr/bin/timedatectl", "/bin/timedatectl"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["show", "-p", "NTPSynchronized", "--value"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        switch String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) {
        case "yes": return true
        case "no": return false
        default: return nil
        }
    }

    // MARK: feeds

    func checkFeeds(_ config: KioskConfig) async -> [DoctorFinding] {
        if config.feeds.isEmpty { return [.ok("feeds", "no [feed] configured (programmes only by push)")] }
        var findings: [DoctorFinding] = []
        for feed in config.feeds {
            let check = "feed \(feed.name)"
            guard let url = FeedFetcher.resolve(feed.url, relativeTo: config.path) else {
                findings.append(.fail(check, "\(feed.url) is not a URL or path", fix: "fix url = in [feed \"\(feed.name)\"] at \(config.path):\(feed.line)"))
                continue
            }
            if url.isFileURL {
                if FileManager.default.isReadableFile(atPath: url.path) {
                    findings.append(.ok(check, "\(url.path) is readable"))
                } else {
                    findings.append(.fail(check, "\(url.path) is missing or not readable", fix: "create it, or fix url = in [feed \"\(feed.name)\"] at \(config.path):\(feed.line) (relative paths start from the configuration's directory)"))
                }
                continue
            }
            findings.append(await probe(feed, url: url, check: check, configPath: config.path))
        }
        return findings
    }

    /// HEAD, then GET when the server does not do HEAD (405, 501).
    func probe(_ feed: KioskConfig.Feed, url: URL, check: String, configPath: String) async -> DoctorFinding {
        let timeout = min(environment.feedTimeout, feed.timeout)
        var status = 0
        for method in ["HEAD", "GET"] {
            var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
            request.httpMethod = method
            request.setValue("kioskctl-doctor/0.1", forHTTPHeaderField: "User-Agent")
            if let key = feed.key { request.setValue(key, forHTTPHeaderField: "key") }
            do {
                status = try await APIClient.perform(request, timeout: timeout).status
            } catch {
                return .fail(check, "\(url.absoluteString) unreachable: \(error.reason)",
                             fix: "check the board's network and DNS (the screen keeps the last good programme meanwhile), or fix url = in [feed \"\(feed.name)\"] at \(configPath):\(feed.line)")
            }
            if status != 405 && status != 501 { break }
        }
        if (200..<400).contains(status) { return .ok(check, "\(url.absoluteString) answers HTTP \(status)") }
        let fix = status == 401 || status == 403
            ? "the feed refuses us: check key = (OpenAgenda public key) in [feed \"\(feed.name)\"] at \(configPath):\(feed.line)"
            : "open the url of [feed \"\(feed.name)\"] (\(configPath):\(feed.line)) in a browser and fix it"
        return .fail(check, "\(url.absoluteString) answers HTTP \(status)", fix: fix)
    }

    // MARK: HTTP API

    func checkHTTP(_ config: KioskConfig) async -> [DoctorFinding] {
        guard let listen = config.http.listen else { return [.ok("http", "API off ([http] listen = off)")] }
        if !listen.isLoopback && config.tokens.isEmpty {
            return [.fail("http", "listens on \(listen) without any [token]: kioskd refuses to start", fix: "add a token (kioskctl token new --name NAME --role staff) or listen on 127.0.0.1")]
        }
        let address: SocketAddress
        do { address = try SocketAddress(parsing: listen.description) } catch {
            return [.fail("http", "\(listen) is not an address to listen on: \(error)", fix: "fix listen = at \(config.path):\(config.http.listenLine)")]
        }
        let exposure = listen.isLoopback ? " (loopback only)" : " (\(config.tokens.count) token(s))"
        do {
            let listener = try TCPListener.listening(on: address)
            listener.close()
            return [.ok("http", "\(listen) is free for kioskd\(exposure)")]
        } catch let error where error.errno == Errno(rawValue: EADDRINUSE) {
            // Taken: by kioskd (its /healthz answers with a status) or by something else?
            let host = listen.isIPv6 ? "[\(listen.host)]" : (listen.host == "0.0.0.0" ? "127.0.0.1" : listen.host)
            if let url = URL(string: "http://\(host):\(listen.port)"),
               let response = try? await APIClient(baseURL: url, token: nil, timeout: 3).send("GET", "/healthz"),
               response.jsonObject?["status"] != nil {
                return [.ok("http", "\(listen) is served by kioskd (/healthz answers)\(exposure)")]
            }
            return [.fail("http", "\(listen) is taken by another program", fix: "find it with: ss -ltnp 'sport = :\(listen.port)', or choose another listen = at \(config.path):\(config.http.listenLine)")]
        } catch {
            return [.warn("http", "cannot test \(listen): \(error)", fix: "check that the address belongs to this board (ip addr)")]
        }
    }
}
