/// One kernel uevent as read from a `NETLINK_KOBJECT_UEVENT` socket (multicast group 1,
/// the kernel's own messages): a header `ACTION@DEVPATH`, then `KEY=VALUE` strings, each
/// ended by a NUL byte, e.g. `change@/devices/.../drm/card0`, `ACTION=change`,
/// `SUBSYSTEM=drm`, `HOTPLUG=1`, `DEVNAME=dri/card0` (what a DRM card sends when a
/// connector's status may have changed; Linux 5.8+ may add `CONNECTOR=` and `PROPERTY=`).
///
/// The bytes come from the kernel, but they are still outside bytes: the parser checks
/// sizes, keeps at most `maximumProperties` entries, ignores lines without `=`, and
/// rejects messages that do not start with a header (udev's re-broadcasts on group 2
/// start with `libudev` and are not read here). Values are kept as they are: sanitise
/// them before they reach a terminal.
public struct KernelUevent: Sendable, Equatable {
    public var action: String
    public var devicePath: String
    public var properties: [String: String]

    /// A uevent is at most `UEVENT_BUFFER_SIZE` (2048) bytes in the kernel; anything
    /// longer than this is refused unread.
    public static let maximumSize = 8192
    public static let maximumProperties = 64

    public init(action: String, devicePath: String, properties: [String: String]) {
        self.action = action
        self.devicePath = devicePath
        self.properties = properties
    }

    /// The message in `bytes`, or nil when it is not a kernel uevent.
    public static func parse(_ bytes: some Collection<UInt8>) -> KernelUevent? {
        guard !bytes.isEmpty, bytes.count <= maximumSize else { return nil }
        let fields = Array(bytes).split(separator: 0, omittingEmptySubsequences: true)
        guard let header = fields.first, let at = header.firstIndex(of: UInt8(ascii: "@")),
              at > header.startIndex, at + 1 < header.endIndex else { return nil }
        let action = String(decoding: header[header.startIndex..<at], as: UTF8.self)
        guard action.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return nil }
        var event = KernelUevent(action: action, devicePath: String(decoding: header[(at + 1)...], as: UTF8.self), properties: [:])
        for field in fields.dropFirst() {
            guard event.properties.count < maximumProperties else { break }
            guard let eq = field.firstIndex(of: UInt8(ascii: "=")), eq > field.startIndex else { continue }
            let key = String(decoding: field[field.startIndex..<eq], as: UTF8.self)
            event.properties[key] = String(decoding: field[(eq + 1)...], as: UTF8.self)
        }
        return event
    }

    /// A DRM card's "the outputs may have changed" event (`SUBSYSTEM=drm`, `HOTPLUG=1`).
    public var isDRMHotplug: Bool { properties["SUBSYSTEM"] == "drm" && properties["HOTPLUG"] == "1" }

    /// Any `change` of a DRM device: a driver's hot-plug, or a synthetic event
    /// (`udevadm trigger`, `echo change > /sys/class/drm/card0/uevent`) asking listeners to
    /// look again. Worth a look at the connectors either way.
    public var isDRMChange: Bool { properties["SUBSYSTEM"] == "drm" && action == "change" }

    /// `DEVNAME` under `/dev` (`dri/card0`), when the event names a device node.
    public var deviceName: String? { properties["DEVNAME"] }
}
