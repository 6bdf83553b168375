import CLinux
import Glibc

/// A virtual console switched to graphics mode (`KDSETMODE KD_GRAPHICS`), so that the
/// kernel stops drawing text and the cursor over the framebuffer; text mode (`KD_TEXT`)
/// comes back with `restore()` or, at the latest, in `deinit`.
///
/// Needs the tty as controlling terminal (systemd: `TTYPath=/dev/tty1`,
/// `StandardInput=tty`) or `CAP_SYS_TTY_CONFIG`; on anything that is not a virtual
/// console (a pseudo-terminal, a file) the initialiser throws. A process killed by
/// SIGKILL leaves the console in graphics mode: `kbd_mode`/`chvt` or a restart of the
/// unit fixes it.
///
/// Not `Sendable`: one owner (the framebuffer display).
public final class ConsoleMode {
    public let path: String
    private let descriptor: FileDescriptor
    private var isGraphics = false

    /// Opens the console at `path` (e.g. `/dev/tty1`, or `/dev/tty0` for the current one)
    /// and switches it to graphics mode.
    public init(ttyPath path: String) throws(SystemCallError) {
        self.path = path
        descriptor = try FileDescriptor.open(path, flags: O_RDWR | O_NOCTTY)
        try setMode(UInt(KD_GRAPHICS))
        isGraphics = true
    }

    /// Takes an already open console (standard input under systemd's `TTYPath`); the
    /// descriptor is closed with this object.
    public init(adopting descriptor: FileDescriptor) throws(SystemCallError) {
        path = descriptor.name
        self.descriptor = descriptor
        try setMode(UInt(KD_GRAPHICS))
        isGraphics = true
    }

    /// Whether the console is (still) in graphics mode because of us.
    public var isInGraphicsMode: Bool { isGraphics }

    /// Puts the console back to text mode. Safe to call more than once.
    public func restore() {
        guard isGraphics else { return }
        isGraphics = false
        _ = kiosk_ioctl_int(descriptor.rawValue, UInt(KDSETMODE), UInt(KD_TEXT))
    }

    /// Graphics mode again after a `restore()` (e.g. when the screen wakes up).
    public func enterGraphicsMode() throws(SystemCallError) {
        guard !isGraphics else { return }
        try setMode(UInt(KD_GRAPHICS))
        isGraphics = true
    }

    /// Puts the virtual console open on `descriptor` back in text mode if something left it
    /// in graphics mode (a framebuffer kioskd killed by SIGKILL, e.g. by the watchdog).
    /// The terminal backend calls it before drawing on the console: the unit does not
    /// reset the tty (`TTYReset=` would also apply to `ExecReload=`, see
    /// systemd/kioskd.service). Returns true when it switched; false when the console was
    /// already in text mode or `descriptor` is not a virtual console (a pseudo-terminal).
    @discardableResult
    public static func leaveGraphicsMode(descriptor: Int32) -> Bool {
        var mode: Int32 = 0
        guard kiosk_ioctl_ptr(descriptor, UInt(KDGETMODE), &mode) == 0, mode == Int32(KD_GRAPHICS) else { return false }
        return kiosk_ioctl_int(descriptor, UInt(KDSETMODE), UInt(KD_TEXT)) == 0
    }

    private func setMode(_ mode: UInt) throws(SystemCallError) {
        let raw = descriptor.rawValue
        try retryingOnInterrupt("ioctl(KDSETMODE)", path) { kiosk_ioctl_int(raw, UInt(KDSETMODE), mode) }
    }

    deinit {
        restore()
        descriptor.close()
    }
}
