import Foundation
import Glibc
import KioskSystem
import KioskTestSupport
import Testing

/// The TCP wrappers on real loopback sockets.
@Suite(.timeLimit(.minutes(1))) struct TCPSocketTests {
    /// Waits (five seconds at most, suspending between tries) for `body` to stop answering would-block.
    private func retrying<T>(_ body: () throws -> T?) async throws -> T? {
        var value: T?
        _ = try await eventually(timeout: 5) {
            value = try body()
            return value != nil
        }
        return value
    }

    private func accepted(by listener: TCPListener) async throws -> TCPConnection? {
        try await retrying { try listener.accept() }
    }

    private func readBytes(_ connection: TCPConnection) async throws -> TCPConnection.ReadResult? {
        try await retrying {
            let result = try connection.read(upTo: 100)
            return result == .wouldBlock ? nil : result
        }
    }

    @Test func portZeroBindsAFreePortThatCanBeReadBack() async throws {
        let listener = try TCPListener.listening(on: .loopback(port: 0))
        #expect(listener.localAddress.port != 0)
        #expect(listener.localAddress.host == "127.0.0.1")
        let client = try TCPConnection.connect(to: listener.localAddress)
        let server = try #require(try await accepted(by: listener))
        #expect(server.peerAddress.isLoopback)
        #expect(server.peerAddress == (try client.localAddress()))
        #expect(client.peerAddress == listener.localAddress)
    }

    @Test func acceptedSocketsAreNonBlockingAndCloseOnExec() async throws {
        let listener = try TCPListener.listening(on: .loopback(port: 0))
        #expect(try listener.accept() == nil)  // nothing pending: would block, not wait
        for fd in [listener.descriptor.rawValue] {
            #expect(fcntl(fd, F_GETFL) & O_NONBLOCK != 0)
            #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        }
        let client = try TCPConnection.connect(to: listener.localAddress)
        let server = try #require(try await accepted(by: listener))
        let fd = server.descriptor.rawValue
        #expect(fcntl(fd, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(client.descriptor.rawValue, F_GETFD) & FD_CLOEXEC != 0)
        #expect(try server.read(upTo: 10) == .wouldBlock)
    }

    @Test func bytesGoBothWaysAndEndOfStreamIsReported() async throws {
        let listener = try TCPListener.listening(on: .loopback(port: 0))
        let client = try TCPConnection.connect(to: listener.localAddress)
        let server = try #require(try await accepted(by: listener))
        try client.sendAll(Array("ping".utf8))
        #expect(try await readBytes(server) == .bytes(Array("ping".utf8)))
        #expect(try server.send(ArraySlice("pong".utf8)) == .wrote(4))
        #expect(client.waitUntilReadable(timeout: 5))
        #expect(try client.read(upTo: 100) == .bytes(Array("pong".utf8)))
        client.shutdownWriting()
        #expect(try await readBytes(server) == .endOfStream)
    }

    @Test func fullSocketBufferReportsWouldBlock() async throws {
        let listener = try TCPListener.listening(on: .loopback(port: 0))
        let client = try TCPConnection.connect(to: listener.localAddress)
        let server = try #require(try await accepted(by: listener))
        let chunk = ArraySlice([UInt8](repeating: 7, count: 1 << 20))
        var total = 0
        var blocked = false
        for _ in 0..<256 {  // at most 256 MB: far beyond any socket buffer
            switch try server.send(chunk) {
            case .wrote(let count): total += count
            case .wouldBlock: blocked = true
            }
            if blocked { break }
        }
        #expect(blocked)
        #expect(total > 0)
        _ = client
    }

    @Test func writingToAResetPeerThrowsInsteadOfRaisingSIGPIPE() async throws {
        let listener = try TCPListener.listening(on: .loopback(port: 0))
        let client = try TCPConnection.connect(to: listener.localAddress)
        let server = try #require(try await accepted(by: listener))
        client.setResetOnClose()
        client.close()
        try await Task.sleep(for: .milliseconds(50))
        // Without MSG_NOSIGNAL the kernel sends this thread SIGPIPE, which kills a daemon.
        // Blocked here, the signal would stay pending (even where it is ignored) to be seen.
        var pipeOnly = sigset_t(), previous = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
        // The reset makes the first failing send ECONNRESET; later ones are EPIPE.
        var failure: SocketError?
        for _ in 0..<10 where failure?.errno != .brokenPipe {
            do { _ = try server.send(ArraySlice([1, 2, 3])) } catch { failure = error }
        }
        var pending = sigset_t()
        sigpending(&pending)
        let raised = sigismember(&pending, SIGPIPE) == 1
        if raised {
            var timeout = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeOnly, nil, &timeout)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        #expect(!raised, "send raised SIGPIPE")
        let error = try #require(failure)
        #expect(error.call == "send")
        #expect(error.errno == .brokenPipe)
        #expect(error.description.contains("127.0.0.1:"))
    }

    @Test func bindingAnAddressInUseSaysSo() throws {
        let first = try TCPListener.listening(on: .loopback(port: 0))
        let error = #expect(throws: SocketError.self) { try TCPListener.listening(on: first.localAddress) }
        #expect(error?.isAddressInUse == true)
        #expect(error?.call == "bind")
        #expect(error?.address == first.localAddress.description)
        #expect(error?.description.hasPrefix("bind \(first.localAddress):") == true)
    }

    @Test func connectingToAClosedPortIsRefused() throws {
        let listener = try TCPListener.listening(on: .loopback(port: 0))
        let address = listener.localAddress
        listener.close()
        let error = #expect(throws: SocketError.self) { try TCPConnection.connect(to: address) }
        #expect(error?.errno.rawValue == ECONNREFUSED)
    }

    @Test func ipv6LoopbackWhenTheKernelHasIt() async throws {
        let address = try SocketAddress(parsing: "[::1]:0")
        let result = Result { () throws(SocketError) -> TCPListener in try TCPListener.listening(on: address) }
        if case .failure(let error) = result, [EADDRNOTAVAIL, EAFNOSUPPORT].contains(error.errno.rawValue) {
            return  // no IPv6 in this sandbox
        }
        let listener = try result.get()
        #expect(listener.localAddress.family == .ipv6)
        #expect(listener.localAddress.port != 0)
        let client = try TCPConnection.connect(to: listener.localAddress)
        let server = try #require(try await accepted(by: listener))
        #expect(server.peerAddress.isLoopback)
        #expect(server.peerAddress.description.hasPrefix("[::1]:"))
        _ = client
    }
}
