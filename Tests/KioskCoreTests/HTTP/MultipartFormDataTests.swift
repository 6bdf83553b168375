import Testing
@testable import KioskCore

/// `multipart/form-data` against the examples of the standards that define it.
@Suite struct MultipartFormDataTests {
    /// Lines joined with CRLF, as on the wire.
    static func wire(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) }

    /// RFC 2046 section 5.1.1's own example (a `multipart/mixed` message): a quoted boundary
    /// with a space, a preamble and an epilogue to ignore, a part with no header at all,
    /// and content whose last line break belongs to the content.
    @Test func rfc2046Example() throws {
        let contentType = "multipart/mixed; boundary=\"simple boundary\""
        let body = Self.wire([
            "This is the preamble.  It is to be ignored, though it",
            "is a handy place for composition agents to include an",
            "explanatory note to non-MIME conformant readers.",
            "",
            "--simple boundary",
            "",
            "This is implicitly typed plain US-ASCII text.",
            "It does NOT end with a linebreak.",
            "--simple boundary",
            "Content-type: text/plain; charset=us-ascii",
            "",
            "This is explicitly typed plain US-ASCII text.",
            "It DOES end with a linebreak.",
            "",
            "--simple boundary--",
            "",
            "This is the epilogue.  It is also to be ignored.",
        ])
        let boundary = try #require(MultipartFormData.boundary(fromContentType: contentType))
        #expect(boundary == "simple boundary")
        let parsed = try MultipartFormData(body: body, boundary: boundary)
        #expect(parsed.parts.count == 2)
        #expect(parsed.parts[0].headers.count == 0)
        #expect(parsed.parts[0].contentType == "text/plain")
        #expect(String(decoding: parsed.parts[0].content, as: UTF8.self)
            == "This is implicitly typed plain US-ASCII text.\r\nIt does NOT end with a linebreak.")
        #expect(parsed.parts[1].headers["Content-Type"] == "text/plain; charset=us-ascii")
        #expect(String(decoding: parsed.parts[1].content, as: UTF8.self)
            == "This is explicitly typed plain US-ASCII text.\r\nIt DOES end with a linebreak.\r\n")
    }

    /// The form of HTML 4.01 section 17.13.4 (the example RFC 2388 and 7578 follow): a text
    /// field and a file, lowercase and mixed-case header names.
    @Test func htmlFormExample() throws {
        let body = Self.wire([
            "--AaB03x",
            "Content-Disposition: form-data; name=\"submit-name\"",
            "",
            "Larry",
            "--AaB03x",
            "Content-Disposition: form-data; name=\"files\"; filename=\"file1.txt\"",
            "Content-Type: text/plain",
            "",
            "... contents of file1.txt ...",
            "--AaB03x--",
            "",
        ])
        let request = HTTPRequest(
            method: .post, target: "/", headers: ["Content-Type": "multipart/form-data; boundary=AaB03x"], body: body)
        let form = try #require(try MultipartFormData(request: request))
        #expect(form.text("submit-name") == "Larry")
        let file = try #require(form["files"])
        #expect(file.filename == "file1.txt")
        #expect(file.contentType == "text/plain")
        #expect(String(decoding: file.content, as: UTF8.self) == "... contents of file1.txt ...")
        #expect(form["submit-name"]?.filename == nil)
    }

    /// RFC 7578 section 4.4's example part: header names in lowercase, a `charset`
    /// parameter, and a `content-transfer-encoding` this parser leaves undecoded (section
    /// 4.7: senders must not use it), so the bytes come back exactly as sent.
    @Test func rfc7578Section4_4Example() throws {
        let body = Self.wire([
            "--AaB03x",
            "content-disposition: form-data; name=\"field1\"",
            "content-type: text/plain;charset=UTF-8",
            "content-transfer-encoding: quoted-printable",
            "",
            "Joe owes =E2=82=AC100.",
            "--AaB03x--",
        ])
        let parsed = try MultipartFormData(body: body, boundary: "AaB03x")
        let part = try #require(parsed["field1"])
        #expect(part.contentType == "text/plain")
        #expect(part.headers["Content-Transfer-Encoding"] == "quoted-printable")
        #expect(parsed.text("field1") == "Joe owes =E2=82=AC100.")
    }

    /// What Chromium sends: a WebKit-style boundary, an empty file input (empty filename,
    /// `application/octet-stream`), binary content holding CR LF and a near-boundary.
    @Test func browserStyleBodyWithBinaryContent() throws {
        let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"prog.ics\"\r\nContent-Type: text/calendar\r\n\r\n".utf8)
        let content: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A] + Array("--\(boundary.dropLast())X\r\n--".utf8) + [0x0D, 0x0A]
        body += content
        body += Array("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        let request = HTTPRequest(
            method: .post, target: "/", headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"], body: body)
        let form = try #require(try MultipartFormData(request: request))
        #expect(form["file"]?.content == content)
        #expect(form["empty"]?.filename == "")
        #expect(form["empty"]?.content == [])
    }

    @Test func quotedParameterValuesKeepSemicolonsAndEscapes() {
        let split = MediaTypeParameters.split(#"form-data; name="a;b"; filename="x \"y\".ics""#)
        #expect(split.type == "form-data")
        #expect(split.parameters["name"] == "a;b")
        #expect(split.parameters["filename"] == #"x "y".ics"#)
    }

    @Test func boundaryGrammar() {
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(MultipartFormData.boundary(fromContentType: "Multipart/Form-Data; BOUNDARY=\"a b\"") == "a b")
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data") == nil)
        #expect(MultipartFormData.boundary(fromContentType: "text/plain; boundary=abc") == nil)
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=\(String(repeating: "a", count: 71))") == nil)
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=\"ends with space \"") == nil)
        #expect(MultipartFormData.boundary(fromContentType: "multipart/form-data; boundary=\"a<b\"") == nil)
    }

    @Test func malformedBodiesAreErrors() {
        // No closing delimiter.
        #expect(throws: MultipartFormData.ParseError.self) {
            try MultipartFormData(body: Self.wire(["--b", "Content-Disposition: form-data; name=\"a\"", "", "x"]), boundary: "b")
        }
        // The boundary never appears.
        #expect(throws: MultipartFormData.ParseError.self) {
            try MultipartFormData(body: Array("hello".utf8), boundary: "b")
        }
        // Headers never end.
        #expect(throws: MultipartFormData.ParseError.self) {
            try MultipartFormData(body: Self.wire(["--b", "Content-Disposition: form-data; name=\"a\"", "--b--"]), boundary: "b")
        }
        // Garbage after a delimiter on its line.
        #expect(throws: MultipartFormData.ParseError.self) {
            try MultipartFormData(body: Self.wire(["--bX", "", "x", "--b--"]), boundary: "b")
        }
        // A form-data body part without a name.
        let request = HTTPRequest(
            method: .post, target: "/", headers: ["Content-Type": "multipart/form-data; boundary=b"],
            body: Self.wire(["--b", "Content-Type: text/plain", "", "x", "--b--"]))
        #expect(throws: MultipartFormData.ParseError.self) { try MultipartFormData(request: request) }
        // Too many parts.
        var limits = MultipartFormData.Limits()
        limits.maximumParts = 2
        let three = Self.wire(["--b", "", "1", "--b", "", "2", "--b", "", "3", "--b--"])
        #expect(throws: MultipartFormData.ParseError.self) { try MultipartFormData(body: three, boundary: "b", limits: limits) }
        #expect((try? MultipartFormData(body: three, boundary: "b"))?.parts.count == 3)
    }

    /// SplitMix64: a seeded generator so the random cases are the same on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Bodies built from random parts (binary content, CR/LF, dashes, pieces of the
    /// boundary) parse back to exactly those parts; random mutations of them never trap.
    @Test func randomBodiesRoundTripAndMutationsNeverTrap() throws {
        var random = SeededGenerator(state: 7578)
        let boundary = "xYz-42"
        let alphabet: [UInt8] = Array("\r\n-xYz42 a\"".utf8) + [0x00, 0xFF, 0xC3, 0xA9]
        for _ in 0..<300 {
            var parts: [(name: String, content: [UInt8])] = []
            var body: [UInt8] = []
            for index in 0..<Int.random(in: 1...4, using: &random) {
                var content = (0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                // Content must not contain the delimiter itself (RFC 2046: the sender picks
                // a boundary that does not occur); drop any that does.
                while MultipartFormData.find(Array("\r\n--\(boundary)".utf8), in: content, from: 0) != nil { content.removeLast() }
                let name = "f\(index)"
                parts.append((name, content))
                body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n".utf8) + content + Array("\r\n".utf8)
            }
            body += Array("--\(boundary)--\r\n".utf8)
            // The delimiter starts with the only CR it holds, so no suffix of it is also a
            // prefix: content ending in "\r\n-", "\r" and so on cannot run into it.
            if let parsed = try? MultipartFormData(body: body, boundary: boundary) {
                #expect(parsed.parts.map(\.name) == parts.map(\.name))
                #expect(parsed.parts.map(\.content) == parts.map(\.content))
            } else {
                Issue.record("a well-formed body did not parse: \(String(decoding: body, as: UTF8.self).debugDescription)")
            }
            for _ in 0..<5 {
                var mutated = body
                for _ in 0..<Int.random(in: 1...4, using: &random) where !mutated.isEmpty {
                    let at = Int.random(in: 0..<mutated.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: mutated[at] = alphabet.randomElement(using: &random)!
                    case 1: mutated.remove(at: at)
                    default: mutated.removeSubrange(at...)
                    }
                }
                _ = try? MultipartFormData(body: mutated, boundary: boundary)
            }
        }
    }

    @Test func otherContentTypesAreNotMultipart() throws {
        let request = HTTPRequest(method: .post, target: "/", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Array("a=1".utf8))
        #expect(try MultipartFormData(request: request) == nil)
    }
}
