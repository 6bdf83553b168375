import CLinux
import Glibc

/// Process-controlled switching of a virtual console (`VT_SETMODE` with `VT_PROCESS`):
/// when someone switches away from our VT (Ctrl+Alt+F2, `chvt`), the kernel sends
/// `releaseSignal` and waits until `acknowledgeRelease()`; when the VT comes back it sends
/// `acquireSignal`, answered by `acknowledgeAcquire()`. The DRM backend drops master
/// before acknowledging a release (the other VT's console or program may then set its
/// own mode) and takes it back and sets its mode again on acquire.
///
/// Automatic switching (`VT_AUTO`) comes back with `restore()` or `deinit`, and, after a
/// crash, through `ConsoleCrashRestore`. Watch both signals (`SignalWatcher`) before
/// enabling: their default action ends the process.
///
/// The kernel sends the signals to the *thread* that asked (`vt_pid` is its task), and
/// switches at once, without asking, when that thread has gone: the request is made from
/// a thread of our own that lives as long as the process (`kiosk_vt_set_mode_from_keeper`;
/// the threads of Swift's cooperative pool and of Dispatch come and go, and Dispatch ends
/// the main thread).
///
/// Not `Sendable`: one owner (the DRM display).
public final class VirtualConsoleSwitching {
    public let path: String
    private let descriptor: FileDescriptor
    public let releaseSignal: UnixSignal
    public let acquireSignal: UnixSignal
    private var enabled = false

    /// Opens `ttyPath` (the console kioskd draws over) and asks for process-controlled switching.
    public init(ttyPath: String, releaseSignal: UnixSignal = .userDefined1, acquireSignal: UnixSignal = .userDefined2) throws(SystemCallError) {
        path = ttyPath
        descriptor = try FileDescriptor.open(ttyPath, flags: O_RDWR | O_NOCTTY)
        self.releaseSignal = releaseSignal
        self.acquireSignal = acquireSignal
        let fd = descriptor.rawValue
        try retryingOnInterrupt("ioctl(VT_SETMODE)", ttyPath) {
            kiosk_vt_set_mode_from_keeper(fd, releaseSignal.rawValue, acquireSignal.rawValue)
        }
        enabled = true
    }

    /// Lets the pending switch away from our VT happen.
    public func acknowledgeRelease() {
        _ = kiosk_vt_release_display(descriptor.rawValue, 1)
    }

    /// Confirms that we took our VT back.
    public func acknowledgeAcquire() {
        _ = kiosk_vt_release_display(descriptor.rawValue, kiosk_VT_ACKACQ())
    }

    /// Back to automatic switching. Safe to call more than once.
    public func restore() {
        guard enabled else { return }
        enabled = false
        _ = kiosk_vt_set_mode(descriptor.rawValue, 0, 0)
    }

    deinit {
        restore()
        descriptor.close()
    }
}
