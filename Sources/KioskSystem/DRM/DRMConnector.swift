import CLinux

/// Whether a screen is plugged in a connector (`drm_mode_get_connector.connection`, the
/// kernel's `enum drm_connector_status`).
public enum DRMConnectionStatus: String, Sendable, Hashable, Codable {
    case connected, disconnected, unknown

    init(raw: UInt32) {
        switch raw {
        case 1: self = .connected
        case 2: self = .disconnected
        default: self = .unknown
        }
    }
}

/// A property of a KMS object with its current value (`DPMS`, `link-status`, `type`...).
public struct DRMObjectProperty: Sendable, Hashable, Codable {
    public var id: UInt32
    public var name: String
    public var value: UInt64

    public init(id: UInt32, name: String, value: UInt64) {
        self.id = id
        self.name = name
        self.value = value
    }
}

/// A connector as `DRM_IOCTL_MODE_GETCONNECTOR` describes it: its kind and number (its name,
/// `HDMI-A-1`), whether a screen is connected, the screen's modes and the encoders it can use.
public struct DRMConnector: Sendable, Hashable, Codable {
    public var id: UInt32
    /// `DRM_MODE_CONNECTOR_*` (11: HDMI-A, 15: Virtual...).
    public var type: UInt32
    /// The number among connectors of the same type (the 1 of HDMI-A-1).
    public var typeIndex: UInt32
    public var status: DRMConnectionStatus
    public var modes: [DRMMode]
    public var encoderIDs: [UInt32]
    /// The encoder driving it now (0: none).
    public var currentEncoderID: UInt32
    /// The screen's size in millimetres (0 when unknown).
    public var widthMillimetres: UInt32
    public var heightMillimetres: UInt32
    public var properties: [DRMObjectProperty]

    public init(
        id: UInt32, type: UInt32, typeIndex: UInt32, status: DRMConnectionStatus, modes: [DRMMode], encoderIDs: [UInt32],
        currentEncoderID: UInt32 = 0, widthMillimetres: UInt32 = 0, heightMillimetres: UInt32 = 0, properties: [DRMObjectProperty] = []
    ) {
        self.id = id
        self.type = type
        self.typeIndex = typeIndex
        self.status = status
        self.modes = modes
        self.encoderIDs = encoderIDs
        self.currentEncoderID = currentEncoderID
        self.widthMillimetres = widthMillimetres
        self.heightMillimetres = heightMillimetres
        self.properties = properties
    }

    /// The kernel's name for the connector (`drm_connector_enum_list` + the index): the name
    /// of `/sys/class/drm/card0-HDMI-A-1` and of the `video=` kernel option.
    public var name: String { "\(Self.typeName(type))-\(typeIndex)" }

    public static func typeName(_ type: UInt32) -> String {
        let names = [
            "Unknown", "VGA", "DVI-I", "DVI-D", "DVI-A", "Composite", "SVIDEO", "LVDS", "Component", "DIN", "DP",
            "HDMI-A", "HDMI-B", "TV", "eDP", "Virtual", "DSI", "DPI", "Writeback", "SPI", "USB",
        ]
        return type < names.count ? names[Int(type)] : "Type\(type)"
    }

    /// The property called `name` (e.g. `DPMS`), if the connector has one.
    public func property(named name: String) -> DRMObjectProperty? { properties.first { $0.name == name } }
}

/// An encoder (`DRM_IOCTL_MODE_GETENCODER`): which CRTCs may feed it (bit i: the i-th CRTC
/// of the card's resources) and which one does now (0: none).
public struct DRMEncoder: Sendable, Hashable, Codable {
    public var id: UInt32
    public var crtcID: UInt32
    public var possibleCRTCs: UInt32

    public init(id: UInt32, crtcID: UInt32, possibleCRTCs: UInt32) {
        self.id = id
        self.crtcID = crtcID
        self.possibleCRTCs = possibleCRTCs
    }
}

/// A plane (`DRM_IOCTL_MODE_GETPLANE` and its `type` property): the pixel formats it scans
/// out and the CRTCs it can feed. Only primary planes matter here: they carry the frame.
public struct DRMPlane: Sendable, Hashable, Codable {
    public var id: UInt32
    public var possibleCRTCs: UInt32
    /// FourCC codes (`DRM_FORMAT_*`).
    public var formats: [UInt32]
    /// The `type` property: 0 overlay, 1 primary, 2 cursor; nil when unknown.
    public var kind: UInt64?

    public init(id: UInt32, possibleCRTCs: UInt32, formats: [UInt32], kind: UInt64?) {
        self.id = id
        self.possibleCRTCs = possibleCRTCs
        self.formats = formats
        self.kind = kind
    }

    public var isPrimary: Bool { kind == 1 }
}
