import KioskSystem
import Testing

@Suite struct SocketAddressTests {
    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", UInt16(8080), "127.0.0.1:8080"),
        ("0.0.0.0:80", "0.0.0.0", 80, "0.0.0.0:80"),
        ("[::1]:8080", "::1", 8080, "[::1]:8080"),
        ("[::]:0", "::", 0, "[::]:0"),
        ("[fe80::1:2]:65535", "fe80::1:2", 65535, "[fe80::1:2]:65535"),
        ("localhost:8080", "127.0.0.1", 8080, "127.0.0.1:8080"),
        ("LOCALHOST:1", "127.0.0.1", 1, "127.0.0.1:1"),
    ])
    func parsesTheListenForms(text: String, host: String, port: UInt16, description: String) throws {
        let address = try SocketAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == description)
        #expect(try SocketAddress(parsing: address.description) == address)
    }

    @Test(arguments: [
        "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80a",
        "::1:8080", "[::1]", "[::1]8080", "[127.0.0.1]:80", "256.0.0.1:80", "1.2.3:80",
        "example.org:80", "kiosk.local:8080", "[::1:80", "127.0.0.1:+80", "127.0.0.1:123456",
    ])
    func refusesOtherText(text: String) {
        let error = #expect(throws: SocketAddressParseError.self) { try SocketAddress(parsing: text) }
        #expect(error?.description.contains(text) == true)
    }

    @Test func loopbackAndUnspecified() throws {
        #expect(try SocketAddress(parsing: "127.0.0.1:1").isLoopback)
        #expect(try SocketAddress(parsing: "127.200.3.4:1").isLoopback)
        #expect(try SocketAddress(parsing: "[::1]:1").isLoopback)
        #expect(try SocketAddress(parsing: "[::ffff:127.0.0.1]:1").isLoopback)
        #expect(try !SocketAddress(parsing: "[::ffff:10.0.0.1]:1").isLoopback)
        #expect(try !SocketAddress(parsing: "10.0.0.1:1").isLoopback)
        #expect(try !SocketAddress(parsing: "128.0.0.1:1").isLoopback)
        #expect(try !SocketAddress(parsing: "0.0.0.0:1").isLoopback)
        #expect(try !SocketAddress(parsing: "[::]:1").isLoopback)
        #expect(try !SocketAddress(parsing: "[::2]:1").isLoopback)
        #expect(try SocketAddress(parsing: "0.0.0.0:1").isUnspecified)
        #expect(try SocketAddress(parsing: "[::]:1").isUnspecified)
        #expect(try !SocketAddress(parsing: "127.0.0.1:1").isUnspecified)
    }

    @Test func constructorsAgreeWithParsing() throws {
        #expect(SocketAddress.loopback(port: 8080) == (try SocketAddress(parsing: "127.0.0.1:8080")))
        #expect(SocketAddress(ipv4: 192, 168, 1, 20, port: 80).description == "192.168.1.20:80")
        #expect(SocketAddress.loopback(port: 1).withPort(2).port == 2)
    }
}
