import CLinux
import Glibc

/// An open DRM card (`/dev/dri/cardN`): the typed `DRM_IOCTL_*` calls the display backend
/// makes, from reading its connectors to flipping pages. The uapi structures are those
/// declared in CLinux's `kiosk_drm.h`; no libdrm.
///
/// Counts the kernel returns are checked before anything is allocated (`limits`), and the
/// two-call pattern of the `GET*` ioctls (ask the counts, then fill) is retried a few times
/// when the counts change in between (a screen plugged in at that moment). Opened
/// non-blocking: events are read after `waitForEvents(timeoutMilliseconds:)`.
///
/// The first process to open a card while nobody is master becomes master (needed to set
/// modes and flip); `dropMaster()` gives that up (VT switch, exit), `setMaster()` takes it
/// back (allowed without privileges for a file that was master before, Linux 5.10+).
///
/// Not `Sendable`: one owner (the DRM display, on the lobby actor).
public final class DRMCard {
    public let path: String
    let descriptor: FileDescriptor
    private var propertyNames: [UInt32: String] = [:]

    /// Upper bounds on what the kernel may report, checked before allocating.
    enum Limits {
        static let objects = 64
        static let modes = 1024
        static let properties = 256
        static let formats = 512
        static let attempts = 4
        /// A dumb buffer larger than this (16384 x 16384 x 4 bytes) is refused.
        static let bufferBytes = 1 << 30
    }

    public init(path: String) throws(SystemCallError) {
        self.path = path
        descriptor = try FileDescriptor.open(path, flags: O_RDWR | O_NONBLOCK)
    }

    /// The descriptor number, for the crash handler (`ConsoleCrashRestore`).
    public var rawDescriptor: Int32 { descriptor.rawValue }

    /// `/dev/dri/card0`, `card1`… under `directory`, in number order (`card10` after `card9`).
    public static func cardPaths(in directory: String = "/dev/dri") -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var numbers: [Int] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasPrefix("card"), let n = Int(name.dropFirst(4)), n >= 0, n < 4096 else { continue }
            numbers.append(n)
        }
        return numbers.sorted().map { "\(directory)/card\($0)" }
    }

    // MARK: - ioctl

    /// One DRM ioctl, retried on EINTR and EAGAIN as libdrm's `drmIoctl` does.
    func ioctl<T>(_ name: String, _ request: UInt, _ argument: inout T) throws(SystemCallError) {
        let fd = descriptor.rawValue
        while true {
            let result = withUnsafeMutablePointer(to: &argument) { kiosk_ioctl_ptr(fd, request, $0) }
            if result >= 0 { return }
            let error = Errno.current
            if error == .interrupted || error == .wouldBlock { continue }
            throw SystemCallError("ioctl(\(name))", path, errno: error)
        }
    }

    private func ioctlNoArgument(_ name: String, _ request: UInt) throws(SystemCallError) {
        let fd = descriptor.rawValue
        try retryingOnInterrupt("ioctl(\(name))", path) { kiosk_ioctl_int(fd, request, 0) }
    }

    private func checked(_ count: UInt32, limit: Int, what: String) throws(SystemCallError) -> Int {
        guard Int(count) <= limit else {
            throw SystemCallError("ioctl", "\(path): the kernel reports \(count) \(what) (more than \(limit))", errno: .invalidArgument)
        }
        return Int(count)
    }

    // MARK: - the card

    /// The kernel driver's name (`vc4`, `bochs-drm`, `virtio_gpu`).
    public func driverName() throws(SystemCallError) -> String {
        var version = drm_version()
        try ioctl("DRM_IOCTL_VERSION", kiosk_DRM_IOCTL_VERSION(), &version)
        let length = min(Int(version.name_len), 64)
        var name = [CChar](repeating: 0, count: length + 1)
        var second = drm_version()
        second.name_len = __kernel_size_t(length)
        try name.withUnsafeMutableBufferPointer { (buffer) throws(SystemCallError) in
            second.name = buffer.baseAddress
            try ioctl("DRM_IOCTL_VERSION", kiosk_DRM_IOCTL_VERSION(), &second)
        }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `DRM_IOCTL_GET_CAP`.
    public func capability(_ capability: Int32) throws(SystemCallError) -> UInt64 {
        var cap = drm_get_cap(capability: UInt64(capability), value: 0)
        try ioctl("DRM_IOCTL_GET_CAP", kiosk_DRM_IOCTL_GET_CAP(), &cap)
        return cap.value
    }

    /// `DRM_IOCTL_SET_CLIENT_CAP` (e.g. universal planes, to see the primary planes).
    public func setClientCapability(_ capability: Int32, _ value: UInt64) throws(SystemCallError) {
        var cap = drm_set_client_cap(capability: UInt64(capability), value: value)
        try ioctl("DRM_IOCTL_SET_CLIENT_CAP", kiosk_DRM_IOCTL_SET_CLIENT_CAP(), &cap)
    }

    public func setMaster() throws(SystemCallError) {
        try ioctlNoArgument("DRM_IOCTL_SET_MASTER", kiosk_DRM_IOCTL_SET_MASTER())
    }

    public func dropMaster() throws(SystemCallError) {
        try ioctlNoArgument("DRM_IOCTL_DROP_MASTER", kiosk_DRM_IOCTL_DROP_MASTER())
    }

    /// The ids of the card's CRTCs, connectors and encoders (`GETRESOURCES`). Render-only
    /// cards (no display engine) fail here, usually with EOPNOTSUPP or EINVAL.
    public func resources() throws(SystemCallError) -> (crtcs: [UInt32], connectors: [UInt32], encoders: [UInt32]) {
        for _ in 0..<Limits.attempts {
            var res = drm_mode_card_res()
            try ioctl("DRM_IOCTL_MODE_GETRESOURCES", kiosk_DRM_IOCTL_MODE_GETRESOURCES(), &res)
            var crtcs = [UInt32](repeating: 0, count: try checked(res.count_crtcs, limit: Limits.objects, what: "CRTCs"))
            var connectors = [UInt32](repeating: 0, count: try checked(res.count_connectors, limit: Limits.objects, what: "connectors"))
            var encoders = [UInt32](repeating: 0, count: try checked(res.count_encoders, limit: Limits.objects, what: "encoders"))
            var second = drm_mode_card_res()
            second.count_crtcs = UInt32(crtcs.count)
            second.count_connectors = UInt32(connectors.count)
            second.count_encoders = UInt32(encoders.count)
            try crtcs.withUnsafeMutableBufferPointer { (c) throws(SystemCallError) in
                try connectors.withUnsafeMutableBufferPointer { (k) throws(SystemCallError) in
                    try encoders.withUnsafeMutableBufferPointer { (e) throws(SystemCallError) in
                        second.crtc_id_ptr = UInt64(UInt(bitPattern: c.baseAddress))
                        second.connector_id_ptr = UInt64(UInt(bitPattern: k.baseAddress))
                        second.encoder_id_ptr = UInt64(UInt(bitPattern: e.baseAddress))
                        try ioctl("DRM_IOCTL_MODE_GETRESOURCES", kiosk_DRM_IOCTL_MODE_GETRESOURCES(), &second)
                    }
                }
            }
            if second.count_crtcs <= UInt32(crtcs.count), second.count_connectors <= UInt32(connectors.count), second.count_encoders <= UInt32(encoders.count) {
                return (Array(crtcs.prefix(Int(second.count_crtcs))), Array(connectors.prefix(Int(second.count_connectors))), Array(encoders.prefix(Int(second.count_encoders))))
            }
        }
        throw SystemCallError("ioctl(DRM_IOCTL_MODE_GETRESOURCES)", "\(path): the resources kept changing", errno: .busy)
    }

    /// A connector, its modes, encoders and properties. With `probe`, the driver is asked to
    /// detect the screen again and re-read its EDID (only the master may; a hot-plug event
    /// deserves it); without, the kernel's last known state is returned (cheap: the polling
    /// path, and what non-master readers such as `kioskctl doctor` get anyway).
    public func connector(id: UInt32, probe: Bool) throws(SystemCallError) -> DRMConnector {
        for _ in 0..<Limits.attempts {
            // count_modes = 0 is what asks for a probe; 1 (with room for one) does not.
            var placeholder = [drm_mode_modeinfo()]
            var first = drm_mode_get_connector()
            first.connector_id = id
            try placeholder.withUnsafeMutableBufferPointer { (room) throws(SystemCallError) in
                if !probe {
                    first.count_modes = 1
                    first.modes_ptr = UInt64(UInt(bitPattern: room.baseAddress))
                }
                try ioctl("DRM_IOCTL_MODE_GETCONNECTOR", kiosk_DRM_IOCTL_MODE_GETCONNECTOR(), &first)
            }
            var modes = [drm_mode_modeinfo](repeating: drm_mode_modeinfo(), count: max(1, try checked(first.count_modes, limit: Limits.modes, what: "modes")))
            var encoders = [UInt32](repeating: 0, count: max(1, try checked(first.count_encoders, limit: Limits.objects, what: "encoders")))
            var props = [UInt32](repeating: 0, count: max(1, try checked(first.count_props, limit: Limits.properties, what: "properties")))
            var values = [UInt64](repeating: 0, count: props.count)
            var second = drm_mode_get_connector()
            second.connector_id = id
            second.count_modes = UInt32(modes.count)
            second.count_encoders = UInt32(encoders.count)
            second.count_props = UInt32(props.count)
            try modes.withUnsafeMutableBufferPointer { (m) throws(SystemCallError) in
                try encoders.withUnsafeMutableBufferPointer { (e) throws(SystemCallError) in
                    try props.withUnsafeMutableBufferPointer { (p) throws(SystemCallError) in
                        try values.withUnsafeMutableBufferPointer { (v) throws(SystemCallError) in
                            second.modes_ptr = UInt64(UInt(bitPattern: m.baseAddress))
                            second.encoders_ptr = UInt64(UInt(bitPattern: e.baseAddress))
                            second.props_ptr = UInt64(UInt(bitPattern: p.baseAddress))
                            second.prop_values_ptr = UInt64(UInt(bitPattern: v.baseAddress))
                            try ioctl("DRM_IOCTL_MODE_GETCONNECTOR", kiosk_DRM_IOCTL_MODE_GETCONNECTOR(), &second)
                        }
                    }
                }
            }
            guard second.count_modes <= UInt32(modes.count), second.count_encoders <= UInt32(encoders.count), second.count_props <= UInt32(props.count) else { continue }
            var properties: [DRMObjectProperty] = []
            for i in 0..<Int(second.count_props) {
                properties.append(DRMObjectProperty(id: props[i], name: try propertyName(props[i]), value: values[i]))
            }
            return DRMConnector(
                id: id, type: second.connector_type, typeIndex: second.connector_type_id,
                status: DRMConnectionStatus(raw: second.connection),
                modes: modes.prefix(Int(second.count_modes)).map(DRMMode.init), encoderIDs: Array(encoders.prefix(Int(second.count_encoders))),
                currentEncoderID: second.encoder_id, widthMillimetres: second.mm_width, heightMillimetres: second.mm_height,
                properties: properties)
        }
        throw SystemCallError("ioctl(DRM_IOCTL_MODE_GETCONNECTOR)", "\(path): connector \(id) kept changing", errno: .busy)
    }

    public func encoder(id: UInt32) throws(SystemCallError) -> DRMEncoder {
        var e = drm_mode_get_encoder()
        e.encoder_id = id
        try ioctl("DRM_IOCTL_MODE_GETENCODER", kiosk_DRM_IOCTL_MODE_GETENCODER(), &e)
        return DRMEncoder(id: id, crtcID: e.crtc_id, possibleCRTCs: e.possible_crtcs)
    }

    /// The framebuffer a CRTC scans out now and its mode (nil when the CRTC is off).
    public func crtc(id: UInt32) throws(SystemCallError) -> (framebuffer: UInt32, mode: DRMMode?) {
        var c = drm_mode_crtc()
        c.crtc_id = id
        try ioctl("DRM_IOCTL_MODE_GETCRTC", kiosk_DRM_IOCTL_MODE_GETCRTC(), &c)
        return (c.fb_id, c.mode_valid != 0 ? DRMMode(c.mode) : nil)
    }

    /// The name of a property (cached: names never change).
    func propertyName(_ id: UInt32) throws(SystemCallError) -> String {
        if let name = propertyNames[id] { return name }
        var p = drm_mode_get_property()
        p.prop_id = id
        try ioctl("DRM_IOCTL_MODE_GETPROPERTY", kiosk_DRM_IOCTL_MODE_GETPROPERTY(), &p)
        let name = withUnsafeBytes(of: p.name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        propertyNames[id] = name
        return name
    }

    /// The properties of any KMS object (`OBJ_GETPROPERTIES`).
    public func properties(ofObject id: UInt32, type: UInt32) throws(SystemCallError) -> [DRMObjectProperty] {
        for _ in 0..<Limits.attempts {
            var first = drm_mode_obj_get_properties()
            first.obj_id = id
            first.obj_type = type
            try ioctl("DRM_IOCTL_MODE_OBJ_GETPROPERTIES", kiosk_DRM_IOCTL_MODE_OBJ_GETPROPERTIES(), &first)
            let count = try checked(first.count_props, limit: Limits.properties, what: "properties")
            var props = [UInt32](repeating: 0, count: max(1, count))
            var values = [UInt64](repeating: 0, count: max(1, count))
            var second = first
            second.count_props = UInt32(count)
            try props.withUnsafeMutableBufferPointer { (p) throws(SystemCallError) in
                try values.withUnsafeMutableBufferPointer { (v) throws(SystemCallError) in
                    second.props_ptr = UInt64(UInt(bitPattern: p.baseAddress))
                    second.prop_values_ptr = UInt64(UInt(bitPattern: v.baseAddress))
                    try ioctl("DRM_IOCTL_MODE_OBJ_GETPROPERTIES", kiosk_DRM_IOCTL_MODE_OBJ_GETPROPERTIES(), &second)
                }
            }
            guard Int(second.count_props) <= count else { continue }
            var list: [DRMObjectProperty] = []
            for i in 0..<Int(second.count_props) { list.append(DRMObjectProperty(id: props[i], name: try propertyName(props[i]), value: values[i])) }
            return list
        }
        throw SystemCallError("ioctl(DRM_IOCTL_MODE_OBJ_GETPROPERTIES)", "\(path): object \(id) kept changing", errno: .busy)
    }

    /// Sets a property of a KMS object (`OBJ_SETPROPERTY`), e.g. a connector's `DPMS`.
    public func setProperty(ofObject id: UInt32, type: UInt32, property: UInt32, value: UInt64) throws(SystemCallError) {
        var set = drm_mode_obj_set_property(value: value, prop_id: property, obj_id: id, obj_type: type)
        try ioctl("DRM_IOCTL_MODE_OBJ_SETPROPERTY", kiosk_DRM_IOCTL_MODE_OBJ_SETPROPERTY(), &set)
    }

    /// The card's planes with their formats and types. Asks for universal planes first (so
    /// that primary planes are listed); an empty list when the card has none to show.
    public func planes() throws(SystemCallError) -> [DRMPlane] {
        try? setClientCapability(DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1)
        var ids: [UInt32] = []
        for _ in 0..<Limits.attempts {
            var first = drm_mode_get_plane_res()
            try ioctl("DRM_IOCTL_MODE_GETPLANERESOURCES", kiosk_DRM_IOCTL_MODE_GETPLANERESOURCES(), &first)
            let count = try checked(first.count_planes, limit: Limits.objects, what: "planes")
            var buffer = [UInt32](repeating: 0, count: max(1, count))
            var second = drm_mode_get_plane_res()
            second.count_planes = UInt32(count)
            try buffer.withUnsafeMutableBufferPointer { (b) throws(SystemCallError) in
                second.plane_id_ptr = UInt64(UInt(bitPattern: b.baseAddress))
                try ioctl("DRM_IOCTL_MODE_GETPLANERESOURCES", kiosk_DRM_IOCTL_MODE_GETPLANERESOURCES(), &second)
            }
            if Int(second.count_planes) <= count { ids = Array(buffer.prefix(Int(second.count_planes))); break }
        }
        var planes: [DRMPlane] = []
        for id in ids {
            var first = drm_mode_get_plane()
            first.plane_id = id
            try ioctl("DRM_IOCTL_MODE_GETPLANE", kiosk_DRM_IOCTL_MODE_GETPLANE(), &first)
            let count = try checked(first.count_format_types, limit: Limits.formats, what: "plane formats")
            var formats = [UInt32](repeating: 0, count: max(1, count))
            var second = drm_mode_get_plane()
            second.plane_id = id
            second.count_format_types = UInt32(count)
            try formats.withUnsafeMutableBufferPointer { (f) throws(SystemCallError) in
                second.format_type_ptr = UInt64(UInt(bitPattern: f.baseAddress))
                try ioctl("DRM_IOCTL_MODE_GETPLANE", kiosk_DRM_IOCTL_MODE_GETPLANE(), &second)
            }
            let kind = try? properties(ofObject: id, type: DRM_MODE_OBJECT_PLANE).first { $0.name == "type" }?.value
            planes.append(DRMPlane(id: id, possibleCRTCs: second.possible_crtcs, formats: Array(formats.prefix(min(count, Int(second.count_format_types)))), kind: kind))
        }
        return planes
    }

    /// What the card offers for a screen, as the kernel last saw it (no probe).
    public func survey() -> DRMCardSurvey {
        let driver = (try? driverName()) ?? "?"
        var survey = DRMCardSurvey(path: path, driver: driver)
        do {
            let res = try resources()
            guard !res.connectors.isEmpty, !res.crtcs.isEmpty else {
                survey.unusable = "no display engine (no connector or CRTC: a render-only GPU)"
                return survey
            }
            survey.crtcIDs = res.crtcs
            survey.encoders = try res.encoders.map { (id) throws(SystemCallError) in try encoder(id: id) }
            survey.connectors = try res.connectors.map { (id) throws(SystemCallError) in try connector(id: id, probe: false) }
            survey.planes = (try? planes()) ?? []
        } catch {
            survey.unusable = error.errno == Errno(rawValue: EOPNOTSUPP) || error.errno == .invalidArgument
                ? "no display engine (a render-only GPU)" : "cannot read: \(error)"
        }
        return survey
    }

    /// A survey of every card under `directory`, in number order; a card that cannot be
    /// opened is listed as unusable with the reason.
    public static func surveyAll(in directory: String = "/dev/dri") -> [DRMCardSurvey] {
        cardPaths(in: directory).map { path in
            do throws(SystemCallError) { return try DRMCard(path: path).survey() } catch {
                return DRMCardSurvey(path: path, driver: "?", unusable: error.errno == .permissionDenied
                    ? "permission denied (the user needs group video)" : "cannot open: \(error.errno)")
            }
        }
    }
}
