/// Why `SerialReader` lost (or could not get) its device.
public enum SerialDisconnection: Sendable, Hashable, CustomStringConvertible {
    /// `open` or its configuration failed (`ENOENT`: unplugged or udev symlink gone,
    /// `EBUSY`: another program holds the port, `EACCES`: not in the `dialout` group).
    case openFailed(call: String, errno: Errno)
    /// `read` failed: `EIO` or `ENODEV` when a USB adapter is pulled out or a pty closes.
    case readFailed(Errno)
    /// `poll` reported a hang-up with nothing left to read.
    case hangUp
    /// `read` returned end of file.
    case endOfFile

    public var description: String {
        switch self {
        case .openFailed(let call, let errno): "\(call) failed: \(errno) (errno \(errno.rawValue))"
        case .readFailed(let errno): "read failed: \(errno) (errno \(errno.rawValue))"
        case .hangUp: "hang-up"
        case .endOfFile: "end of file"
        }
    }
}
