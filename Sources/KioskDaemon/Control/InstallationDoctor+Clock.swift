import Foundation
import KioskCore

extension InstallationDoctor {
    // MARK: clock

    func checkClock(_ config: KioskConfig) -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        let zone = config.venue.timeZone
        let year = zone.civilDate(of: environment.now).year
        if year < 2025 {
            findings.append(.fail("clock", "the clock says \(ISO8601.format(environment.now)): not set (no battery-backed clock?)",
                                  fix: "enable time synchronisation: systemctl enable --now systemd-timesyncd (the screen hides the time until then)"))
        } else {
            let offset = zone.secondsFromGMT(for: environment.now)
            let sign = offset < 0 ? "-" : "+"
            let text = String(format: "UTC%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
            findings.append(.ok("clock", "\(ISO8601.format(environment.now)); venue zone \(zone.identifier) (\(text) now)"))
        }
        findings.append(environment.timeSync().finding())
        return findings
    }
}
