import Dispatch
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

    /// The answer to an error the server found before the request was whole (400, 408,
    /// 411, 413, 414, 431...), for a request to `target` (nil when its request line was
    /// not read): a page for people where the request was meant for one. Nil (the default):
    /// the error's JSON. Called on the server's I/O queue: must not block.
    func framingErrorResponse(_ error: HTTPError, target: String?) -> HTTPResponse?
}

extension HTTPHandler {
    public func framingErrorResponse(_ error: HTTPError, target: String?) -> HTTPResponse? { nil }
}

/// One request and its answer as the server timed them (monotonic clock, `DispatchTime`),
/// reported to `HTTPServer.exchangeObserver` once the whole answer is in the kernel's
/// socket buffer: what availability checks and benchmarks measure.
public struct HTTPExchange: Sendable {
    public var peer: HTTPPeer
    public var method: HTTPMethod
    /// The path, without the query.
    public var path: String
    public var status: Int
    /// When the connection was accepted.
    public var accepted: DispatchTime
    /// When the whole request (head and body) had been received.
    public var requestComplete: DispatchTime
    /// When the last byte of the answer was handed to the kernel.
    public var answered: DispatchTime
}
