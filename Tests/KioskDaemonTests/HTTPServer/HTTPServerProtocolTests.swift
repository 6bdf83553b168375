import Foundation
import KioskCore
import KioskSystem
import Testing
@testable import KioskDaemon

/// HTTP/1.1 behaviour of `HTTPServer` on real 127.0.0.1 sockets.
@Suite(.serialized, .timeLimit(.minutes(1))) struct HTTPServerProtocolTests {
    @Test func twoRequestsOnOneKeepAliveConnection() async throws {
        try await withTestServer { server, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(getRequest("/first?x=1"))
            let first = try await client.readResponse()
            #expect(first.status == 200)
            #expect(first.bodyText == "path /first")
            #expect(first.header("Connection") == nil)
            #expect(first.header("Date")?.hasSuffix(" GMT") == true)
            try await client.send(getRequest("/second"))
            let second = try await client.readResponse()
            #expect(second.bodyText == "path /second")
            #expect(server.openConnectionCount == 1)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            // The first is the slowest: answers must still come in request order.
            try await client.send(getRequest("/slow?ms=300") + postRequest("/echo", body: "second") + getRequest("/third"))
            #expect(try await client.readResponse().bodyText == "slow 300")
            #expect(try await client.readResponse().bodyText == "second")
            #expect(try await client.readResponse().bodyText == "path /third")
        }
    }

    @Test func contentLengthAndChunkedBodies() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(postRequest("/echo", body: "bonjour le hall"))
            let plain = try await client.readResponse()
            #expect(plain.bodyText == "bonjour le hall")
            #expect(plain.header("X-Method") == "POST")
            #expect(plain.header("X-Peer-Loopback") == "true")
            // RFC 9112 section 7.1 framing, with an extension and a trailer.
            try await client.send(
                "PUT /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\nWiki\r\n5;ext=1\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: ok\r\n\r\n")
            let chunked = try await client.readResponse()
            #expect(chunked.bodyText == "Wikipedia in\r\n\r\nchunks.")
            #expect(chunked.header("X-Method") == "PUT")
        }
    }

    @Test func bodyArrivingInPiecesIsAssembled() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            let body = String(repeating: "0123456789", count: 30_000)  // 300 kB, several reads
            try await client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
            for piece in stride(from: 0, to: body.utf8.count, by: 100_000) {
                try await client.send(Array(Array(body.utf8)[piece..<min(piece + 100_000, body.utf8.count)]))
                try await Task.sleep(for: .milliseconds(20))
            }
            let response = try await client.readResponse()
            #expect(response.body.count == body.utf8.count)
            #expect(response.bodyText == body)
        }
    }

    @Test func malformedRequestLineIs400JSONAndCloses() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send("GET  /double-space HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("Content-Type") == "application/json; charset=utf-8")
            #expect(response.header("Connection") == "close")
            #expect(response.errorStatus == 400)
            #expect(response.errorReason?.isEmpty == false)
            #expect(await client.isClosedByServer())
        }
    }

    @Test func malformedHeaderIs400() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\nHost: localhost\r\nBad Header: value\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.errorStatus == 400)
            #expect(await client.isClosedByServer())
        }
    }

    @Test func missingHostIs400() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send("GET / HTTP/1.1\r\n\r\n")
            #expect(try await client.readResponse().status == 400)
        }
    }

    @Test func expectContinueGets100BeforeTheBody() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(
                "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await client.readResponse()
            #expect(interim.status == 100)
            try await client.send("hello")
            let final = try await client.readResponse()
            #expect(final.status == 200)
            #expect(final.bodyText == "hello")
        }
    }

    @Test func expectContinueWithARejectedHeadGetsTheErrorOnly() async throws {
        try await withTestServer(limits: testLimits(maxBodyBytes: 1000)) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(
                "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(await client.isClosedByServer())
        }
    }

    @Test func headHasNoBodyButItsLength() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send("HEAD /big?n=1234 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let head = try await client.readResponse(head: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "1234")
            // Had body bytes followed, they would be read as the next status line.
            try await client.send(getRequest("/after"))
            let next = try await client.readResponse()
            #expect(next.status == 200)
            #expect(next.bodyText == "path /after")
        }
    }

    @Test func http10ClosesAfterTheResponse() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send("GET /old HTTP/1.0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.version == "HTTP/1.0")
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(response.bodyText == "path /old")
            #expect(try await client.readUntilClosed().isEmpty)
        }
    }

    @Test func http10KeepAliveStaysOpen() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try await client.readResponse().header("Connection") == "keep-alive")
            try await client.send("GET /b HTTP/1.0\r\n\r\n")
            #expect(try await client.readResponse().bodyText == "path /b")
            #expect(await client.isClosedByServer())
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(getRequest("/bye", extra: "Connection: close\r\n"))
            let response = try await client.readResponse()
            #expect(response.header("Connection") == "close")
            #expect(await client.isClosedByServer())
        }
    }

    @Test func handlerHTTPErrorGivesItsStatusAndReason() async throws {
        try await withTestServer { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(getRequest("/conflict"))
            let response = try await client.readResponse()
            #expect(response.status == 409)
            #expect(response.errorStatus == 409)
            #expect(response.errorReason == "notice n-1 already exists")
            // An error answer from the handler keeps the connection.
            try await client.send(getRequest("/still-here"))
            #expect(try await client.readResponse().bodyText == "path /still-here")
        }
    }

    @Test func otherHandlerErrorIs500WithoutDetails() async throws {
        let log = CapturedLog()
        try await withTestServer(log: log) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(getRequest("/boom"))
            let response = try await client.readResponse()
            #expect(response.status == 500)
            #expect(response.errorReason == "internal error")
            #expect(!response.bodyText.contains("secret"))
            #expect(!response.headers.contains { $0.value.contains("secret") })
        }
        #expect(log.contains(TestHandler.secret))
    }

    @Test func accessLogHasOneLinePerRequest() async throws {
        let log = CapturedLog()
        try await withTestServer(log: log) { _, port in
            let client = try await HTTPTestClient.connect(port: port)
            defer { client.close() }
            try await client.send(getRequest("/logged?token=hidden"))
            _ = try await client.readResponse()
        }
        let lines = log.lines.filter { $0.contains("GET /logged") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains(" 200 ") == true)
        #expect(lines.first?.contains("127.0.0.1:") == true)
        #expect(lines.first?.contains("DEBUG") == true)
        #expect(!log.contains("hidden"))
    }
}
