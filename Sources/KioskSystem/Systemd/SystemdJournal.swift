import Glibc

/// Writes entries to the systemd journal through its native protocol (systemd's
/// `JOURNAL_NATIVE_PROTOCOL`): one datagram per entry to the AF_UNIX socket
/// `/run/systemd/journal/socket`, each field `NAME=value\n`, or, for a value holding a
/// newline, `NAME\n`, the value's length as a little-endian 64-bit number, the value, `\n`.
///
/// Unlike a line on standard error (which journald turns into one entry with the unit's
/// default priority unless the line starts with `<N>`), a native entry carries its own
/// `PRIORITY=`, `SYSLOG_IDENTIFIER=` and any field of ours (`KIOSK_FEED=`, `KIOSK_DEVICE=`),
/// so that `journalctl KIOSK_FEED=programme` finds every line about one feed. journald
/// adds the trusted fields itself (`_PID`, `_SYSTEMD_UNIT`), so `journalctl -u` finds them
/// as it finds the stderr lines.
///
/// Entries are capped at ``maximumEntrySize`` bytes (the message is cut), far below the
/// socket's datagram limit, so the memfd fallback systemd uses for huge entries is never
/// needed. Not `Sendable`: one owner (the logger, under its lock).
public final class SystemdJournal {
    /// Where journald listens for native entries.
    public static let defaultSocketPath = "/run/systemd/journal/socket"
    /// The largest datagram sent (the default `net.core.wmem_default` is 208 KiB).
    public static let maximumEntrySize = 48 * 1024

    private let socket: UnixDatagramSocket
    public let address: UnixSocketAddress

    /// Opens a socket for `path`; nil when the path is not a usable socket address.
    /// Nothing is checked on the journald side before the first `send`.
    public init?(socketPath: String = SystemdJournal.defaultSocketPath) {
        guard let address = UnixSocketAddress(socketPath), let socket = try? UnixDatagramSocket.unbound() else { return nil }
        self.address = address
        self.socket = socket
    }

    /// Sends one entry. Throws when journald is not listening (stopped, restarting) or
    /// refuses the datagram; the caller then writes the line on standard error instead.
    public func send(_ fields: [(name: String, value: String)]) throws(SystemCallError) {
        try socket.send(Self.encode(fields), to: address)
    }

    /// The datagram for `fields`, in order; a field whose name is not a valid journal
    /// field name is left out (journald would drop the whole entry). When the entry
    /// would be larger than `maximumSize`, the `MESSAGE` value is cut to fit.
    public static func encode(_ fields: [(name: String, value: String)], maximumSize: Int = maximumEntrySize) -> [UInt8] {
        let valid = fields.filter { isValidFieldName($0.name) }
        var entry = valid.flatMap { encodeField($0.name, Array($0.value.utf8)) }
        if entry.count > maximumSize, let index = valid.firstIndex(where: { $0.name == "MESSAGE" }) {
            let others = valid.enumerated().filter { $0.offset != index }.flatMap { encodeField($0.element.name, Array($0.element.value.utf8)) }
            // 9 bytes of framing at most for the message field itself, plus the marker.
            let marker = Array(" [cut]".utf8)
            let room = max(0, maximumSize - others.count - "MESSAGE".utf8.count - 9 - marker.count)
            var message = Array(valid[index].value.utf8.prefix(room))
            // Do not leave half a UTF-8 sequence at the end.
            while let last = message.last, last & 0xC0 == 0x80 { message.removeLast() }
            if let last = message.last, last >= 0xC0 { message.removeLast() }
            entry = others + encodeField("MESSAGE", message + marker)
        }
        return entry
    }

    static func encodeField(_ name: String, _ value: [UInt8]) -> [UInt8] {
        var bytes = Array(name.utf8)
        if value.contains(0x0A) {
            bytes.append(0x0A)
            var length = UInt64(value.count).littleEndian
            withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
            bytes += value
        } else {
            bytes.append(UInt8(ascii: "="))
            bytes += value
        }
        bytes.append(0x0A)
        return bytes
    }

    /// journald's rule for a field a client may set: 1 to 64 characters of `A-Z`, `0-9`
    /// and `_`, not starting with `_` (trusted fields) or a digit.
    public static func isValidFieldName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count), bytes[0] != UInt8(ascii: "_"), !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[0]) else { return false }
        return bytes.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }
    }

    /// Whether standard error is the journal's stream for this process: systemd sets
    /// `$JOURNAL_STREAM` to `DEVICE:INODE` of the stream it connected to stdout or stderr
    /// (systemd.exec(5)); only when it names standard error's own file may a program switch
    /// to the native protocol (a child whose stderr was redirected inherits the variable).
    public static func standardErrorIsJournal(environment: [String: String], descriptor: Int32 = STDERR_FILENO) -> Bool {
        guard let text = environment["JOURNAL_STREAM"], let identity = parseStreamIdentity(text) else { return false }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return false }
        return UInt64(info.st_dev) == identity.device && UInt64(info.st_ino) == identity.inode
    }

    /// `DEVICE:INODE` in decimal, as systemd writes `$JOURNAL_STREAM`.
    public static func parseStreamIdentity(_ text: String) -> (device: UInt64, inode: UInt64)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return nil }
        return (device, inode)
    }

    /// `DEVICE:INODE` of an open descriptor, in `$JOURNAL_STREAM`'s form (tests that play systemd).
    public static func streamIdentity(of descriptor: Int32) -> String? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return "\(UInt64(info.st_dev)):\(UInt64(info.st_ino))"
    }
}
