import Foundation

/// What a running kioskd holds, as its status socket tells it (`DaemonStatusSocket`) and
/// `kioskctl doctor` reads it: the doctor asks instead of opening the devices the daemon
/// has open (a second open of the reader answers "busy", and the framebuffer's state is
/// the daemon's, not the doctor's).
///
/// JSON with ISO 8601 dates; fields only ever get added, so an older doctor reads a newer
/// daemon's answer.
public struct DaemonStatusReport: Codable, Sendable, Equatable {
    public struct Display: Codable, Sendable, Equatable {
        /// `terminal` or `framebuffer` (as `[screen] backend`).
        public var backend: String
        /// The device drawn on: `/dev/fb0`, a tty, or `stdout`.
        public var device: String
        /// The grid the layout fills (0 on a pixel display).
        public var columns: Int
        public var rows: Int
        /// Why the last tick could not draw; nil while it draws.
        public var failure: String?
        /// The picture a pixel display lays out, `1080x1920` (nil on a terminal).
        public var picture: String? = nil
    }

    public struct Reader: Codable, Sendable, Equatable {
        public var device: String
        public var `protocol`: String
        /// `connecting`, `connected` or `disconnected`.
        public var state: String
        /// Why it is not connected, in a few words (`ReaderProblem.summary`).
        public var problem: String?
    }

    public struct Feed: Codable, Sendable, Equatable {
        public var name: String
        public var url: String
        public var lastSuccess: Date?
        public var lastAttempt: Date?
        /// Why the last attempt failed; nil once a later one succeeded.
        public var lastError: String?
        public var consecutiveFailures: Int
        public var events: Int
    }

    public struct Store: Codable, Sendable, Equatable {
        public var path: String
        public var schemaVersion: Int?
        /// Why the daemon could not read its database on the last try; nil when it could.
        public var problem: String?
    }

    public var pid: Int32
    public var version: String
    public var configPath: String
    /// The `STATUS=` line systemd shows.
    public var status: String
    public var display: Display
    /// Nil without a `[reader]`.
    public var reader: Reader?
    public var feeds: [Feed]
    public var store: Store
    /// The staff API's bound address; nil when off.
    public var http: String?

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> DaemonStatusReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(DaemonStatusReport.self, from: data)
    }
}
