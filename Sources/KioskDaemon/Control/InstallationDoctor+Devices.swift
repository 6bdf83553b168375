import Foundation
import Glibc
import KioskCore
import KioskSystem

extension InstallationDoctor {
    // MARK: screen

    /// The display: as kioskd reports it when it runs (the doctor must not take the
    /// framebuffer or the console from it), else opened here.
    func checkScreen(_ config: KioskConfig, daemon: DaemonStatusReport?) -> [DoctorFinding] {
        if let display = daemon?.display {
            let check = display.backend == "framebuffer" ? "framebuffer" : "screen"
            if let failure = display.failure {
                return [.fail(check, "kioskd cannot draw on \(display.device): \(failure)",
                              fix: "journalctl -u kioskd -p warning says since when; systemd restarts kioskd when its watchdog is no longer fed")]
            }
            // DRM: which card, connector and mode, read without taking the card (kioskd is master).
            if config.screen.backend == .drm || config.screen.backend == .auto { return checkPixelScreen(config) }
            let size = display.picture.map { "\($0) pixels" } ?? "\(display.columns)x\(display.rows) cells"
            return [.ok(check, "\(display.backend) backend on \(display.device), drawn by kioskd (\(size))")]
        }
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

    // MARK: reader

    static let udevHint = "a udev rule gives the reader a stable name (/usr/share/doc/kiosk/examples/99-kiosk-badge-reader.rules, see docs/deployment.md)"

    /// The badge reader: it exists; the unit's effective device policy lets kioskd open it
    /// (else the exact `DeviceAllow=` line to add); kioskd holds it (when kioskd answers)
    /// or it opens here (when it does not).
    func checkReader(_ config: KioskConfig, daemon: DaemonStatusReport?) -> [DoctorFinding] {
        guard let device = config.checkIn.readerDevice else {
            return [.ok("reader", "no [reader] section: check-in is off")]
        }
        let resolved = URL(fileURLWithPath: device).resolvingSymlinksInPath().path
        let via = resolved == device ? "" : " (\(resolved))"
        guard case .success(let number) = environment.deviceNumber(device) else {
            return [.fail("reader", "\(device) does not exist (reader unplugged, or the name changed)", fix: "plug the reader in and check ls -l /dev/ttyUSB* /dev/ttyACM*; \(Self.udevHint)")]
        }
        let unit = unitDeviceAccess()
        return [Self.readerFinding(
            device: device, via: via, number: number, unit: unit, daemon: daemon?.reader,
            opensHere: daemon == nil ? openReader(device) : nil, unitName: environment.unit, serviceUser: environment.serviceUser)]
    }

    /// Whether the unit lets kioskd open a device: its effective policy with the
    /// `/proc/devices` table and a resolver for path entries, or why it is unknown.
    struct UnitAccessCheck: Sendable {
        var access: UnitDeviceAccess
        var procDevices: ProcDevices
        var resolve: @Sendable (String) -> DeviceNumber?
    }

    func unitDeviceAccess() -> Result<UnitAccessCheck, TimeSyncEvidence.Reason> {
        guard environment.systemdRunning else { return .failure(.init("systemd is not running here")) }
        let outcome = environment.systemctl(["show", "-p", "LoadState", "-p", "DevicePolicy", "-p", "DeviceAllow", environment.unit])
        guard outcome.status == 0 else {
            // As root, systemctl reaches systemd over its private socket; other users need D-Bus.
            let hint = getuid() != 0 && outcome.problem.contains("D-Bus") ? "; as root it needs no D-Bus" : ""
            return .failure(.init("systemctl show: \(outcome.problem)\(hint)"))
        }
        guard Self.properties(outcome.output)["LoadState"] != "not-found" else { return .failure(.init("\(environment.unit) is not installed")) }
        guard let table = environment.procDevices() else { return .failure(.init("/proc/devices cannot be read")) }
        let resolve = environment.deviceNumber
        return .success(UnitAccessCheck(access: UnitDeviceAccess(systemctlShow: outcome.output), procDevices: ProcDevices(table),
                                        resolve: { try? resolve($0).get() }))
    }

    /// Opens the reader as kioskd would (read-write, non-blocking) and closes it; nil when it opens.
    func openReader(_ device: String) -> Errno? {
        let fd = open(device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return Errno.current }
        close(fd)
        return nil
    }

    /// The reader's finding from what is known of it: the doctor's reasoning, apart from
    /// the machine (tests give recorded `systemctl show` outputs and daemon answers).
    static func readerFinding(
        device: String, via: String, number: DeviceNumber, unit: Result<UnitAccessCheck, TimeSyncEvidence.Reason>,
        daemon: DaemonStatusReport.Reader?, opensHere: Errno?, unitName: String, serviceUser: String
    ) -> DoctorFinding {
        let name = "\(device)\(via) (\(number))"
        let line = UnitDeviceAccess.line(for: device)
        let addLine = "run `systemctl edit kioskd`, add the two lines `[Service]` and `\(line)`, then `systemctl restart kioskd`"
        var allowedBy = ""
        switch unit {
        case .success(let check):
            switch check.access.verdict(for: number, procDevices: check.procDevices, resolve: check.resolve) {
            case .notAllowed:
                return .fail("reader", "\(name) is not allowed by \(unitName) (\(check.access.summary)): kioskd cannot open it", fix: addLine)
            case .readOnly(let entry):
                return .fail("reader", "\(name) is allowed read-only by DeviceAllow=\(entry.pattern) \(entry.access) in \(unitName)", fix: addLine)
            case .allowed(let entry):
                allowedBy = "; allowed by DeviceAllow=\(entry.pattern) \(entry.access)"
            case .unrestricted:
                allowedBy = "; \(unitName) restricts no device"
            }
        case .failure(let reason):
            allowedBy = "; the unit's DeviceAllow= not checked (\(reason))"
        }
        if let daemon {
            switch daemon.state {
            case "connected":
                let usb = number.isCharacter && (number.major == 188 || number.major == 166) && via.isEmpty
                if usb {
                    return .warn("reader", "\(name) held by kioskd, connected (\(daemon.protocol))\(allowedBy); its number can change when USB devices are plugged in another order", fix: udevHint)
                }
                return .ok("reader", "\(name) held by kioskd, connected (\(daemon.protocol))\(allowedBy)")
            case "connecting":
                return .warn("reader", "kioskd is opening \(name)\(allowedBy)", fix: "run the doctor again in a few seconds")
            default:
                let problem = daemon.problem ?? daemon.state
                if problem.contains("DeviceAllow"), case .success = unit {
                    // The unit allows it now, yet the kernel refused kioskd: systemd resolved
                    // DeviceAllow= when kioskd started, before this device or its driver was there.
                    return .fail("reader", "kioskd cannot use \(name): \(problem)\(allowedBy) now; systemd resolved DeviceAllow= when kioskd started, "
                                 + "before the device (a udev symlink) or its driver (char-ttyUSB, char-ttyACM) was there",
                                 fix: "systemctl restart kioskd")
                }
                return .fail("reader", "kioskd cannot use \(name): \(problem)\(allowedBy)",
                             fix: "journalctl -u kioskd KIOSK_DEVICE=\(device) -n 5 says what happened; \(udevHint)")
            }
        }
        if let error = opensHere {
            switch error {
            case .permissionDenied:
                return .fail("reader", "\(name): permission denied\(allowedBy)", fix: "add the user to group dialout (usermod -aG dialout \(serviceUser)); \(udevHint) with GROUP=\"dialout\"")
            case .busy:
                return .fail("reader", "\(name): busy, and kioskd does not hold it\(allowedBy)", fix: "find who holds it: fuser -v \(device) (a getty on that port?)")
            default:
                return .fail("reader", "\(name): \(error)\(allowedBy)", fix: "check the cable and dmesg; \(udevHint)")
            }
        }
        if number.isCharacter && (number.major == 188 || number.major == 166) && via.isEmpty {
            return .warn("reader", "\(name) opens\(allowedBy); its number can change when USB devices are plugged in another order", fix: udevHint)
        }
        return .ok("reader", "\(name) opens\(allowedBy)")
    }
}
