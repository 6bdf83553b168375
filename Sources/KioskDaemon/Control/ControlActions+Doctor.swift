import Foundation
import KioskCore

extension ControlCommand {
    static var doctorSubcommand: Subcommand {
        Subcommand(
            name: "doctor", summary: "check this installation and say what to fix",
            usage: """
            kioskctl doctor [--format text|json] [--feed-timeout SECONDS] [--socket PATH] [--config FILE] [--state-dir DIR]

            Checks, one line each (ok, warn or FAIL, with what to do):
              config       the configuration reads without error (else file:line)
              state        the state directory exists and is writable (owned by kiosk, as root)
              database     the database passes PRAGMA integrity_check and has this kiosk's schema
              kioskd       the daemon answers on its status socket (--socket, default
                           /run/kiosk/kioskd.sock), else the unit's state (systemctl show)
              framebuffer  the display as kioskd draws it; when kioskd does not answer, the
              / screen     device is opened here (framebuffer: FBIOGET_VSCREENINFO; drm or auto:
                           which backend, card, connector and mode kioskd would use, and why)
              reader       ([reader]) the badge reader exists, the unit's effective DeviceAllow=
                           (systemctl show, drop-ins included) lets kioskd open it (else the line
                           to add), and kioskd holds it (or it opens here when kioskd does not run)
              clock, ntp   the clock is set (year 2025 or later), the venue's zone; synchronisation
                           from the kernel (adjtimex), systemd-timesyncd and timedatectl, saying
                           which could not be read and why (timedatectl needs D-Bus)
              feed NAME    each feed as kioskd last pulled it; when kioskd does not answer, each URL
                           is asked (HEAD, short timeout) and each local file must be readable
              http         the API's listen address is held by kioskd, or free; never open without a token
            Run it as root or as the service's user (runuser -u kiosk -- kioskctl doctor).
            Reads only: the database is opened read-only. Exit 1 when a check FAILs.

            \(common)
            """,
            valued: ["--config", "--state-dir", "--format", "--feed-timeout", "--socket"], flags: [], run: ControlActions.doctor)
    }
}

extension ControlActions {
    static let doctor: @Sendable (CommandLineOptions, inout ControlOutput) async throws -> ExitStatus = { options, out in
        try noPositionals(options)
        let fmt = try format(options, allowed: ["text", "json"])
        let environment = ProcessInfo.processInfo.environment
        var setting = InstallationDoctor.Environment(
            configPath: options.value("--config") ?? environment["KIOSK_CONFIG"] ?? "/etc/kiosk/kiosk.conf",
            stateDirectoryOption: options.value("--state-dir"))
        if let socket = options.value("--socket") { setting.statusSocket = socket }
        if let text = options.value("--feed-timeout") {
            guard let seconds = TimeInterval(text), seconds > 0, seconds <= 120 else { throw UsageError("--feed-timeout takes 1 to 120 seconds") }
            setting.feedTimeout = seconds
        }
        let findings = await InstallationDoctor(environment: setting).run()
        let worst = findings.map(\.level).max() ?? .ok
        if fmt == "json" {
            out.out(try json([
                "ok": worst != .fail,
                "checks": findings.map { f -> [String: Any] in
                    var d: [String: Any] = ["check": f.check, "status": f.level.rawValue, "message": f.message]
                    d["fix"] = f.fix
                    return d
                },
            ]))
        } else {
            let width = findings.map(\.check.count).max() ?? 0
            for f in findings {
                let level = f.level.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)
                out.out("\(level)  \(f.check.padding(toLength: width, withPad: " ", startingAt: 0))  \(TerminalText.sanitized(f.message))")
                if let fix = f.fix { out.out("      \(String(repeating: " ", count: width))  -> \(TerminalText.sanitized(fix))") }
            }
            let failures = findings.filter { $0.level == .fail }.count
            let warnings = findings.filter { $0.level == .warn }.count
            out.out(failures == 0 && warnings == 0 ? "all \(findings.count) checks passed"
                    : "\(failures) failed, \(warnings) warning(s), \(findings.count) checks")
        }
        return worst == .fail ? .failure : .ok
    }
}
