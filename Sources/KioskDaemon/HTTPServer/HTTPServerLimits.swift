import Dispatch
import KioskCore

extension HTTPServer {
    /// What one client may cost the server: connections, bytes, and time.
    ///
    /// Durations are wall-clock. The request deadline starts when the first byte of a
    /// request arrives and is not pushed back by later bytes, so a client trickling one
    /// byte a second is answered 408 and dropped (the slowloris defence).
    ///
    /// Fairness between clients (one address cannot fill the server):
    /// - an address holds at most `maxConnectionsPerAddress` connections; its next one
    ///   replaces its own idlest connection (one waiting for a request head), or is
    ///   answered `503` when all of them are busy;
    /// - the last `reservedConnections` slots go only to addresses that hold none, so a
    ///   fresh client is served while others fill the server; when every slot is taken,
    ///   a fresh address replaces the idlest connection of the address holding most;
    /// - from `maxConnections - reservedConnections` connections on (under pressure),
    ///   a connection must deliver a whole request head within `headTimeoutUnderPressure`
    ///   of its opening (or of its last answer) instead of `idleTimeout`/`requestTimeout`.
    public struct Limits: Sendable, Hashable {
        /// Connections served at once; one more is answered `503` with `Retry-After`
        /// and closed without its request being read (unless an idle one makes way).
        public var maxConnections: Int
        /// Connections one client address (without port) may hold at once.
        public var maxConnectionsPerAddress: Int
        /// Slots kept for addresses that hold no connection yet.
        public var reservedConnections: Int
        /// Under pressure, the time a connection has to send a whole request head.
        public var headTimeoutUnderPressure: Duration
        /// Request line plus header section, in bytes (`431` above).
        public var maxHeaderBytes: Int
        /// Request body after de-chunking, in bytes (`413` above).
        public var maxBodyBytes: Int
        /// Time to receive a whole request (head and body) from its first byte (`408` after).
        public var requestTimeout: Duration
        /// Time a kept-alive connection may wait for its next request before being closed
        /// silently (also the wait for the first request of a new connection).
        public var idleTimeout: Duration
        /// Time without any progress writing a response before the client is dropped (a
        /// client that does not read).
        public var writeTimeout: Duration
        /// Requests answered on one connection before it is closed (`Connection: close`
        /// on the last one).
        public var maxRequestsPerConnection: Int
        /// `Retry-After` seconds sent with the connection-limit `503`.
        public var retryAfterSeconds: Int
        /// After a closing answer (an error, `Connection: close`), how long the server keeps
        /// reading and discarding what the client still sends, so the client reads the
        /// answer instead of a reset.
        public var lingerTimeout: Duration
        /// How long `stop()` lets responses in progress finish before closing everything.
        public var shutdownGrace: Duration

        /// `maxConnectionsPerAddress` nil: `maxConnections` (no per-address cap);
        /// `reservedConnections` nil: an eighth of `maxConnections`.
        public init(
            maxConnections: Int = 64, maxConnectionsPerAddress: Int? = nil, reservedConnections: Int? = nil,
            headTimeoutUnderPressure: Duration = .seconds(2), maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 16 * 1024 * 1024,
            requestTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(15),
            writeTimeout: Duration = .seconds(30), maxRequestsPerConnection: Int = 1000,
            retryAfterSeconds: Int = 5, lingerTimeout: Duration = .seconds(2), shutdownGrace: Duration = .seconds(2)
        ) {
            self.maxConnections = maxConnections
            self.maxConnectionsPerAddress = max(1, maxConnectionsPerAddress ?? maxConnections)
            self.reservedConnections = min(max(0, reservedConnections ?? maxConnections / 8), max(0, maxConnections - 1))
            self.headTimeoutUnderPressure = headTimeoutUnderPressure
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBodyBytes = maxBodyBytes
            self.requestTimeout = requestTimeout
            self.idleTimeout = idleTimeout
            self.writeTimeout = writeTimeout
            self.maxRequestsPerConnection = maxRequestsPerConnection
            self.retryAfterSeconds = retryAfterSeconds
            self.lingerTimeout = lingerTimeout
            self.shutdownGrace = shutdownGrace
        }

        /// From this many connections on, the server is under pressure.
        var pressureThreshold: Int { maxConnections - reservedConnections }

        /// The parser's limits: ours for header and body, its defaults for the rest.
        var parserLimits: HTTPRequestParser.Limits {
            var limits = HTTPRequestParser.Limits()
            limits.maxHeaderBytes = maxHeaderBytes
            limits.maxBodyBytes = maxBodyBytes
            return limits
        }
    }
}

extension Duration {
    /// For `DispatchTime` arithmetic.
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !nanoseconds.overflow else { return .never }
        return .nanoseconds(Int(nanoseconds.partialValue + attoseconds / 1_000_000_000))
    }

    /// Whole seconds rounded up, for messages.
    var roundedSeconds: String {
        let (seconds, attoseconds) = components
        if attoseconds == 0 { return "\(seconds) s" }
        return "\(Double(seconds) + Double(attoseconds) / 1e18) s"
    }
}
