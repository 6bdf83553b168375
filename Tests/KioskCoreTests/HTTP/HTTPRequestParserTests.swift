import Foundation
import Testing

@testable import KioskCore

/// Feeds `text` in one piece and returns every request it yields, plus the parser.
private func parseAll(_ text: String, limits: HTTPRequestParser.Limits = .init()) throws -> [HTTPRequest] {
    var parser = HTTPRequestParser(limits: limits)
    var out: [HTTPRequest] = []
    var step = try parser.feed(Array(text.utf8))
    while case .request(let r) = step {
        out.append(r)
        step = try parser.next()
    }
    return out
}

/// Feeds `bytes` split at the given sizes, collecting requests after every piece.
private func parsePieces(_ bytes: [UInt8], pieceSize: Int) throws -> [HTTPRequest] {
    var parser = HTTPRequestParser()
    var out: [HTTPRequest] = []
    var i = 0
    while i < bytes.count {
        let end = min(bytes.count, i + pieceSize)
        var step = try parser.feed(bytes[i..<end])
        while case .request(let r) = step {
            out.append(r)
            step = try parser.next()
        }
        i = end
    }
    return out
}

private func parseError(_ text: String, limits: HTTPRequestParser.Limits = .init()) -> HTTPRequestParseError? {
    do {
        _ = try parseAll(text, limits: limits)
        return nil
    } catch {
        return error as? HTTPRequestParseError
    }
}

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    @Test("a well-formed GET")
    func simpleGet() throws {
        let requests = try parseAll("GET /feeds/programme.ics?from=2026-01-01&x=a%20b HTTP/1.1\r\nHost: kiosk.local\r\nAccept:  text/calendar \r\n\r\n")
        let r = try #require(requests.first)
        #expect(requests.count == 1)
        #expect(r.method == .get)
        #expect(r.target == "/feeds/programme.ics?from=2026-01-01&x=a%20b")
        #expect(r.path == "/feeds/programme.ics")
        #expect(r.query == "from=2026-01-01&x=a%20b")
        #expect(r.queryFields?["x"] == "a b")
        #expect(r.version == .http1_1)
        #expect(r.headers["accept"] == "text/calendar")
        #expect(r.headers["HOST"] == "kiosk.local")
        #expect(r.body.isEmpty)
        #expect(r.keepAlive)
    }

    @Test("a POST with Content-Length, fed whole, in pieces, and one byte at a time")
    func postWithContentLength() throws {
        let body = "{\"title\":\"Atelier vélo\"}"
        let text = "POST /api/v1/notices HTTP/1.1\r\nHost: k\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        for size in [1, 2, 3, 7, 64, 10_000] {
            let requests = try parsePieces(Array(text.utf8), pieceSize: size)
            #expect(requests.count == 1, "piece size \(size)")
            #expect(requests.first.map { String(decoding: $0.body, as: UTF8.self) } == body)
            #expect(requests.first?.method == .post)
        }
    }

    @Test("a chunked body split at every byte, with extensions and trailers")
    func chunkedEverySplit() throws {
        let text = "PUT /api/v1/programme HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n"
            + "7 ; ext\r\n, world\r\n"
            + "A\r\n0123456789\r\n"
            + "0\r\nX-Checksum: abc\r\n\r\n"
        let bytes = Array(text.utf8)
        for split in 0...bytes.count {
            var parser = HTTPRequestParser()
            var found: [HTTPRequest] = []
            if case .request(let r) = try parser.feed(bytes[0..<split]) { found.append(r) }
            if case .request(let r) = try parser.feed(bytes[split...]) { found.append(r) }
            #expect(found.count == 1, "split at \(split)")
            #expect(found.first.map { String(decoding: $0.body, as: UTF8.self) } == "hello, world0123456789", "split at \(split)")
            #expect(found.first?.trailers["x-checksum"] == "abc")
            #expect(found.first?.headers["X-Checksum"] == nil)
        }
        let oneByOne = try parsePieces(bytes, pieceSize: 1)
        #expect(oneByOne.count == 1)
    }

    @Test("pipelined requests come out one by one, leftovers kept")
    func pipelining() throws {
        let text = "GET /a HTTP/1.1\r\nHost: k\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: k\r\nContent-Length: 3\r\n\r\nabc"
            + "GET /c HTTP/1.1\r\nHost: k\r\nConnection: close\r\n\r\n"
            + "GET /d HT"
        var parser = HTTPRequestParser()
        var step = try parser.feed(Array(text.utf8))
        var paths: [String] = []
        while case .request(let r) = step {
            paths.append(r.path)
            step = try parser.next()
        }
        #expect(paths == ["/a", "/b", "/c"])
        #expect(parser.bufferedByteCount == "GET /d HT".utf8.count)
        guard case .request(let d) = try parser.feed(Array("TP/1.1\r\nHost: k\r\n\r\n".utf8)) else {
            Issue.record("the fourth request did not complete")
            return
        }
        #expect(d.path == "/d")
        #expect(parser.isIdle)
        // Pieces of every size give the same sequence.
        for size in [1, 5, 13] {
            #expect(try parsePieces(Array(text.utf8), pieceSize: size).map(\.path) == ["/a", "/b", "/c"])
        }
    }

    @Test("keep-alive: HTTP/1.1 default on, Connection: close off, HTTP/1.0 default off")
    func keepAlive() throws {
        #expect(try parseAll("GET / HTTP/1.1\r\nHost: k\r\n\r\n")[0].keepAlive)
        #expect(try !parseAll("GET / HTTP/1.1\r\nHost: k\r\nConnection: Close\r\n\r\n")[0].keepAlive)
        #expect(try !parseAll("GET / HTTP/1.1\r\nHost: k\r\nConnection: te, close\r\n\r\n")[0].keepAlive)
        #expect(try !parseAll("GET / HTTP/1.0\r\n\r\n")[0].keepAlive)
        #expect(try parseAll("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")[0].keepAlive)
    }

    @Test("bare LF line endings are accepted, bare CR is refused")
    func lineEndings() throws {
        let r = try parseAll("GET /x HTTP/1.1\nHost: k\n\n")
        #expect(r.first?.path == "/x")
        #expect(parseError("GET /x HTTP/1.1\rHost: k\r\n\r\n")?.status.code == 400)
        #expect(parseError("GET /x HTTP/1.1\r\nHost: k\rX: y\r\n\r\n")?.status.code == 400)
    }

    @Test("empty lines before the request line are skipped, but not forever")
    func leadingEmptyLines() throws {
        #expect(try parseAll("\r\n\r\nGET / HTTP/1.1\r\nHost: k\r\n\r\n").count == 1)
        #expect(parseError(String(repeating: "\r\n", count: 20) + "GET / HTTP/1.1\r\nHost: k\r\n\r\n")?.status.code == 400)
    }

    @Test("400: malformed request lines and header fields", arguments: [
        "GET  / HTTP/1.1\r\nHost: k\r\n\r\n",  // two spaces
        "GET /\r\nHost: k\r\n\r\n",  // HTTP/0.9 style
        "GET / HTTP/1.1 extra\r\nHost: k\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: k\r\n\r\n",  // not a token
        "GET foo HTTP/1.1\r\nHost: k\r\n\r\n",  // not origin-form
        "GET * HTTP/1.1\r\nHost: k\r\n\r\n",  // asterisk outside OPTIONS
        "GET /a\u{7F}b HTTP/1.1\r\nHost: k\r\n\r\n",
        "GET / HTTQ/1.1\r\nHost: k\r\n\r\n",
        "GET / HTTP/1.10\r\nHost: k\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: k\r\nX-Folded: a\r\n b\r\n\r\n",  // obs-fold
        "GET / HTTP/1.1\r\nHost: k\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: k\r\nBad Name: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : k\r\n\r\n",  // space before colon
        "GET / HTTP/1.1\r\nHost: k\r\n: empty\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: k\r\nX: a\u{01}b\r\n\r\n",  // control character
        "GET / HTTP/1.1\r\n\r\n",  // no Host
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    ])
    func malformed(text: String) {
        let error = parseError(text)
        #expect(error?.kind == .malformed, "\(text.debugDescription)")
        #expect(error?.status.code == 400)
    }

    @Test("400: Content-Length duplicates, conflicts, signs, and TE with CL", arguments: [
        "POST / HTTP/1.1\r\nHost: k\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
        "POST / HTTP/1.1\r\nHost: k\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "POST / HTTP/1.1\r\nHost: k\r\nContent-Length: 3, 3\r\n\r\nabc",
        "POST / HTTP/1.1\r\nHost: k\r\nContent-Length: +3\r\n\r\nabc",
        "POST / HTTP/1.1\r\nHost: k\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: k\r\nContent-Length: \r\n\r\n",
        "POST / HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ])
    func badFraming(text: String) {
        #expect(parseError(text)?.status.code == 400, "\(text.debugDescription)")
    }

    @Test("400: malformed chunks", arguments: [
        "zz\r\n",  // not hex
        "\r\n",  // empty size
        "3\r\nabcX\r\n",  // data not followed by CRLF
        "3\r\nabc\r\n0\r\nBad Trailer\r\n\r\n",
        "1;" + String(repeating: "x", count: 300) + "\r\na\r\n0\r\n\r\n",  // chunk line too long
    ])
    func badChunks(chunks: String) {
        let text = "POST / HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks
        #expect(parseError(text)?.status.code == 400, "\(chunks.debugDescription)")
    }

    @Test("411: POST without a length")
    func lengthRequired() throws {
        #expect(parseError("POST /api/v1/notices HTTP/1.1\r\nHost: k\r\n\r\n")?.status.code == 411)
        // A GET without a length has no body.
        #expect(try parseAll("GET / HTTP/1.1\r\nHost: k\r\n\r\n").count == 1)
        var relaxed = HTTPRequestParser.Limits()
        relaxed.requireLengthForContentMethods = false
        #expect(try parseAll("POST / HTTP/1.1\r\nHost: k\r\n\r\n", limits: relaxed).first?.body == [])
    }

    @Test("413: declared and chunked bodies above the limit, and a huge Content-Length")
    func bodyTooLarge() throws {
        var limits = HTTPRequestParser.Limits()
        limits.maxBodyBytes = 10
        #expect(try parseAll("POST / HTTP/1.1\r\nHost: k\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits).count == 1)
        // Refused from the head alone, before any body byte arrives.
        #expect(parseError("POST / HTTP/1.1\r\nHost: k\r\nContent-Length: 11\r\n\r\n", limits: limits)?.status.code == 413)
        #expect(parseError("POST / HTTP/1.1\r\nHost: k\r\nContent-Length: 99999999999999999999999\r\n\r\n")?.status.code == 413)
        let chunked = "POST / HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n"
        #expect(parseError(chunked, limits: limits)?.status.code == 413)
        let hugeChunk = "POST / HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n"
        #expect(parseError(hugeChunk)?.status.code == 413)
    }

    @Test("414: request-target above the limit, whether or not the line is complete")
    func uriTooLong() {
        var limits = HTTPRequestParser.Limits()
        limits.maxTargetBytes = 100
        let longTarget = "/" + String(repeating: "a", count: 100)
        #expect(parseError("GET \(longTarget) HTTP/1.1\r\nHost: k\r\n\r\n", limits: limits)?.status.code == 414)
        // Still streaming the target (no end of line yet).
        #expect(parseError("GET /" + String(repeating: "a", count: 500), limits: limits)?.status.code == 414)
        #expect(parseError("GET /" + String(repeating: "a", count: 98) + " HTTP/1.1\r\nHost: k\r\n\r\n", limits: limits) == nil)
        // Found by the fuzzer: an over-long target followed by more words on the same line is
        // 414 whether the line arrives whole or one byte at a time.
        let line = Array(("PO /" + String(repeating: "k", count: 200) + " ices \n").utf8)
        var wholeParser = HTTPRequestParser(limits: limits)
        var pieceParser = HTTPRequestParser(limits: limits)
        var statuses: [Int] = []
        do { _ = try wholeParser.feed(line) } catch { statuses.append(error.status.code) }
        do { for b in line { _ = try pieceParser.feed([b]) } } catch { statuses.append(error.status.code) }
        #expect(statuses == [414, 414])
    }

    @Test("431: header section bytes, field count, and trailer size")
    func headersTooLarge() {
        var limits = HTTPRequestParser.Limits()
        limits.maxHeaderBytes = 200
        limits.maxHeaderCount = 5
        let big = "GET / HTTP/1.1\r\nHost: k\r\nX-Big: " + String(repeating: "b", count: 300) + "\r\n\r\n"
        #expect(parseError(big, limits: limits)?.status.code == 431)
        // Refused while still streaming, before the line ends.
        #expect(parseError("GET / HTTP/1.1\r\nHost: k\r\nX-Big: " + String(repeating: "b", count: 300), limits: limits)?.status.code == 431)
        var many = "GET / HTTP/1.1\r\nHost: k\r\n"
        for i in 0..<5 { many += "X-\(i): v\r\n" }
        #expect(parseError(many + "\r\n", limits: limits)?.status.code == 431)
        #expect(parseError("GET / HTTP/1.1\r\nHost: k\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits) == nil)
        let trailer = "POST / HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: " + String(repeating: "t", count: 300) + "\r\n\r\n"
        #expect(parseError(trailer, limits: limits)?.status.code == 431)
    }

    @Test("501: unknown method and transfer coding; 505: other versions")
    func notImplemented() {
        #expect(parseError("BREW /pot HTTP/1.1\r\nHost: k\r\n\r\n")?.status.code == 501)
        #expect(parseError("POST / HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: gzip\r\n\r\n")?.status.code == 501)
        #expect(parseError("POST / HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")?.status.code == 501)
        #expect(parseError("GET / HTTP/2.0\r\nHost: k\r\n\r\n")?.status.code == 505)
        #expect(parseError("GET / HTTP/0.9\r\nHost: k\r\n\r\n")?.status.code == 505)
    }

    @Test("after an error the parser stays failed")
    func staysFailed() throws {
        var parser = HTTPRequestParser()
        #expect(throws: HTTPRequestParseError.self) { try parser.feed(Array("GET / HTTP/3.0\r\n".utf8)) }
        #expect(throws: HTTPRequestParseError.self) { try parser.feed(Array("GET / HTTP/1.1\r\nHost: k\r\n\r\n".utf8)) }
    }

    @Test("errors carry their byte offset in the stream")
    func errorOffset() throws {
        let first = "GET /a HTTP/1.1\r\nHost: k\r\n\r\n"
        let error = parseError(first + "GET / HTTP/1.1\r\nHost: k\r\nBad\r\n\r\n")
        #expect(error?.byteOffset ?? 0 > first.utf8.count)
    }

    @Test("Expect: 100-continue is reported until acknowledged or the body arrives")
    func expectContinue() throws {
        var parser = HTTPRequestParser()
        #expect(try parser.feed(Array("POST / HTTP/1.1\r\nHost: k\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8)) == .needMore)
        #expect(parser.continueExpected)
        parser.acknowledgeContinue()
        #expect(!parser.continueExpected)
        guard case .request(let r) = try parser.feed(Array("ok".utf8)) else {
            Issue.record("body did not complete the request")
            return
        }
        #expect(r.body == Array("ok".utf8))
    }

    @Test("obs-text in values is kept as Latin-1, absolute-form and OPTIONS * are accepted")
    func targetsAndObsText() throws {
        var bytes = Array("GET http://kiosk.local/feeds/x?y=1 HTTP/1.1\r\nHost: kiosk.local\r\nX-Old: caf".utf8)
        bytes += [0xE9] + Array("\r\n\r\n".utf8)
        var parser = HTTPRequestParser()
        guard case .request(let r) = try parser.feed(bytes) else {
            Issue.record("no request")
            return
        }
        #expect(r.path == "/feeds/x")
        #expect(r.query == "y=1")
        #expect(r.headers["x-old"] == "caf\u{E9}")
        #expect(try parseAll("OPTIONS * HTTP/1.1\r\nHost: k\r\n\r\n").first?.target == "*")
    }
}
