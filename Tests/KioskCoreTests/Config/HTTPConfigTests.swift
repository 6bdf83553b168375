import Foundation
import Testing
@testable import KioskCore

@Suite struct HTTPConfigTests {
    static let hash = "sha256:" + String(repeating: "ab", count: 32)

    @Test func defaultsListenOnLoopbackWithoutTokens() throws {
        let c = try KioskConfig.parse("[venue]\nname = X\n", path: "k.conf")
        #expect(c.http.listen == HTTPListenAddress(host: "127.0.0.1", port: 8080))
        #expect(c.http.listen?.isLoopback == true)
        #expect(c.tokens.isEmpty)
    }

    @Test func readsHTTPAndTokens() throws {
        let text = """
        [http]
        listen = 0.0.0.0:8081
        max-connections = 12
        max-connections-per-address = 3
        max-body = 2M
        request-timeout = 10s
        [token "accueil"]
        role = staff
        hash = \(Self.hash)
        [token "régie"]
        role = maintainer
        hash = SHA256:\(String(repeating: "CD", count: 32))
        """
        // "régie" is not an allowed name: letters must be ASCII.
        #expect(throws: ConfigError(path: "k.conf", line: 10, message: "token name 'régie' must be 1-40 letters, digits, '-', '_' or '.'")) {
            try KioskConfig.parse(text, path: "k.conf")
        }
        let c = try KioskConfig.parse(text.replacingOccurrences(of: "régie", with: "regie"), path: "k.conf")
        #expect(c.http.listen == HTTPListenAddress(host: "0.0.0.0", port: 8081))
        #expect(c.http.maxConnections == 12)
        #expect(c.http.maxConnectionsPerAddress == 3)
        #expect(c.http.maxBody == 2 << 20)
        #expect(c.http.requestTimeout == 10)
        #expect(c.tokens.map(\.name) == ["accueil", "regie"])
        #expect(c.tokens.map(\.role) == [.staff, .maintainer])
        #expect(c.tokens[1].digest.description == "sha256:" + String(repeating: "cd", count: 32))
        #expect(c.tokens[0].line == 7)
    }

    @Test func listenLineIsZeroUnlessWritten() throws {
        #expect(try KioskConfig.parse("[venue]\n", path: "k.conf").http.listenLine == 0)
        #expect(try KioskConfig.parse("[http]\nmax-body = 1M\n", path: "k.conf").http.listenLine == 0)
        #expect(try KioskConfig.parse("[venue]\n[http]\nlisten = 127.0.0.1:9\n", path: "k.conf").http.listenLine == 3)
    }

    @Test func offDisablesTheServer() throws {
        let c = try KioskConfig.parse("[http]\nlisten = off\n", path: "k.conf")
        #expect(c.http.listen == nil)
    }

    @Test func nonLoopbackWithoutTokenIsAnErrorOnTheListenLine() {
        #expect(throws: ConfigError(
            path: "k.conf", line: 3,
            message: "listen = 0.0.0.0:8080 is reachable from the network but no [token \"NAME\"] is configured; add one (kioskctl token new --name NAME --role staff) or listen on 127.0.0.1")
        ) {
            try KioskConfig.parse("[venue]\n[http]\nlisten = 0.0.0.0:8080\n", path: "k.conf")
        }
        #expect(throws: ConfigError.self) { try KioskConfig.parse("[http]\nlisten = [::]:8080\n", path: "k.conf") }
        #expect(throws: ConfigError.self) { try KioskConfig.parse("[http]\nlisten = 192.168.1.20:80\n", path: "k.conf") }
    }

    @Test func loopbackAddressesNeedNoToken() throws {
        for text in ["127.0.0.1:8080", "127.1.2.3:1", "[::1]:8080", "[0:0:0:0:0:0:0:1]:9", "localhost:8080", "[::ffff:127.0.0.1]:80"] {
            let c = try KioskConfig.parse("[http]\nlisten = \(text)\n", path: "k.conf")
            #expect(c.http.listen?.isLoopback == true, "\(text)")
        }
    }

    @Test(arguments: [
        ("listen = 8080", 2, "listen: '8080' is not ADDRESS:PORT with a numeric address (examples: 127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080) or off"),
        ("listen = example.org:80", 2, "listen: 'example.org:80' is not ADDRESS:PORT with a numeric address (examples: 127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080) or off"),
        ("listen = 127.0.0.1:65536", 2, "listen: '127.0.0.1:65536' is not ADDRESS:PORT with a numeric address (examples: 127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080) or off"),
        ("max-body = 10", 2, "max-body: must be from 1K to 1G"),
        ("request-timeout = 0s", 2, "request-timeout: must be from 1 s to 1 h"),
        ("max-connections = 0", 2, "max-connections: '0' must be a whole number from 1 to 10000"),
        ("port = 80", 2, "unknown key 'port' in [http]"),
    ])
    func badHTTPValues(line: String, at: Int, message: String) {
        #expect(throws: ConfigError(path: "k.conf", line: at, message: message)) {
            try KioskConfig.parse("[http]\n\(line)\n", path: "k.conf")
        }
    }

    @Test func badTokens() {
        func error(_ text: String) -> ConfigError? {
            do { _ = try KioskConfig.parse(text, path: "k.conf"); return nil } catch { return error }
        }
        #expect(error("[token]\nrole = staff\n")?.message == "a token needs a name: [token \"accueil\"]")
        #expect(error("[token \"a\"]\nhash = \(Self.hash)\n")?.message == "token \"a\" needs 'role = staff' or 'role = maintainer'")
        #expect(error("[token \"a\"]\nrole = staff\n")?.message == "token \"a\" needs 'hash = sha256:...'")
        #expect(error("[token \"a\"]\nrole = admin\nhash = \(Self.hash)\n")?.line == 2)
        let plain = error("[token \"a\"]\nrole = staff\nhash = kiosk_0123\n")
        #expect(plain?.line == 3)
        #expect(plain?.message.contains("never the token itself") == true)
        #expect(error("[token \"a\"]\nrole = staff\nhash = sha256:abcd\n")?.line == 3)
        let twice = error("[token \"a\"]\nrole = staff\nhash = \(Self.hash)\n[token \"a\"]\nrole = staff\nhash = \(Self.hash)\n")
        #expect(twice?.line == 4)
        let sameHash = error("[token \"a\"]\nrole = staff\nhash = \(Self.hash)\n[token \"b\"]\nrole = staff\nhash = \(Self.hash)\n")
        #expect(sameHash?.message == "token \"b\" has the same hash as token \"a\" (line 1)")
        #expect(error("[http \"x\"]\n")?.message == "[http] takes no name")
    }

    @Test func tokenMakesNonLoopbackListenValid() throws {
        let token = APIToken.generate()
        let c = try KioskConfig.parse("[http]\nlisten = 0.0.0.0:8080\n[token \"accueil\"]\nrole = staff\nhash = \(token.digest)\n", path: "k.conf")
        #expect(c.tokens.first?.digest.matches(token.text) == true)
        #expect(c.tokens.first?.digest.matches(token.text + "x") == false)
    }

    @Test func roleOrder() {
        #expect(APIRole.staff < .maintainer)
        #expect(!(APIRole.maintainer < .staff))
    }
}
