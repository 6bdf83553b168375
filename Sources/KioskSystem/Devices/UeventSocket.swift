import CLinux
import Glibc
import KioskCore

/// A netlink socket receiving the kernel's uevents (`NETLINK_KOBJECT_UEVENT`, multicast
/// group 1): how a DRM card says "a screen may have been plugged, unplugged or switched
/// on" (`SUBSYSTEM=drm`, `HOTPLUG=1`) without udev.
///
/// Non-blocking: read it when its descriptor is readable (a `DispatchSource`). Messages
/// not sent by the kernel itself (sender port id ≠ 0) are dropped, as are messages over
/// `KernelUevent.maximumSize`. Needs no privilege; under systemd the unit must allow
/// `AF_NETLINK` in `RestrictAddressFamilies=`.
///
/// Not `Sendable`: one owner (the display watch's queue).
public final class UeventSocket {
    public let descriptor: FileDescriptor

    public init() throws(SystemCallError) {
        let fd = kiosk_uevent_socket()
        guard fd >= 0 else { throw SystemCallError("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)", "uevent group 1") }
        descriptor = FileDescriptor(adopting: fd, name: "netlink uevent socket")
    }

    /// The uevents waiting (none when there are none), at most `limit` per call.
    public func receive(limit: Int = 64) -> [KernelUevent] {
        var events: [KernelUevent] = []
        var buffer = [UInt8](repeating: 0, count: KernelUevent.maximumSize + 1)
        for _ in 0..<limit {
            var sender: UInt32 = 0
            let n = buffer.withUnsafeMutableBytes { raw in
                kiosk_uevent_receive(descriptor.rawValue, raw.baseAddress, UInt(raw.count), &sender)
            }
            if n < 0 {
                if Errno.current == .interrupted { continue }
                break
            }
            guard n > 0, n <= KernelUevent.maximumSize, sender == 0 else { continue }
            if let event = KernelUevent.parse(buffer[..<n]) { events.append(event) }
        }
        return events
    }
}
