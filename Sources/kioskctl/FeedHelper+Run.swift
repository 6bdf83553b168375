import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KioskCore
import KioskDaemon
import KioskDisplay
import KioskFeeds
import KioskSystem
#if canImport(Glibc)
import Glibc
#endif

/// The feed helper's side of `FeedHelper`: `kioskctl --feed-helper`, the only code that
/// fetches (URLSession, so FoundationNetworking, libcurl and the TLS library) and parses
/// a feed's bytes. It lives here, in the binary of `kioskctl`, so that `kioskd`'s binary
/// does not link them.
extension FeedHelper {
    /// The bytes of pictures one answer may carry; pictures past it wait for the next pull.
    static let pictureBudget = 64 << 20

    /// The helper's limit on its request (the daemon's is far smaller).
    static let maxRequestBytes = 1 << 20

    /// Runs the helper; returns the exit status (0 when a `Response` was written).
    public static func main(arguments: [String]) async -> Int32 {
        if arguments.first == probeFlag { return probe(Array(arguments.dropFirst())) }
        let request: Request
        do {
            request = try JSONDecoder().decode(Request.self, from: Data(readStandardInput(limit: maxRequestBytes)))
        } catch {
            return respond(Response(outcome: .failed, error: "feed helper: unreadable request: \(error)", errorKind: FeedFetchError.Kind.helper.rawValue))
        }
        guard let url = URL(string: request.url), let zone = IANATimeZone(identifier: request.venueTimeZone) else {
            return respond(Response(outcome: .failed, error: "feed helper: bad URL or time zone in the request", errorKind: FeedFetchError.Kind.helper.rawValue))
        }
        let pictureURLs = (request.pictures ?? []).compactMap { URL(string: $0.url) }
        let report: ProcessSandbox.Report
        do { report = try sandbox(for: [url] + pictureURLs, maxBytes: request.maxBytes, timeout: request.timeout).apply() } catch {
            return respond(Response(outcome: .failed, error: "feed helper: \(error)", errorKind: FeedFetchError.Kind.helper.rawValue))
        }
        if let pictures = request.pictures {
            var response = Response(outcome: .events, pictures: await fetchPictures(pictures, request: request))
            response.sandbox = report.description
            return respond(response)
        }
        var response: Response
        do {
            switch try await fetch(request, url: url) {
            case .notModified:
                response = Response(outcome: .notModified)
            case .body(let data, let etag, let lastModified):
                var options = FeedDecoder.Options(venueTimeZone: zone, language: request.language)
                if let from = request.probeFrom, let to = request.probeTo, from <= to { options.probeWindow = DateInterval(start: from, end: to) }
                let decoded = try FeedDecoder.decode([UInt8](data), format: request.format, options: options)
                response = Response(
                    outcome: .events, events: decoded.events, etag: etag, lastModified: lastModified,
                    warnings: decoded.warnings.map { Warning(line: $0.line, event: $0.event, message: $0.message) },
                    warningCount: decoded.warningCount, eventsRead: decoded.eventsRead, eventsDropped: decoded.eventsDropped)
            }
        } catch let error as FeedFetchError {
            response = Response(outcome: .failed, error: error.message, errorKind: error.kind.rawValue)
        } catch {
            response = Response(outcome: .failed, error: "\(error)", errorKind: FeedFetchError.Kind.parse.rawValue)
        }
        response.sandbox = report.description
        return respond(response)
    }

    /// The sandbox of a fetch of `url`: the system's files read-only, the feed's file when
    /// it is one, TCP to the URL's port (80 and 443 for redirects, 53 for DNS), limits.
    static func sandbox(for urls: [URL], maxBytes: Int, timeout: Double) -> ProcessSandbox {
        var readable = ["/usr", "/lib", "/lib64", "/etc", "/proc/self", "/sys/devices/system/cpu", "/dev/null", "/dev/urandom"]
        var ports: Set<UInt16> = []
        for url in urls {
            if url.isFileURL {
                readable.append(url.path)
            } else {
                ports.formUnion([53, 80, 443])
                if let port = url.port, let p = UInt16(exactly: port) { ports.insert(p) }
            }
        }
        let data = UInt64(min(1 << 30, max(256 << 20, maxBytes.multipliedReportingOverflow(by: 16).partialValue)))
        let cpu = UInt64(max(10, min(3600, timeout.isFinite ? timeout : 60) + 30))
        return ProcessSandbox(readable: readable, tcpConnectPorts: ports.sorted(), limits: [
            (Int32(RLIMIT_CORE.rawValue), 0),
            (Int32(RLIMIT_NOFILE.rawValue), 64),
            (Int32(RLIMIT_FSIZE.rawValue), 0),
            (Int32(RLIMIT_DATA.rawValue), data),
            (Int32(RLIMIT_CPU.rawValue), cpu),
        ])
    }

    /// One fetch, or every page of an OpenAgenda listing (validators apply to the first).
    static func fetch(_ request: Request, url: URL) async throws -> FeedFetchResult {
        let fetcher = FeedFetcher()
        var headers: [String: String] = [:]
        if let key = request.key { headers["key"] = key }
        guard request.format == .openagenda, !url.isFileURL else {
            return try await fetcher.fetch(url, etag: request.etag, lastModified: request.lastModified, timeout: request.timeout, maxBytes: request.maxBytes, headers: headers)
        }
        var pages: [Data] = []
        var cursor: [String]?
        var total = 0
        var firstValidators: (String?, String?) = (nil, nil)
        for pageNumber in 0..<200 {
            let pageURL = OpenAgendaPaging.url(url, after: cursor, language: request.language)
            let result = try await fetcher.fetch(
                pageURL, etag: pageNumber == 0 ? request.etag : nil, lastModified: pageNumber == 0 ? request.lastModified : nil,
                timeout: request.timeout, maxBytes: request.maxBytes - total, headers: headers)
            guard case .body(let data, let e, let m) = result else {
                if pageNumber == 0 { return .notModified }
                throw FeedFetchError(kind: .http, message: "page \(pageNumber + 1) answered 304 to an unconditional request")
            }
            if pageNumber == 0 { firstValidators = (e, m) }
            total += data.count
            pages.append(data)
            cursor = try OpenAgendaPaging.nextCursor(in: data)
            if cursor == nil { break }
        }
        return .body(try OpenAgendaPaging.merge(pages), etag: firstValidators.0, lastModified: firstValidators.1)
    }

    /// Fetches each picture (http and https only), conditional on the copy held, and keeps
    /// the bytes only when they decode within the screen's limits.
    static func fetchPictures(_ pictures: [PictureRequest], request: Request) async -> [PictureAnswer] {
        let fetcher = FeedFetcher()
        var answers: [PictureAnswer] = []
        var carried = 0
        for picture in pictures {
            var answer = PictureAnswer(url: picture.url)
            guard let url = URL(string: picture.url), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
                answer.error = "not an http(s) URL"
                answers.append(answer)
                continue
            }
            guard carried < pictureBudget else {
                answer.error = "not fetched in this pull (over \(pictureBudget >> 20) MB of pictures); next time"
                answers.append(answer)
                continue
            }
            do {
                switch try await fetcher.fetch(url, etag: picture.etag, lastModified: picture.lastModified, timeout: request.timeout, maxBytes: request.maxBytes) {
                case .notModified:
                    answer.notModified = true
                case .body(let data, let etag, let lastModified):
                    _ = try PictureDecoder.decode([UInt8](data), limits: .standard)
                    answer.bytes = data
                    answer.etag = etag
                    answer.lastModified = lastModified
                    carried += data.count
                }
            } catch {
                answer.error = "\(error)"
            }
            answers.append(answer)
        }
        return answers
    }

    static func readStandardInput(limit: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count <= limit {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        return bytes
    }

    /// Writes `response` on standard output; 0, or 1 when it could not be written whole.
    static func respond(_ response: Response) -> Int32 {
        guard let data = try? JSONEncoder().encode(response) else { return 1 }
        let ok = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
        return ok ? 0 : 1
    }

    /// `--feed-helper-probe [--connect PORT] PATH...`: the sandbox of a file feed at
    /// /dev/null, then an open(2) of each path and a TCP connect to 127.0.0.1:PORT.
    /// Prints `open PATH: ok` or `open PATH: refused (errno N)`, `connect PORT: …`.
    static func probe(_ arguments: [String]) -> Int32 {
        var paths: [String] = []
        var port: UInt16?
        var i = 0
        while i < arguments.count {
            if arguments[i] == "--connect", i + 1 < arguments.count { port = UInt16(arguments[i + 1]); i += 2; continue }
            paths.append(arguments[i])
            i += 1
        }
        let report: ProcessSandbox.Report
        do { report = try sandbox(for: [URL(fileURLWithPath: "/dev/null")], maxBytes: 1 << 20, timeout: 5).apply() } catch {
            print("sandbox: \(error)")
            return 1
        }
        print("sandbox: \(report)")
        for path in paths {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd >= 0 { print("open \(path): ok"); close(fd) } else { print("open \(path): refused (errno \(errno))") }
        }
        if let port {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            print(result == 0 ? "connect \(port): ok" : "connect \(port): refused (errno \(errno))")
            close(fd)
        }
        return 0
    }
}
