import Foundation
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// What kioskd's status socket answered.
enum DaemonAnswer: Sendable, Equatable {
    case report(DaemonStatusReport)
    /// Nobody listens there (no socket file, or connection refused).
    case notRunning(String)
    /// A socket is there but could not be asked (permissions, a timeout, an answer that is
    /// not a report).
    case unreachable(String)
}

extension InstallationDoctor {
    /// Connects to kioskd's status socket and reads its report.
    static func askDaemon(at path: String) -> DaemonAnswer {
        do {
            let bytes = try UnixStreamClient.readAll(from: path, timeout: 5)
            do { return .report(try DaemonStatusReport.decode(Data(bytes))) } catch {
                return .unreachable("\(path) answered something that is not kioskd's status report (\(error))")
            }
        } catch let error where error.errno == .noSuchFile || error.errno.rawValue == ECONNREFUSED {
            return .notRunning("no kioskd listens on \(path)")
        } catch let error where error.errno == .permissionDenied {
            return .unreachable("\(path): permission denied")
        } catch {
            return .unreachable("\(error)")
        }
    }

    /// The `kioskd` finding, and the report when kioskd answered.
    func checkDaemon() -> (DoctorFinding, DaemonStatusReport?) {
        switch environment.askDaemon(environment.statusSocket) {
        case .report(let report):
            return (.ok("kioskd", "running (pid \(report.pid), \(report.version)): \(report.status)"), report)
        case .unreachable(let reason):
            return (.warn("kioskd", "cannot ask kioskd: \(reason); the checks below open the devices themselves",
                          fix: "run the doctor as root or as the service's user: runuser -u \(environment.serviceUser) -- kioskctl doctor"), nil)
        case .notRunning(let reason):
            guard environment.systemdRunning else {
                return (.ok("kioskd", "not running (\(reason); no systemd here): the checks below open the devices themselves"), nil)
            }
            let outcome = environment.systemctl(["show", "-p", "ActiveState", "-p", "SubState", "-p", "Result", "-p", "UnitFileState", environment.unit])
            let properties = Self.properties(outcome.output)
            guard outcome.status == 0, let active = properties["ActiveState"] else {
                return (.ok("kioskd", "not running (\(reason)); its unit's state is unknown (systemctl: \(outcome.problem)): the checks below open the devices themselves"), nil)
            }
            let state = "\(environment.unit) is \(active)" + (properties["SubState"].map { " (\($0))" } ?? "")
                + (properties["Result"].map { $0 == "success" ? "" : ", result \($0)" } ?? "")
            switch active {
            case "failed":
                return (.fail("kioskd", "\(state): the checks below open the devices themselves",
                              fix: "read why: journalctl -u kioskd -p warning -n 20; fix it, then systemctl restart kioskd"), nil)
            case "active", "reloading", "activating":
                return (.warn("kioskd", "\(state) but does not answer on \(environment.statusSocket) (\(reason))",
                              fix: "a kioskd older than this kioskctl? systemctl restart kioskd"), nil)
            default:
                let enabled = properties["UnitFileState"].map { ", \($0)" } ?? ""
                return (.warn("kioskd", "\(state)\(enabled): the checks below open the devices themselves", fix: "systemctl enable --now kioskd"), nil)
            }
        }
    }

    /// `KEY=value` lines of `systemctl show` (the last one of a key wins).
    static func properties(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }
}
