import Glibc
import Testing
@testable import KioskSystem

@Suite("Serial port over a pseudo-terminal")
struct SerialPortTests {
    @Test("baud rates: only the supported set, mapped to the termios codes")
    func baudRates() {
        #expect(BaudRate.allCases.map(\.rawValue) == [9600, 19200, 38400, 57600, 115_200])
        #expect(BaudRate(bitsPerSecond: 4800) == nil)
        #expect(BaudRate(bitsPerSecond: 115_200) == .b115200)
        #expect(BaudRate.b9600.termiosSpeed == speed_t(B9600))
        #expect(BaudRate.b115200.termiosSpeed == speed_t(B115200))
    }

    @Test("opening configures raw 8N1, CLOCAL|CREAD, no flow control, the speed, exclusive")
    func configuration() throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.devicePath, baudRate: .b115200)
        #expect(port.isExclusive)
        // On Linux, termios requests on the master act on the slave.
        var settings = termios()
        #expect(tcgetattr(pty.controller.rawValue, &settings) == 0)
        #expect(settings.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0)
        #expect(settings.c_iflag & tcflag_t(ICRNL | IXON | IXOFF) == 0)
        #expect(settings.c_oflag & tcflag_t(OPOST) == 0)
        #expect(settings.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(settings.c_cflag & tcflag_t(PARENB | CSTOPB) == 0)
        #expect(settings.c_cflag & tcflag_t(CRTSCTS) == 0)
        #expect(settings.c_cflag & tcflag_t(CLOCAL | CREAD) == tcflag_t(CLOCAL | CREAD))
        #expect(cfgetispeed(&settings) == speed_t(B115200))
        #expect(cfgetospeed(&settings) == speed_t(B115200))
    }

    @Test("raw bytes pass untouched both ways; empty reads say noData")
    func rawBytes() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort(path: pty.devicePath, baudRate: .b9600)
        #expect(try port.read() == .noData)
        // CR, LF, ^C, ^D, ^S and 0xFF would all be eaten or translated by a cooked tty.
        let bytes: [UInt8] = [0x02, 0x0D, 0x0A, 0x03, 0x04, 0x13, 0x11, 0x7F, 0xFF, 0x00]
        try pty.controller.writeAll(bytes)
        var received: [UInt8] = []
        for _ in 0..<100 where received.count < bytes.count {
            if case .bytes(let chunk) = try port.read() { received += chunk } else { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(received == bytes)
        try port.write([0x00, 0x0A, 0xFF])
        #expect(try await pty.received(count: 3) == [0x00, 0x0A, 0xFF])
    }

    @Test("opening a path that does not exist names the call, the path and ENOENT")
    func missingDevice() {
        do {
            _ = try SerialPort(path: "/nonexistent/badge-reader", baudRate: .b9600)
            Issue.record("open succeeded")
        } catch {
            #expect(error.call == "open")
            #expect(error.subject == "/nonexistent/badge-reader")
            #expect(error.errno == .noSuchFile)
        }
    }

    @Test("a file that is not a tty is refused")
    func notATerminal() {
        #expect(throws: SystemCallError.self) { _ = try SerialPort(path: "/dev/null", baudRate: .b9600) }
    }

    @Test("backoff doubles from 0.5 s up to 10 s")
    func backoff() {
        let backoff = SerialReconnectBackoff()
        let delays = (1...7).map { backoff.delay(beforeAttempt: $0) }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }
}
