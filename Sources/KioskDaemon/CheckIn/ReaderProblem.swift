import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// What a reader that cannot be opened or was lost means for a maintainer: a few words
/// for `systemctl status` and `kioskctl doctor`, and what to do, for the journal.
///
/// The errno of a failed `open` tells the causes apart: `EPERM` on a device node comes
/// from the unit's device policy (`DevicePolicy=closed`: the cgroup refuses a device that
/// no `DeviceAllow=` names), `EACCES` from the file's permissions (the `dialout` group),
/// `ENOENT` from a reader unplugged or a udev name gone, `EBUSY` from another program
/// holding the port.
struct ReaderProblem: Sendable, Equatable {
    /// A few words, e.g. "not allowed by the unit's DeviceAllow=".
    var summary: String
    /// What to do; nil when there is nothing better than waiting for it to come back.
    var advice: String?

    init(_ reason: SerialDisconnection, device: String) {
        switch reason {
        case .openFailed(_, let errno) where errno.rawValue == EPERM:
            summary = "not allowed by the unit's DeviceAllow="
            advice = "kioskd.service's device policy does not let kioskd open \(device): add the line DeviceAllow=\(device) rw "
                + "with `systemctl edit kioskd`, then `systemctl restart kioskd` (systemd resolves DeviceAllow= when kioskd starts: "
                + "a udev symlink must exist and a char-ttyUSB/char-ttyACM driver be loaded by then; kioskctl doctor tells which)"
        case .openFailed(_, let errno) where errno == .permissionDenied:
            summary = "permission denied"
            advice = "the kiosk user cannot open \(device): give it to group dialout (a udev rule with GROUP=\"dialout\", see docs/deployment.md)"
        case .openFailed(_, let errno) where errno == .noSuchFile:
            summary = "device missing"
            advice = "plug the reader in, or check the udev rule that names it (ls -l /dev/ttyUSB* /dev/ttyACM*)"
        case .openFailed(_, let errno) where errno == .busy:
            summary = "held by another program"
            advice = "another program has \(device) open (fuser -v \(device)); a getty on that port? (systemctl status serial-getty@\(device.split(separator: "/").last.map(String.init) ?? device))"
        case .openFailed:
            summary = "cannot be opened"
            advice = nil
        case .readFailed, .hangUp, .endOfFile:
            summary = "disconnected"
            advice = nil
        }
    }
}
