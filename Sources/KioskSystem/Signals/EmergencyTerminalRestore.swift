import CLinux
import Glibc

/// The last line of defence for the terminal: bytes written from a crash signal handler.
///
/// When the daemon crashes (SIGSEGV, SIGABRT, SIGBUS, and the SIGILL/SIGTRAP of a Swift
/// trap) with the terminal in the alternate screen, cursor hidden and auto-wrap off, the
/// shell would be left unusable. `install(_:on:signals:)` copies the restore bytes (e.g.
/// `TerminalSession.restoreBytes`) into static memory and installs a handler, written in C
/// (`CLinux.c`) so that it only calls async-signal-safe functions: `write(2)` of those
/// bytes, then the handler that was there before (the Swift runtime's backtracer, or the
/// default action) is put back and the signal raised again, so the crash still crashes,
/// dumps core and shows its backtrace.
///
/// Process-wide: one set of bytes at a time. A duplicate of the descriptor is kept, so it
/// stays valid if the caller closes its own.
public enum EmergencyTerminalRestore {
    /// The most bytes that can be registered.
    public static var capacity: Int { Int(kiosk_emergency_restore_capacity()) }

    /// Registers `bytes` to be written to `fileDescriptor` when one of `signals` arrives.
    /// Calling it again replaces the bytes and descriptor.
    public static func install(
        _ bytes: [UInt8], on fileDescriptor: FileDescriptor,
        signals: [UnixSignal] = UnixSignal.crashSignals
    ) throws(SystemCallError) {
        let numbers = signals.map(\.rawValue)
        let fd = fileDescriptor.rawValue
        try retryingOnInterrupt("sigaction", "emergency terminal restore") {
            bytes.withUnsafeBufferPointer { raw in
                numbers.withUnsafeBufferPointer { list in
                    kiosk_emergency_restore_install(
                        fd, raw.baseAddress, UInt(raw.count), list.baseAddress, Int32(list.count))
                }
            }
        }
    }

    /// Removes the handlers (restoring the previous ones) and forgets the bytes: call on a
    /// clean exit after the terminal was restored normally.
    public static func uninstall() {
        kiosk_emergency_restore_uninstall()
    }
}
