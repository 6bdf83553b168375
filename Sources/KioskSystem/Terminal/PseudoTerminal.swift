import CLinux
import Glibc

/// A pseudo-terminal pair: the *controller* side (what a terminal emulator holds) and
/// the *device* side (`/dev/pts/N`, what a program sees as its tty).
///
/// For tests of code that needs a real tty: window-size ioctls, line settings, a serial
/// port stand-in. Both descriptors close with this object.
public final class PseudoTerminal {
    public let controller: FileDescriptor
    public let device: FileDescriptor
    /// The device side's path, e.g. `/dev/pts/3`.
    public let devicePath: String

    /// Opens a new pair (`posix_openpt`, `grantpt`, `unlockpt`, `ptsname_r`, then `open`
    /// of the device side without making it the controlling terminal).
    public init() throws(SystemCallError) {
        let fd = try retryingOnInterrupt("posix_openpt", "/dev/ptmx") {
            kiosk_posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        }
        let controller = FileDescriptor(adopting: fd, name: "/dev/ptmx")
        try retryingOnInterrupt("grantpt", "/dev/ptmx") { kiosk_grantpt(fd) }
        try retryingOnInterrupt("unlockpt", "/dev/ptmx") { kiosk_unlockpt(fd) }
        var name = [CChar](repeating: 0, count: 128)
        try retryingOnInterrupt("ptsname_r", "/dev/ptmx") { kiosk_ptsname_r(fd, &name, UInt(name.count)) }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.controller = controller
        device = try FileDescriptor.open(path, flags: O_RDWR | O_NOCTTY)
        devicePath = path
    }
}
