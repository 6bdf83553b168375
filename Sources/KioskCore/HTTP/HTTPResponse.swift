import Foundation

/// A response to serialise: status, headers, whole body.
///
/// `serialized(...)` adds `Content-Length` and `Date` itself and replaces any the caller
/// set, so framing cannot disagree with the body.
public struct HTTPResponse: Sendable, Hashable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 text response.
    public static func text(_ text: String, status: HTTPStatus = .ok, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: Array(text.utf8))
    }

    /// The bytes to write: status line, headers, blank line, body.
    ///
    /// - `date`: written as the `Date` header in IMF-fixdate (RFC 9110 section 5.6.7).
    /// - `keepAlive`: false adds `Connection: close` (the server then closes after writing).
    /// - `headRequest`: the body is left out but `Content-Length` still says its size
    ///   (RFC 9110 section 9.3.2).
    /// - `version`: 1.0 clients get an `HTTP/1.0` status line and `Connection: keep-alive`
    ///   when the connection stays open.
    /// Header names and values lose any CR, LF or NUL (replaced by a space) so a value taken
    /// from input cannot inject a header.
    public func serialized(
        date: Date, keepAlive: Bool = true, headRequest: Bool = false, version: HTTPVersion = .http1_1
    ) -> [UInt8] {
        var fields = headers
        fields.remove("Content-Length")
        fields.remove("Date")
        fields.remove("Transfer-Encoding")
        fields.remove("Connection")
        let sendsBody = status.allowsBody && !headRequest
        var head = "\(version == .http1_0 ? "HTTP/1.0" : "HTTP/1.1") \(status.code) \(Self.clean(status.reasonPhrase))\r\n"
        head += "Date: \(Self.imfFixdate(date))\r\n"
        for field in fields {
            head += "\(Self.clean(field.name)): \(Self.clean(field.value))\r\n"
        }
        if status.allowsBody {
            head += "Content-Length: \(body.count)\r\n"
        }
        if !keepAlive {
            head += "Connection: close\r\n"
        } else if version == .http1_0 {
            head += "Connection: keep-alive\r\n"
        }
        head += "\r\n"
        var out = Array(head.utf8)
        if sendsBody { out += body }
        return out
    }

    private static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\r" || $0 == "\n" || $0 == "\0" ? " " : $0 }))
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 section 5.6.7), always in GMT.
    public static func imfFixdate(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let date = CivilDate(dayNumber: days)
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let yearText = String(date.year).leftPadded(to: 4)
        return "\(weekdays[date.isoWeekday - 1]), \(two(date.day)) \(months[date.month - 1]) \(yearText) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) GMT"
    }
}
