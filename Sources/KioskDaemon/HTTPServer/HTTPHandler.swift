import KioskCore

/// Who is on the other end of a connection, as the server saw it at accept time.
public struct HTTPPeer: Sendable, Hashable, CustomStringConvertible {
    /// Numeric address and port: `127.0.0.1:53422`, `[::1]:53422`.
    public var address: String
    /// True for 127.0.0.0/8 and ::1 (and IPv4-mapped loopback).
    public var isLoopback: Bool

    public init(address: String, isLoopback: Bool) {
        self.address = address
        self.isLoopback = isLoopback
    }

    public var description: String { address }
}

/// What answers the requests `HTTPServer` reads: the API router, the staff pages.
///
/// Called once per complete request (the server has already applied its limits and
/// answered framing errors itself). A handler that throws `HTTPError` gets that status
/// with a JSON body; any other error becomes a 500 whose reason hides the details (the
/// server logs them). Handlers run concurrently, one task per connection.
public protocol HTTPHandler: Sendable {
    func respond(to request: HTTPRequest, from peer: HTTPPeer) async throws -> HTTPResponse
}
