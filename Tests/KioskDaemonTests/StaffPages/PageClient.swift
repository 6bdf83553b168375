import Foundation
import KioskCore
@testable import KioskDaemon

/// A browser without JavaScript, in memory: keeps the session cookie the pages set and
/// reads the CSRF token out of the last page's forms.
struct PageClient {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let pages: StaffPages
    let peer: HTTPPeer
    var cookie: String?
    var lastPage = ""
    var host = "kiosk.lan:8080"

    init(_ pages: StaffPages, peer: String = "192.168.1.20:50000") {
        self.pages = pages
        self.peer = HTTPPeer(address: peer, isLoopback: false)
    }

    mutating func send(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) async throws -> HTTPResponse {
        var headers = headers
        headers.set("Host", host)
        if let cookie { headers.add("Cookie", "other=1; \(StaffPages.cookieName)=\(cookie)") }
        let response = try await pages.respond(to: HTTPRequest(method: method, target: target, headers: headers, body: body), from: peer)
        for value in response.headers.values("Set-Cookie") {
            let pair = value.split(separator: ";")[0]
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == StaffPages.cookieName { cookie = parts[1].isEmpty ? nil : String(parts[1]) }
        }
        // Pictures and downloads are not pages: the forms (and their CSRF token) stay those of the last page.
        if response.headers["Content-Type"]?.hasPrefix("text/html") == true { lastPage = String(decoding: response.body, as: UTF8.self) }
        return response
    }

    mutating func get(_ target: String) async throws -> HTTPResponse { try await send(.get, target) }

    /// Posts an urlencoded form (the CSRF token of the last page added unless given).
    mutating func post(_ target: String, _ fields: [(String, String)], csrf: String? = nil, headers: HTTPHeaders = HTTPHeaders()) async throws -> HTTPResponse {
        var all = fields.map { HTTPField(name: $0.0, value: $0.1) }
        if let token = csrf ?? csrfToken { all.append(HTTPField(name: "csrf", value: token)) }
        var headers = headers
        headers.set("Content-Type", "application/x-www-form-urlencoded")
        return try await send(.post, target, headers: headers, body: Array(HTTPFormFields(fields: all).encoded.utf8))
    }

    /// Posts a multipart form with a file (the CSRF token of the last page added).
    mutating func upload(_ target: String, file: (name: String, content: String), fields: [(String, String)] = []) async throws -> HTTPResponse {
        let (headers, body) = Self.multipart(
            [("csrf", nil, csrfToken ?? "")] + fields.map { ($0.0, nil, $0.1) } + [("file", file.name, file.content)])
        return try await send(.post, target, headers: headers, body: body)
    }

    /// Posts a multipart form of `parts` (a file part has a file name and a media type),
    /// the CSRF token of the last page first unless `csrf` is given.
    mutating func upload(_ target: String, parts: [Part], csrf: String? = nil) async throws -> HTTPResponse {
        let (headers, body) = Self.multipart([Part("csrf", csrf ?? csrfToken ?? "")] + parts)
        return try await send(.post, target, headers: headers, body: body)
    }

    /// One part of a multipart form.
    struct Part {
        var name: String
        var filename: String?
        var type: String?
        var content: [UInt8]
        init(_ name: String, _ value: String) { (self.name, self.content) = (name, Array(value.utf8)) }
        init(file name: String, _ filename: String, type: String = "application/octet-stream", _ content: [UInt8]) {
            (self.name, self.filename, self.type, self.content) = (name, filename, type, content)
        }
    }

    static func multipart(_ parts: [(name: String, filename: String?, content: String)], boundary: String = "----formBoundaryQx7") -> (HTTPHeaders, [UInt8]) {
        multipart(parts.map { part in part.filename.map { Part(file: part.name, $0, Array(part.content.utf8)) } ?? Part(part.name, part.content) }, boundary: boundary)
    }

    static func multipart(_ parts: [Part], boundary: String = "----formBoundaryQx7") -> (HTTPHeaders, [UInt8]) {
        var body: [UInt8] = []
        for part in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { head += "; filename=\"\(filename)\"\r\nContent-Type: \(part.type ?? "application/octet-stream")" }
            body += Array((head + "\r\n\r\n").utf8) + part.content + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (["Content-Type": "multipart/form-data; boundary=\(boundary)"], body)
    }

    /// The value of the first `name="csrf"` hidden field of the last page.
    var csrfToken: String? {
        guard let range = lastPage.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(lastPage[range.upperBound...].prefix { $0 != "\"" })
    }

    /// The text of the first heading of the last page (`h1` to `h3`), tags removed.
    var firstHeading: String? {
        guard let open = lastPage.range(of: "<h[123][^>]*>", options: .regularExpression),
            let close = lastPage.range(of: "</h", range: open.upperBound..<lastPage.endIndex)
        else { return nil }
        return String(lastPage[open.upperBound..<close.lowerBound])
    }
}
