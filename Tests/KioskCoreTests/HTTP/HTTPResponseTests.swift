import Foundation
import Testing

@testable import KioskCore

@Suite("HTTP responses, errors, forms")
struct HTTPResponseTests {
    @Test("IMF-fixdate: the RFC 9110 example and other instants against Foundation's formatter")
    func imfFixdate() {
        // RFC 9110 section 5.6.7: Sun, 06 Nov 1994 08:49:37 GMT = 784111777.
        #expect(HTTPResponse.imfFixdate(Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for seconds in [0, 951_782_400, 1_709_164_800, 1_798_675_199, 4_102_444_800, -86_401] {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(HTTPResponse.imfFixdate(date) == formatter.string(from: date), "\(seconds)")
        }
    }

    @Test("serialisation: status line, Date, Content-Length, Connection, body")
    func serialise() {
        var response = HTTPResponse.text("Bonjour", status: .ok)
        response.headers.set("Content-Length", "999")  // replaced by the real length
        response.headers.add("X-Evil", "a\r\nSet-Cookie: x=1")
        let date = Date(timeIntervalSince1970: 784_111_777)
        let text = String(decoding: response.serialized(date: date, keepAlive: false), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "HTTP/1.1 200 OK")
        #expect(lines.contains("Date: Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(lines.contains("Content-Length: 7"))
        #expect(!lines.contains("Content-Length: 999"))
        #expect(lines.contains("Connection: close"))
        #expect(lines.contains("X-Evil: a  Set-Cookie: x=1"))
        #expect(!lines.contains { $0.hasPrefix("Set-Cookie") })
        #expect(text.hasSuffix("\r\n\r\nBonjour"))
        let head = String(decoding: response.serialized(date: date, headRequest: true), as: UTF8.self)
        #expect(head.hasSuffix("\r\n\r\n"))
        #expect(head.contains("Content-Length: 7\r\n"))
        let noContent = String(decoding: HTTPResponse(status: .noContent).serialized(date: date), as: UTF8.self)
        #expect(!noContent.contains("Content-Length"))
        let old = String(decoding: HTTPResponse().serialized(date: date, version: .http1_0), as: UTF8.self)
        #expect(old.hasPrefix("HTTP/1.0 200 OK\r\n"))
        #expect(old.contains("Connection: keep-alive\r\n"))
    }

    @Test("a serialised response reads back through JSONSerialization as the documented error body")
    func errorBody() throws {
        let error = HTTPError(.contentTooLarge, "body \"too\" large\n(4 MiB max)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(error.jsonBody)) as? [String: Any])
        let inner = try #require(json["error"] as? [String: Any])
        #expect(inner["status"] as? Int == 413)
        #expect(inner["reason"] as? String == "body \"too\" large\n(4 MiB max)")
        #expect(error.response().headers["content-type"] == "application/json; charset=utf-8")
        let notAllowed = HTTPError.methodNotAllowed(.delete, allowed: [.get, .head])
        #expect(notAllowed.status.code == 405)
        #expect(notAllowed.response().headers["Allow"] == "GET, HEAD")
    }

    @Test("each parse error maps to its status and closes the connection")
    func parseErrorMapping() {
        let kinds: [(HTTPRequestParseError.Kind, Int)] = [
            (.malformed, 400), (.lengthRequired, 411), (.contentTooLarge, 413), (.uriTooLong, 414),
            (.headerFieldsTooLarge, 431), (.notImplemented, 501), (.versionNotSupported, 505),
        ]
        for (kind, code) in kinds {
            let error = HTTPRequestParseError(kind, "x").httpError
            #expect(error.status.code == code)
            #expect(error.response().headers["Connection"] == "close")
        }
    }

    @Test("percent-decoding and form fields (WHATWG examples, strict on bad escapes)")
    func forms() throws {
        #expect(PercentEncoding.decode("caf%C3%A9%20cr%c3%a8me") == "café crème")
        #expect(PercentEncoding.decode("a+b") == "a+b")
        #expect(PercentEncoding.decode("a+b", plusAsSpace: true) == "a b")
        #expect(PercentEncoding.decode("100%") == nil)
        #expect(PercentEncoding.decode("%zz") == nil)
        #expect(PercentEncoding.decode("%FF") == nil)  // not UTF-8
        let form = try #require(HTTPFormFields(parsing: "title=Atelier+v%C3%A9lo&kind=offer&&tag=a&tag=b&flag"))
        #expect(form["title"] == "Atelier vélo")
        #expect(form["kind"] == "offer")
        #expect(form.values("tag") == ["a", "b"])
        #expect(form["flag"] == "")
        #expect(form["missing"] == nil)
        #expect(HTTPFormFields(parsing: "a=%E") == nil)
        let roundTrip = try #require(HTTPFormFields(parsing: form.encoded))
        #expect(roundTrip == form)
        #expect(HTTPFormFields(body: [0x61, 0x3D, 0xFF]) == nil)
    }

    @Test("path segments are decoded one by one")
    func pathSegments() {
        let r = HTTPRequest(method: .get, target: "/api/v1/notices/a%2Fb%20c?x=1")
        #expect(r.pathSegments == ["api", "v1", "notices", "a/b c"])
        #expect(HTTPRequest(method: .get, target: "/bad/%G0").pathSegments == nil)
        #expect(HTTPRequest(method: .get, target: "/").pathSegments == [""])
    }
}
