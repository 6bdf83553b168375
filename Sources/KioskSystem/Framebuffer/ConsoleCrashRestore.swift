import CLinux
import Glibc

/// The console's last line of defence: text mode (`KDSETMODE KD_TEXT`) from a crash
/// signal handler, so that a daemon that dies on SIGSEGV, SIGABRT, SIGBUS or a Swift trap
/// (SIGILL/SIGTRAP) does not leave the screen frozen on its last frame with the console
/// unusable. `ConsoleMode` restores text mode on a normal exit; this covers crashes.
///
/// The handler is C (`CLinux.c`): one ioctl, then the previous handler (the Swift
/// runtime's backtracer, or the default action) is put back and the signal raised again,
/// so the crash still crashes. Process-wide; a duplicate of the descriptor is kept.
/// SIGKILL cannot be caught: a restart of the unit restores the console then.
public enum ConsoleCrashRestore {
    /// Opens `ttyPath` and registers it to be put back in text mode on `signals`.
    public static func install(ttyPath: String, signals: [UnixSignal] = UnixSignal.crashSignals) throws(SystemCallError) {
        let descriptor = try FileDescriptor.open(ttyPath, flags: O_RDWR | O_NOCTTY)
        defer { descriptor.close() }
        let numbers = signals.map(\.rawValue)
        let fd = descriptor.rawValue
        try retryingOnInterrupt("sigaction", "console crash restore for \(ttyPath)") {
            numbers.withUnsafeBufferPointer { list in
                kiosk_console_restore_install(fd, list.baseAddress, Int32(list.count))
            }
        }
    }

    /// Removes the handlers after a clean exit.
    public static func uninstall() { kiosk_console_restore_uninstall() }

    /// The DRM backend's part of the crash handler: drop DRM master on `cardDescriptor`
    /// (so that the kernel's console can set its own mode again) and, with
    /// `processSwitching`, put the console back to automatic VT switching, before text mode.
    /// nil forgets the card: call it so before closing the card. No duplicate is kept.
    public static func releaseDRM(cardDescriptor: Int32?, processSwitching: Bool) {
        kiosk_console_restore_set_drm(cardDescriptor ?? -1, processSwitching ? 1 : 0)
    }
}
