import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 for tests of the feed puller: each request is
/// answered by a scripted response, possibly slowly, cut short or huge.
///
/// A test seam only; the product's own HTTP server is another matter.
final class ScriptedHTTPServer: @unchecked Sendable {
    // @unchecked: `script`, `requests` are guarded by `lock`; the accept thread only reads
    // the listening socket, which is immutable after init.
    struct Response: Sendable {
        enum Behaviour: Sendable {
            case normal
            /// Waits this long before answering.
            case delay(TimeInterval)
            /// Announces the full Content-Length but closes after this many body bytes.
            case truncate(Int)
        }
        var status: Int = 200
        var headers: [String: String] = [:]
        var body: Data = Data()
        var behaviour: Behaviour = .normal
    }

    struct Request: Sendable {
        var path: String
        var headers: [String: String]
    }

    private let lock = NSLock()
    private var script: @Sendable (Request) -> Response
    private var received: [Request] = []
    private let listener: Int32
    let port: UInt16
    private var thread: Thread?

    init(_ script: @escaping @Sendable (Request) -> Response) throws {
        self.script = script
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(listener, 16) == 0 else { close(listener); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        self.thread = thread
        thread.start()
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    var requests: [Request] { lock.withLock { received } }

    func setScript(_ script: @escaping @Sendable (Request) -> Response) { lock.withLock { self.script = script } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            let t = Thread { [self] in serve(client) }
            t.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !buffer.windows(ofCount: 4).contains(where: { $0.elementsEqual([13, 10, 13, 10]) }) {
            let n = read(client, &chunk, chunk.count)
            if n <= 0 { return }
            buffer += chunk[..<n]
            if buffer.count > 65536 { return }
        }
        let text = String(decoding: buffer, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let path = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = Request(path: path, headers: headers)
        let response: Response = lock.withLock {
            received.append(request)
            return script(request)
        }
        if case .delay(let seconds) = response.behaviour { Thread.sleep(forTimeInterval: seconds) }
        var head = "HTTP/1.1 \(response.status) \(response.status == 200 ? "OK" : response.status == 304 ? "Not Modified" : "Status")\r\n"
        var allHeaders = response.headers
        if response.status != 304 { allHeaders["Content-Length"] = "\(response.body.count)" }
        allHeaders["Connection"] = "close"
        for (k, v) in allHeaders { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        var out = Array(head.utf8)
        if response.status != 304 {
            if case .truncate(let keep) = response.behaviour { out += response.body.prefix(keep) } else { out += response.body }
        }
        var offset = 0
        while offset < out.count {
            let n = out[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func windows(ofCount count: Int) -> [ArraySlice<UInt8>] {
        guard self.count >= count else { return [] }
        return (0...(self.count - count)).map { self[$0..<($0 + count)] }
    }
}
