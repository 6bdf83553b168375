/// What one DRM card offers for a screen: its driver, CRTCs, encoders, connectors (with
/// their status and modes) and primary planes, as read by `DRMCard.survey()` without
/// becoming master and without asking the driver to probe again (the state the kernel
/// last saw). `Codable`: recorded surveys are the fixtures of the discovery tests, and
/// `kioskctl doctor` explains its verdict from one.
public struct DRMCardSurvey: Sendable, Hashable, Codable {
    /// `/dev/dri/card0`, `/dev/dri/card1`...
    public var path: String
    /// The kernel driver (`DRM_IOCTL_VERSION`): `vc4`, `v3d`, `bochs-drm`, `virtio_gpu`, `i915`...
    public var driver: String
    /// Why the card cannot show anything (a render-only GPU such as the Pi 5's `v3d`
    /// answers `GETRESOURCES` with an error, or has no connector); nil when it can.
    public var unusable: String?
    public var crtcIDs: [UInt32]
    public var encoders: [DRMEncoder]
    public var connectors: [DRMConnector]
    public var planes: [DRMPlane]

    public init(path: String, driver: String, unusable: String? = nil, crtcIDs: [UInt32] = [], encoders: [DRMEncoder] = [], connectors: [DRMConnector] = [], planes: [DRMPlane] = []) {
        self.path = path
        self.driver = driver
        self.unusable = unusable
        self.crtcIDs = crtcIDs
        self.encoders = encoders
        self.connectors = connectors
        self.planes = planes
    }

    /// The card's name (`card1`).
    public var name: String { path.split(separator: "/").last.map(String.init) ?? path }

    /// Connectors with a screen that gives at least one mode, in the kernel's order.
    public var connectedConnectors: [DRMConnector] { connectors.filter { $0.status == .connected && !$0.modes.isEmpty } }

    /// One line for the log and `kioskctl doctor`: `card1 (vc4): HDMI-A-1 connected, HDMI-A-2 disconnected`.
    public var summary: String {
        if let unusable { return "\(name) (\(driver)): \(unusable)" }
        let list = connectors.map { c in
            c.status == .connected && c.modes.isEmpty ? "\(c.name) connected without modes" : "\(c.name) \(c.status.rawValue)"
        }
        return "\(name) (\(driver)): " + (list.isEmpty ? "no connector" : list.joined(separator: ", "))
    }
}

/// The pixel formats the DRM backend draws in: XRGB8888 wherever the primary plane takes
/// it, RGB565 where that is all it takes.
public enum DRMPixelFormat: UInt32, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case xrgb8888 = 0x3432_5258 // fourcc 'XR24'
    case rgb565 = 0x3631_4752 // fourcc 'RG16'

    public var bitsPerPixel: Int { self == .xrgb8888 ? 32 : 16 }
    public var description: String { self == .xrgb8888 ? "XRGB8888" : "RGB565" }

    /// The four characters of a FourCC code (`XR24`), for messages.
    public static func fourCCName(_ code: UInt32) -> String {
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: code >> ($0 * 8)) }
        return bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? String(decoding: bytes, as: UTF8.self) : "0x" + String(code, radix: 16)
    }
}
