/// An incremental HTTP/1.1 request parser (RFC 9112): feed it bytes as they arrive, get
/// whole requests out. A plain state machine with no I/O, clock or allocation beyond its
/// buffer, so it can be fuzzed and tested one byte at a time.
///
/// Choices worth knowing:
/// - **Line endings**: CRLF, or a bare LF (RFC 9112 section 2.2 allows recognising it) in the
///   request line, header and trailer sections and chunk-size lines. A CR that is not
///   directly followed by LF is an error (400), since CR-only endings are a known request
///   smuggling vector.
/// - Up to 8 empty lines before a request line are skipped (section 2.2); they count
///   towards the header byte limit.
/// - Exactly one SP between the three request-line parts; obs-fold (a header line starting
///   with SP or HTAB) is refused with 400 (section 5.2); so is whitespace between a field
///   name and its colon (section 5.1), and any control character in a value.
/// - HTTP/1.1 requests need exactly one `Host` (section 3.2).
/// - Framing (section 6.3): `Transfer-Encoding` with `Content-Length` is 400; any coding other
///   than a single final `chunked` is 501; TE on HTTP/1.0 is 400; repeated `Content-Length`,
///   even with equal values, is 400; POST/PUT/PATCH with neither is 411 (when
///   `requireLengthForContentMethods`), other methods have no body.
/// - Chunk extensions are skipped; trailers are parsed under the same rules as headers
///   and counted against the same limits, separately from the header section.
/// - Pipelining: bytes after a request stay buffered; call `next()` to get the following one.
/// - After an error the parser stays failed and repeats that error: close the connection.
/// - `Expect: 100-continue`: `continueExpected` turns true once such a head is read and
///   its body has not arrived; the server may write `100 Continue` and call
///   `acknowledgeContinue()`.
public struct HTTPRequestParser: Sendable {
    /// Caps on what one request may make the parser hold. Defaults suit the staff API.
    public struct Limits: Sendable, Hashable {
        /// Request-target bytes (414 above).
        public var maxTargetBytes: Int
        /// Bytes of the request line plus header section, terminators included (431 above).
        public var maxHeaderBytes: Int
        /// Header fields in a request, and trailer fields (431 above).
        public var maxHeaderCount: Int
        /// Body bytes after de-chunking (413 above).
        public var maxBodyBytes: Int
        /// A chunk-size line with its extensions (400 above).
        public var maxChunkLineBytes: Int
        /// Methods answered; any other well-formed method is 501.
        public var implementedMethods: Set<HTTPMethod>
        /// Whether POST, PUT and PATCH must declare a length (else 411).
        public var requireLengthForContentMethods: Bool

        public init(
            maxTargetBytes: Int = 2048, maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 64,
            maxBodyBytes: Int = 4 * 1024 * 1024, maxChunkLineBytes: Int = 256,
            implementedMethods: Set<HTTPMethod> = [.get, .head, .post, .put, .patch, .delete, .options],
            requireLengthForContentMethods: Bool = true
        ) {
            self.maxTargetBytes = maxTargetBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
            self.maxChunkLineBytes = maxChunkLineBytes
            self.implementedMethods = implementedMethods
            self.requireLengthForContentMethods = requireLengthForContentMethods
        }
    }

    /// What the parser can say after being fed.
    public enum Step: Sendable, Hashable {
        /// The buffered bytes do not complete a request yet.
        case needMore
        /// A complete request; bytes after it stay buffered for `next()`.
        case request(HTTPRequest)
    }

    private enum State: Sendable {
        case requestLine(emptyLinesSkipped: Int)
        case headers
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case failed(HTTPRequestParseError)
    }

    public let limits: Limits
    private var state: State = .requestLine(emptyLinesSkipped: 0)
    private var buffer: [UInt8] = []
    /// Start of unconsumed bytes in `buffer`.
    private var readIndex = 0
    /// Bytes before `scanIndex` (from `readIndex`) are known to hold no LF.
    private var scanIndex = 0
    /// Bytes dropped from the front of `buffer` so far (for error offsets).
    private var droppedBytes = 0

    // The request being assembled.
    private var method = HTTPMethod.get
    private var target = ""
    private var version = HTTPVersion.http1_1
    private var headers = HTTPHeaders()
    private var trailers = HTTPHeaders()
    private var body: [UInt8] = []
    private var sectionBytes = 0

    /// True once a head with `Expect: 100-continue` is read and its body is still to come.
    public private(set) var continueExpected = false

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Bytes received and not yet part of a returned request.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// True when no request is partly read (nothing buffered, waiting for a request line):
    /// the point where closing an idle keep-alive connection loses nothing.
    public var isIdle: Bool {
        if case .requestLine = state, bufferedByteCount == 0 { return true }
        return false
    }

    /// The request-target of the request being read, once its request line is complete;
    /// nil before (and between requests). Lets a server word an error about a request it
    /// could not finish reading (413, 408) for the page it was meant for.
    public private(set) var pendingTarget: String?

    /// True while the request line and header section of the next request are not all
    /// received yet (nothing buffered, or part of a head): what a server near its
    /// connection limit may cut short. False once a head is read and its body is coming.
    public var isReadingHead: Bool {
        switch state {
        case .requestLine, .headers: return true
        default: return false
        }
    }

    /// The server wrote `100 Continue`; stop reporting `continueExpected`.
    public mutating func acknowledgeContinue() { continueExpected = false }

    /// Buffers `bytes`, then parses as far as they allow.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(HTTPRequestParseError) -> Step {
        if case .failed(let error) = state { throw error }
        buffer.append(contentsOf: bytes)
        return try next()
    }

    /// Parses from what is already buffered (the next pipelined request).
    public mutating func next() throws(HTTPRequestParseError) -> Step {
        if case .failed(let error) = state { throw error }
        do {
            let step = try advance()
            compact()
            return step
        } catch {
            state = .failed(error)
            throw error
        }
    }

    // MARK: - State machine

    private mutating func advance() throws(HTTPRequestParseError) -> Step {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .requestLine(let skipped):
                guard let line = try takeLine(limit: requestLineLimit, onOverflow: .requestLine) else {
                    return .needMore
                }
                sectionBytes += line.consumed
                if line.content.isEmpty {
                    guard skipped < 8 else { throw fail(.malformed, "too many empty lines before the request line") }
                    state = .requestLine(emptyLinesSkipped: skipped + 1)
                    continue
                }
                try parseRequestLine(line.content)
                state = .headers
            case .headers:
                guard let line = try takeLine(limit: limits.maxHeaderBytes - sectionBytes, onOverflow: .header) else {
                    return .needMore
                }
                sectionBytes += line.consumed
                if line.content.isEmpty {
                    if let step = try startBody() { return step }
                    continue
                }
                headers.append(try parseField(line.content, existing: headers.count, what: "header"))
            case .fixedBody(let remaining):
                let available = buffer.count - readIndex
                let n = min(available, remaining)
                if n > 0 {
                    body.append(contentsOf: buffer[readIndex..<(readIndex + n)])
                    readIndex += n
                    scanIndex = readIndex
                }
                if remaining - n == 0 { return .request(finish()) }
                state = .fixedBody(remaining: remaining - n)
                return .needMore
            case .chunkSize:
                guard let line = try takeLine(limit: limits.maxChunkLineBytes, onOverflow: .chunkLine) else {
                    return .needMore
                }
                let size = try parseChunkSize(line.content)
                if size == 0 {
                    sectionBytes = 0
                    state = .trailers
                } else {
                    guard size <= limits.maxBodyBytes - body.count else {
                        throw fail(.contentTooLarge, "chunked body exceeds \(limits.maxBodyBytes) bytes")
                    }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let available = buffer.count - readIndex
                let n = min(available, remaining)
                if n > 0 {
                    body.append(contentsOf: buffer[readIndex..<(readIndex + n)])
                    readIndex += n
                    scanIndex = readIndex
                }
                if remaining - n > 0 {
                    state = .chunkData(remaining: remaining - n)
                    return .needMore
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard let line = try takeLine(limit: 2, onOverflow: .chunkEnd) else { return .needMore }
                guard line.content.isEmpty else { throw fail(.malformed, "chunk data not followed by CRLF") }
                state = .chunkSize
            case .trailers:
                guard let line = try takeLine(limit: limits.maxHeaderBytes - sectionBytes, onOverflow: .header) else {
                    return .needMore
                }
                sectionBytes += line.consumed
                if line.content.isEmpty { return .request(finish()) }
                trailers.append(try parseField(line.content, existing: trailers.count, what: "trailer"))
            }
        }
    }

    private var requestLineLimit: Int {
        min(limits.maxHeaderBytes - sectionBytes, limits.maxTargetBytes + 64)
    }

    // MARK: - Lines

    private struct Line {
        var content: ArraySlice<UInt8>
        /// Bytes consumed including the terminator.
        var consumed: Int
    }

    private enum Overflow { case requestLine, header, chunkLine, chunkEnd }

    /// The next line without its terminator, or nil when no LF is buffered yet. Throws when
    /// the line (terminator included) would exceed `limit` bytes, or on a bare CR.
    private mutating func takeLine(limit: Int, onOverflow: Overflow) throws(HTTPRequestParseError) -> Line? {
        var i = max(scanIndex, readIndex)
        let end = buffer.count
        while i < end && buffer[i] != 0x0A { i += 1 }
        if i == end {
            scanIndex = end
            if end - readIndex >= limit { throw overflow(onOverflow) }
            return nil
        }
        let consumed = i + 1 - readIndex
        if consumed > limit { throw overflow(onOverflow) }
        var contentEnd = i
        if contentEnd > readIndex && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        let content = buffer[readIndex..<contentEnd]
        if content.contains(0x0D) { throw fail(.malformed, "bare CR in a line") }
        readIndex = i + 1
        scanIndex = readIndex
        return Line(content: content, consumed: consumed)
    }

    private func overflow(_ kind: Overflow) -> HTTPRequestParseError {
        switch kind {
        case .requestLine:
            // Judge the line alone (up to its LF, if buffered), so feeding whole or in pieces
            // gives the same answer: a target run longer than allowed is 414, even unfinished.
            var line = buffer[readIndex...]
            if let lf = line.firstIndex(of: 0x0A) { line = line[..<lf] }
            if let space = line.firstIndex(of: 0x20), space - readIndex <= 32 {
                let rest = line[(space + 1)...]
                let targetEnd = rest.firstIndex(of: 0x20) ?? rest.endIndex
                if targetEnd - rest.startIndex > limits.maxTargetBytes {
                    return fail(.uriTooLong, "request-target longer than \(limits.maxTargetBytes) bytes")
                }
            }
            if limits.maxHeaderBytes - sectionBytes <= limits.maxTargetBytes + 64 {
                return fail(.headerFieldsTooLarge, "header section larger than \(limits.maxHeaderBytes) bytes")
            }
            return fail(.malformed, "request line too long or malformed")
        case .header:
            return fail(.headerFieldsTooLarge, "header section larger than \(limits.maxHeaderBytes) bytes")
        case .chunkLine:
            return fail(.malformed, "chunk-size line longer than \(limits.maxChunkLineBytes) bytes")
        case .chunkEnd:
            return fail(.malformed, "chunk data not followed by CRLF")
        }
    }

    private func fail(_ kind: HTTPRequestParseError.Kind, _ reason: String) -> HTTPRequestParseError {
        HTTPRequestParseError(kind, reason, byteOffset: droppedBytes + readIndex)
    }

    // MARK: - Request line and fields

    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPRequestParseError) {
        let parts = line.split(separator: 0x20, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw fail(.malformed, "request line is not METHOD SP TARGET SP VERSION")
        }
        let methodBytes = parts[0], targetBytes = parts[1], versionBytes = parts[2]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(Self.isTokenChar) else {
            throw fail(.malformed, "method is not a token")
        }
        guard !targetBytes.isEmpty else { throw fail(.malformed, "empty request-target") }
        guard targetBytes.count <= limits.maxTargetBytes else {
            throw fail(.uriTooLong, "request-target longer than \(limits.maxTargetBytes) bytes")
        }
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw fail(.malformed, "request-target holds a byte outside visible ASCII")
        }
        version = try parseVersion(versionBytes)
        method = HTTPMethod(rawValue: String(decoding: methodBytes, as: UTF8.self))
        target = String(decoding: targetBytes, as: UTF8.self)
        pendingTarget = target
        let first = targetBytes.first!
        if target == "*" {
            guard method == .options else { throw fail(.malformed, "asterisk-form target outside OPTIONS") }
        } else if first != UInt8(ascii: "/") {
            let lower = target.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
                throw fail(.malformed, "request-target is neither origin-form nor absolute-form")
            }
        }
        guard limits.implementedMethods.contains(method) else {
            throw fail(.notImplemented, "method \(method.rawValue) is not implemented")
        }
    }

    private func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPRequestParseError) -> HTTPVersion {
        let b = Array(bytes)
        guard b.count == 8, b[0...4] == Array("HTTP/".utf8)[...], b[6] == UInt8(ascii: "."),
            Self.isDigit(b[5]), Self.isDigit(b[7])
        else {
            throw fail(.malformed, "malformed HTTP version")
        }
        let v = HTTPVersion(major: Int(b[5] - 0x30), minor: Int(b[7] - 0x30))
        guard v == .http1_0 || v == .http1_1 else {
            throw fail(.versionNotSupported, "\(v) is not supported (HTTP/1.0 and HTTP/1.1 are)")
        }
        return v
    }

    private func parseField(
        _ line: ArraySlice<UInt8>, existing: Int, what: String
    ) throws(HTTPRequestParseError) -> HTTPField {
        if line.first == 0x20 || line.first == 0x09 {
            throw fail(.malformed, "obsolete line folding in a \(what) field")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw fail(.malformed, "\(what) line without a colon")
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(Self.isTokenChar) else {
            throw fail(.malformed, "\(what) field name is empty or not a token")
        }
        var value = line[(colon + 1)...]
        while let f = value.first, f == 0x20 || f == 0x09 { value.removeFirst() }
        while let l = value.last, l == 0x20 || l == 0x09 { value.removeLast() }
        guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
            throw fail(.malformed, "control character in a \(what) field value")
        }
        guard existing < limits.maxHeaderCount else {
            throw fail(.headerFieldsTooLarge, "more than \(limits.maxHeaderCount) \(what) fields")
        }
        // obs-text (0x80-0xFF) is allowed but opaque: decode as Latin-1 so no byte is lost.
        let valueText = String(String.UnicodeScalarView(value.map { Unicode.Scalar($0) }))
        return HTTPField(name: String(decoding: name, as: UTF8.self), value: valueText)
    }

    // MARK: - Framing

    /// After the header section: decides how the body is framed; returns a request at once
    /// when there is no body.
    private mutating func startBody() throws(HTTPRequestParseError) -> Step? {
        if version == .http1_1 {
            let hosts = headers.values("Host")
            guard hosts.count == 1 else {
                throw fail(.malformed, hosts.isEmpty ? "HTTP/1.1 request without Host" : "more than one Host field")
            }
        }
        let transferEncodings = headers.values("Transfer-Encoding")
        let contentLengths = headers.values("Content-Length")
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else {
                throw fail(.malformed, "both Transfer-Encoding and Content-Length")
            }
            guard version == .http1_1 else {
                throw fail(.malformed, "Transfer-Encoding in an HTTP/1.0 request")
            }
            let codings = headers.listValues("Transfer-Encoding").map { $0.lowercased() }
            guard codings.last == "chunked" else {
                if codings.contains("chunked") { throw fail(.malformed, "chunked is not the final transfer coding") }
                throw fail(.notImplemented, "transfer coding \(codings.last ?? "(empty)") is not implemented")
            }
            guard codings.count == 1 else {
                throw fail(.notImplemented, "only the chunked transfer coding is implemented")
            }
            noteExpectation()
            state = .chunkSize
            return nil
        }
        if !contentLengths.isEmpty {
            guard contentLengths.count == 1 else { throw fail(.malformed, "more than one Content-Length") }
            let text = contentLengths[0]
            guard !text.isEmpty, text.utf8.allSatisfy(Self.isDigit) else {
                throw fail(.malformed, "Content-Length is not a decimal number")
            }
            guard text.utf8.count <= 15, let length = Int(text) else {
                throw fail(.contentTooLarge, "Content-Length above \(limits.maxBodyBytes) bytes")
            }
            guard length <= limits.maxBodyBytes else {
                throw fail(.contentTooLarge, "Content-Length \(length) above \(limits.maxBodyBytes) bytes")
            }
            if length == 0 { return .request(finish()) }
            noteExpectation()
            state = .fixedBody(remaining: length)
            return nil
        }
        if limits.requireLengthForContentMethods && [.post, .put, .patch].contains(method) {
            throw fail(.lengthRequired, "\(method.rawValue) needs Content-Length or a chunked body")
        }
        return .request(finish())
    }

    private mutating func noteExpectation() {
        continueExpected = headers.listContains("Expect", token: "100-continue")
    }

    private func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPRequestParseError) -> Int {
        var digits = line
        if let semicolon = line.firstIndex(of: UInt8(ascii: ";")) { digits = line[line.startIndex..<semicolon] }
        while let l = digits.last, l == 0x20 || l == 0x09 { digits.removeLast() }
        guard !digits.isEmpty else { throw fail(.malformed, "empty chunk size") }
        var size = 0
        for d in digits {
            guard let v = Self.hexValue(d) else { throw fail(.malformed, "chunk size is not hexadecimal") }
            guard size <= (Int.max >> 4) else { throw fail(.contentTooLarge, "chunk size overflows") }
            size = size << 4 | v
        }
        return size
    }

    /// The assembled request; resets for the next one.
    private mutating func finish() -> HTTPRequest {
        let connection = headers.listValues("Connection").map { $0.lowercased() }
        let keepAlive: Bool
        if connection.contains("close") {
            keepAlive = false
        } else if version == .http1_0 {
            keepAlive = connection.contains("keep-alive")
        } else {
            keepAlive = true
        }
        let request = HTTPRequest(
            method: method, target: target, version: version, headers: headers, body: body,
            trailers: trailers, keepAlive: keepAlive)
        headers = HTTPHeaders()
        trailers = HTTPHeaders()
        body = []
        sectionBytes = 0
        continueExpected = false
        pendingTarget = nil
        state = .requestLine(emptyLinesSkipped: 0)
        return request
    }

    /// Drops consumed bytes once they are most of the buffer.
    private mutating func compact() {
        if readIndex > 4096 && readIndex * 2 > buffer.count || readIndex == buffer.count {
            droppedBytes += readIndex
            buffer.removeFirst(readIndex)
            scanIndex -= readIndex
            readIndex = 0
        }
    }

    // MARK: - Characters

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }

    /// RFC 9110 section 5.6.2 tchar.
    static func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }
}
