import Foundation

/// `[reader]` and `[checkin]` of `kiosk.conf`: the badge reader on the serial port and
/// the rules of the check-in ledger.
///
/// ```ini
/// [reader]
/// device = /dev/badge-reader      # udev symlink, /dev/ttyUSB0, /dev/ttyACM0...
/// protocol = rdm6300              # rdm6300 | id12la | nid1020 | hex-line | decimal-line | pn532
/// baud = 9600                     # default: the protocol's own (9600, or 115200 for pn532)
/// debounce = 1.5s                 # repeats of the same tag within this window are one scan
///
/// [checkin]
/// second-scan-checks-out = yes    # no: a second scan keeps the person in (and may count an event)
/// attendance-to-running-event = yes
/// retention-days = 90             # personal rows older than this are purged; counts stay
/// show-last-names = no            # the welcome shows the first name only
/// auto-checkout-at-closing = yes  # everyone still in is checked out at closing time
/// welcome-duration = 4s           # how long the welcome stays on screen
/// ```
/// Without a `[reader]` section (`readerDevice` nil) the kiosk runs without check-in.
public struct CheckInSettings: Sendable, Hashable {
    /// Serial device of the badge reader; nil when no reader is configured.
    public var readerDevice: String?
    public var readerProtocol: BadgeProtocol = .rdm6300
    /// Explicit baud rate; nil means ``BadgeProtocol/defaultBaudRate``.
    public var baudRate: Int?
    /// Repeats of one tag inside this window count once (readers repeat while a card
    /// stays on the antenna).
    public var debounce: Duration = .milliseconds(1500)
    /// A scan by someone already in checks them out (true), or keeps them in (false).
    public var secondScanChecksOut = true
    /// Count a check-in for the public event in progress at that instant.
    public var attendanceToRunningEvent = true
    /// Days personal check-in rows and unknown scans are kept (whole venue days).
    public var retentionDays = 90
    /// Show "Camille Martin" instead of "Camille" on the welcome.
    public var showLastNames = false
    /// Check out everyone still in when the building closes (`[hours]`).
    public var autoCheckOutAtClosing = true
    /// How long the welcome stays on the lobby screen after a scan.
    public var welcomeDuration: Duration = .seconds(4)

    public init() {}

    /// The baud rate to open the port with.
    public var effectiveBaudRate: Int { baudRate ?? readerProtocol.defaultBaudRate }

    /// Whether a badge reader is configured at all.
    public var isEnabled: Bool { readerDevice != nil }

    /// What `SerialPort` can set (the issue: 9600 to 115200); anything else is a config error.
    public static let supportedBaudRates = [9600, 19200, 38400, 57600, 115_200]

    /// Applies one `[reader]` or `[checkin]` section. Unknown keys, repeated keys and bad
    /// values are `ConfigError`s naming the line. For use outside `KioskConfig.parse`
    /// (tests, a reader-only tool); the config parser itself calls ``apply(_:)``.
    public mutating func apply(section: ConfigFile.Section, path: String) throws(ConfigError) {
        var reader = SectionReader(section: section, path: path)
        try apply(&reader)
        try reader.finish()
    }

    /// Reads the keys of the section `r` holds (`reader` or `checkin`); leftovers are
    /// reported by the caller's `r.finish()`.
    mutating func apply(_ r: inout SectionReader) throws(ConfigError) {
        let section = r.section
        if section.argument != nil {
            throw ConfigError(path: r.path, line: section.line, message: "[\(section.name)] takes no name")
        }
        switch section.name {
        case "reader":
            try r.string("device") { readerDevice = $0.isEmpty ? nil : $0 }
            try r.value("protocol") { readerProtocol = try ConfigValue.choice($0, as: BadgeProtocol.self) }
            try r.value("baud") { text in
                guard let rate = Int(text), Self.supportedBaudRates.contains(rate) else {
                    let list = Self.supportedBaudRates.map(String.init).joined(separator: ", ")
                    throw ConfigValueError("'\(text)' is not a baud rate (use one of \(list))")
                }
                baudRate = rate
            }
            try r.value("debounce") { text in
                let seconds = try ConfigValue.duration(text)
                guard (0...60).contains(seconds) else { throw ConfigValueError("must be from 0 to 60 s") }
                debounce = .milliseconds(Int64((seconds * 1000).rounded()))
            }
            if readerDevice == nil {
                throw ConfigError(path: r.path, line: section.line, message: "[reader] needs 'device = /dev/...' (the serial port of the badge reader)")
            }
        case "checkin":
            try r.value("second-scan-checks-out") { secondScanChecksOut = try ConfigValue.bool($0) }
            try r.value("attendance-to-running-event") { attendanceToRunningEvent = try ConfigValue.bool($0) }
            try r.value("retention-days") { retentionDays = try ConfigValue.integer($0, in: 1...3650) }
            try r.value("show-last-names") { showLastNames = try ConfigValue.bool($0) }
            try r.value("auto-checkout-at-closing") { autoCheckOutAtClosing = try ConfigValue.bool($0) }
            try r.value("welcome-duration") { text in
                let seconds = try ConfigValue.duration(text)
                guard (1...60).contains(seconds) else { throw ConfigValueError("must be from 1 to 60 s") }
                welcomeDuration = .milliseconds(Int64((seconds * 1000).rounded()))
            }
        default:
            throw ConfigError(path: r.path, line: section.line, message: "[\(section.name)] is not a check-in section (reader, checkin)")
        }
    }
}
