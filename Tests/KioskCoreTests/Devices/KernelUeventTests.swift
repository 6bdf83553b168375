import Testing
@testable import KioskCore

/// Messages in the shape `lib/kobject_uevent.c` sends on `NETLINK_KOBJECT_UEVENT`: a
/// header `action@devpath`, then the environment strings, each ended by NUL.
@Suite struct KernelUeventTests {
    static func message(_ fields: [String]) -> [UInt8] { fields.flatMap { Array($0.utf8) + [0] } }

    /// What a DRM card sends when its outputs may have changed (drm_sysfs_hotplug_event).
    static let drmHotplug = message([
        "change@/devices/pci0000:00/0000:00:02.0/drm/card0", "ACTION=change",
        "DEVPATH=/devices/pci0000:00/0000:00:02.0/drm/card0", "SUBSYSTEM=drm", "HOTPLUG=1",
        "DEVNAME=dri/card0", "DEVTYPE=drm_minor", "SEQNUM=2210", "MAJOR=226", "MINOR=0",
    ])

    @Test func drmHotplug() throws {
        let event = try #require(KernelUevent.parse(Self.drmHotplug))
        #expect(event.action == "change")
        #expect(event.devicePath == "/devices/pci0000:00/0000:00:02.0/drm/card0")
        #expect(event.isDRMHotplug)
        #expect(event.deviceName == "dri/card0")
        #expect(event.properties["SEQNUM"] == "2210")
    }

    /// Linux 5.8+: a hot-plug of one connector names it.
    @Test func connectorHotplug() throws {
        let event = try #require(KernelUevent.parse(Self.message([
            "change@/devices/platform/gpu/drm/card1", "ACTION=change", "DEVPATH=/devices/platform/gpu/drm/card1",
            "SUBSYSTEM=drm", "HOTPLUG=1", "CONNECTOR=32", "PROPERTY=5", "DEVNAME=dri/card1", "DEVTYPE=drm_minor",
            "SEQNUM=4001", "MAJOR=226", "MINOR=1",
        ])))
        #expect(event.isDRMHotplug)
        #expect(event.properties["CONNECTOR"] == "32")
    }

    @Test func otherEventsAreNotDRMHotplugs() throws {
        let usb = try #require(KernelUevent.parse(Self.message([
            "add@/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0", "ACTION=add",
            "DEVPATH=/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0", "SUBSYSTEM=tty",
            "DEVNAME=ttyUSB0", "SEQNUM=5", "MAJOR=188", "MINOR=0",
        ])))
        #expect(!usb.isDRMHotplug)
        #expect(usb.action == "add")
        let drmAdd = try #require(KernelUevent.parse(Self.message(["add@/devices/x/drm/card0", "ACTION=add", "SUBSYSTEM=drm", "DEVNAME=dri/card0"])))
        #expect(!drmAdd.isDRMHotplug)
    }

    @Test func rejectsWhatIsNotAKernelUevent() {
        // udev's re-broadcast (group 2) starts with "libudev" and a binary header.
        #expect(KernelUevent.parse(Array("libudev".utf8) + [0, 0xFE, 0xED, 0xCA, 0xFE] + Self.drmHotplug) == nil)
        #expect(KernelUevent.parse([UInt8]()) == nil)
        #expect(KernelUevent.parse(Self.message(["@/devices/x"])) == nil)
        #expect(KernelUevent.parse(Self.message(["change@"])) == nil)
        #expect(KernelUevent.parse(Self.message(["ACTION=change", "SUBSYSTEM=drm"])) == nil)
        #expect(KernelUevent.parse(Self.message(["CHANGE@/devices/x"])) == nil)
        #expect(KernelUevent.parse([UInt8](repeating: 0x61, count: KernelUevent.maximumSize + 1)) == nil)
    }

    @Test func hostileContentIsBounded() throws {
        var fields = ["change@/devices/x"]
        for i in 0..<500 { fields.append("K\(i)=\(i)") }
        fields += ["=no key", "no equals sign", "SUBSYSTEM=drm", "HOTPLUG=1"]
        let event = try #require(KernelUevent.parse(Self.message(fields).prefix(KernelUevent.maximumSize)))
        #expect(event.properties.count == KernelUevent.maximumProperties)
        #expect(!event.isDRMHotplug) // past the limit: not read
        let odd = try #require(KernelUevent.parse(Self.message(["change@/x", "SUBSYSTEM=drm", "HOTPLUG=1", "=x", "junk", "DEVNAME=dri/card0\u{1B}[2J"])))
        #expect(odd.isDRMHotplug)
        #expect(odd.properties[""] == nil)
        #expect(odd.deviceName == "dri/card0\u{1B}[2J") // kept as is: sanitised where shown
        let invalid = try #require(KernelUevent.parse([0x63, 0x40, 0x2F, 0xFF, 0, 0x41, 0x3D, 0xC3, 0]))
        #expect(invalid.devicePath == "/\u{FFFD}")
        #expect(invalid.properties["A"] == "\u{FFFD}")
    }
}
