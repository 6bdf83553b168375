import Glibc
import Testing
@testable import KioskSystem

@Suite("TerminalDevice on a pseudo-terminal")
struct TerminalDeviceTests {
    @Test func windowSizeSetWithTIOCSWINSZIsReadBackWithTIOCGWINSZ() throws {
        let pty = try PseudoTerminal()
        let writer = try TerminalDevice(path: pty.devicePath)
        let reader = try TerminalDevice(path: pty.devicePath)
        try writer.setWindowSize(TerminalWindowSize(columns: 132, rows: 43))
        #expect(try reader.windowSize() == TerminalWindowSize(columns: 132, rows: 43))
        try writer.setWindowSize(TerminalWindowSize(columns: 80, rows: 24, pixelWidth: 640, pixelHeight: 384))
        #expect(try reader.windowSize() == TerminalWindowSize(columns: 80, rows: 24, pixelWidth: 640, pixelHeight: 384))
    }

    @Test func isTerminalTellsATtyFromAPipe() throws {
        let pty = try PseudoTerminal()
        #expect(try TerminalDevice(path: pty.devicePath).isTerminal)
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let pipeDevice = TerminalDevice(
            input: FileDescriptor(adopting: fds[0], name: "pipe"),
            output: FileDescriptor(adopting: fds[1], name: "pipe"))
        #expect(!pipeDevice.isTerminal)
        #expect(!pipeDevice.isInputTerminal)
        #expect(throws: SystemCallError.self) { try pipeDevice.windowSize() }
        do {
            _ = try pipeDevice.windowSize()
        } catch {
            #expect(error.errno == .notATerminal)
            #expect(error.description.contains("TIOCGWINSZ"))
        }
    }

    @Test func cbreakModeIsRestoredExplicitly() throws {
        let pty = try PseudoTerminal()
        let terminal = try TerminalDevice(path: pty.devicePath)
        let before = try terminal.currentInputSettings()
        #expect(before.isCanonical && before.echoes)
        try terminal.enterInputMode(.cbreak)
        let during = try terminal.currentInputSettings()
        #expect(!during.isCanonical && !during.echoes)
        #expect(during.keysSendSignals, "Ctrl-C must still reach the signal watcher")
        #expect(during.processesOutput)
        terminal.restore()
        #expect(try terminal.currentInputSettings() == before)
        terminal.restore()  // twice is harmless
        #expect(try terminal.currentInputSettings() == before)
    }

    @Test func rawModeIsRestoredWhenTheDeviceGoesAway() throws {
        let pty = try PseudoTerminal()
        let observer = try TerminalDevice(path: pty.devicePath)
        let before = try observer.currentInputSettings()
        do {
            let terminal = try TerminalDevice(path: pty.devicePath)
            try terminal.enterInputMode(.raw)
            try terminal.enterInputMode(.cbreak)  // a second mode change keeps the first saved settings
            try terminal.enterInputMode(.raw)
            let raw = try observer.currentInputSettings()
            #expect(!raw.isCanonical && !raw.echoes && !raw.keysSendSignals && !raw.processesOutput)
        }
        #expect(try observer.currentInputSettings() == before)
    }

    @Test func singleKeysArriveOnlyInCbreakMode() throws {
        let pty = try PseudoTerminal()
        let terminal = try TerminalDevice(path: pty.devicePath)
        try pty.controller.writeAll(Array("q".utf8))
        // Canonical mode waits for a whole line.
        #expect(try terminal.readInput(timeoutMilliseconds: 100) == [])
        try terminal.enterInputMode(.cbreak)  // TCSAFLUSH drops the pending half line
        // Drop the echo of the first "q" (canonical mode echoes).
        var pending = pollfd(fd: pty.controller.rawValue, events: Int16(POLLIN), revents: 0)
        while poll(&pending, 1, 50) == 1 { _ = try pty.controller.read(upTo: 64) }
        try pty.controller.writeAll(Array("q".utf8))
        #expect(try terminal.readInput(timeoutMilliseconds: 2000) == Array("q".utf8))
        // Not echoed back to the controller side.
        var request = pollfd(fd: pty.controller.rawValue, events: Int16(POLLIN), revents: 0)
        #expect(poll(&request, 1, 50) == 0)
    }

    @Test func writtenBytesReachTheOtherSide() throws {
        let pty = try PseudoTerminal()
        let terminal = try TerminalDevice(path: pty.devicePath)
        let frame = Array("\u{1B}[1;1HBienvenue à Pôle PIXEL".utf8)
        try terminal.write(frame)
        var received: [UInt8] = []
        while received.count < frame.count {
            var request = pollfd(fd: pty.controller.rawValue, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, 2000) == 1 else { break }
            received += try pty.controller.read(upTo: 4096)
        }
        #expect(received == frame)
    }
}
