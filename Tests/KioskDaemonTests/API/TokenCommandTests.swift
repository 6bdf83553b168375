import Foundation
import Testing
import KioskCore
@testable import KioskDaemon

/// `kioskctl token new`: the token printed once, and configuration lines that accept it.
@Suite struct TokenCommandTests {
    func run(_ arguments: [String]) async -> (status: Int32, out: String, err: String) {
        var output = ControlOutput.captured
        let status = await ControlCommand.main(arguments: arguments, output: &output)
        return (status, output.standardOutput, output.standardError)
    }

    @Test func printedLinesAcceptThePrintedToken() async throws {
        let result = await run(["token", "new", "--name", "accueil", "--role", "staff"])
        #expect(result.status == 0)
        let lines = result.out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let token = try #require(lines.first { $0.hasPrefix(APIToken.prefix) })
        #expect(token.count == APIToken.prefix.count + 64)
        let sectionStart = try #require(result.out.range(of: "[token \"accueil\"]"))
        let config = try KioskConfig.parse("[http]\nlisten = 0.0.0.0:8080\n" + result.out[sectionStart.lowerBound...], path: "k.conf")
        #expect(config.tokens.count == 1)
        #expect(config.tokens[0].name == "accueil")
        #expect(config.tokens[0].role == .staff)
        #expect(config.tokens[0].digest.matches(token))
        // The configuration holds the hash, never the token.
        #expect(!result.out[sectionStart.lowerBound...].contains(token))
        #expect(APITokenTable(config.tokens).principal(authorization: "Bearer \(token)") == Principal(name: "accueil", role: .staff))
    }

    @Test func jsonFormatAndFreshTokensEachTime() async throws {
        let first = await run(["token", "new", "--name", "regie", "--role", "maintainer", "--format", "json"])
        let second = await run(["token", "new", "--name", "regie", "--role", "maintainer", "--format", "json"])
        #expect(first.status == 0 && second.status == 0)
        let a = try #require(try JSONSerialization.jsonObject(with: Data(first.out.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(second.out.utf8)) as? [String: Any])
        let token = try #require(a["token"] as? String)
        #expect(token != b["token"] as? String)
        #expect(a["role"] as? String == "maintainer")
        #expect(a["hash"] as? String == APIToken(text: token).digest.description)
        let config = try KioskConfig.parse(try #require(a["config"] as? String), path: "k.conf")
        #expect(config.tokens.first?.digest.matches(token) == true)
    }

    @Test(arguments: [
        ["token"], ["token", "old"], ["token", "new", "--role", "staff"], ["token", "new", "--name", "a b", "--role", "staff"],
        ["token", "new", "--name", "x"], ["token", "new", "--name", "x", "--role", "admin"],
    ])
    func usageErrors(arguments: [String]) async {
        let result = await run(arguments)
        #expect(result.status == 2, "\(arguments)")
        #expect(result.out.isEmpty)
        #expect(!result.err.isEmpty)
    }
}
