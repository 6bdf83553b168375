import Foundation
import Testing

@testable import KioskCore

@Suite struct CheckInSettingsTests {
    func settings(_ text: String) throws(ConfigError) -> CheckInSettings {
        var settings = CheckInSettings()
        for section in try ConfigFile.parse(text, path: "kiosk.conf").sections {
            try settings.apply(section: section, path: "kiosk.conf")
        }
        return settings
    }

    func error(_ text: String) -> ConfigError? {
        do {
            _ = try settings(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaults() throws {
        let defaults = try settings("")
        #expect(defaults == CheckInSettings())
        #expect(defaults.readerDevice == nil && !defaults.isEnabled)
        #expect(defaults.secondScanChecksOut && defaults.attendanceToRunningEvent && defaults.autoCheckOutAtClosing)
        #expect(!defaults.showLastNames)
        #expect(defaults.retentionDays == 90)
        #expect(defaults.effectiveBaudRate == 9600)
        #expect(defaults.debounce == .milliseconds(1500))
    }

    @Test func readsBothSections() throws {
        let parsed = try settings(
            """
            [reader]
            device = /dev/badge-reader
            protocol = pn532
            debounce = 2s
            [checkin]
            second-scan-checks-out = no
            attendance-to-running-event = off
            retention-days = 30
            show-last-names = yes
            auto-checkout-at-closing = false
            """)
        #expect(parsed.readerDevice == "/dev/badge-reader" && parsed.isEnabled)
        #expect(parsed.readerProtocol == .pn532)
        #expect(parsed.effectiveBaudRate == 115_200, "the protocol's default")
        #expect(parsed.debounce == .seconds(2))
        #expect(!parsed.secondScanChecksOut && !parsed.attendanceToRunningEvent && !parsed.autoCheckOutAtClosing)
        #expect(parsed.showLastNames)
        #expect(parsed.retentionDays == 30)
        let explicit = try settings("[reader]\ndevice = /dev/ttyUSB0\nprotocol = decimal-line\nbaud = 19200\ndebounce = 500ms\n")
        #expect(explicit.baudRate == 19200 && explicit.effectiveBaudRate == 19200)
        #expect(explicit.readerProtocol == .decimalLine)
        #expect(explicit.debounce == .milliseconds(500))
    }

    @Test func mistakesNameTheLine() {
        #expect(error("[reader]\ndevice = /dev/ttyS0\nbaud = 9601\n") == ConfigError(path: "kiosk.conf", line: 3, message: "baud: '9601' is not a baud rate (use one of 9600, 19200, 38400, 57600, 115200)"))
        #expect(error("[reader]\ndevice = /dev/ttyS0\nprotocol = wiegand\n")?.line == 3)
        #expect(error("[reader]\ndevice = /dev/ttyS0\ndebounce = 2min\n")?.message == "debounce: must be from 0 to 60 s")
        #expect(error("[reader]\nprotocol = rdm6300\n")?.line == 1, "a reader needs a device")
        #expect(error("[checkin]\nretention-days = 0\n")?.line == 2)
        #expect(error("[checkin]\nshow-last-names = peut-être\n")?.message == "show-last-names: 'peut-être' is not a boolean (use yes or no)")
        #expect(error("[checkin]\nretention = 90\n") == ConfigError(path: "kiosk.conf", line: 2, message: "unknown key 'retention' in [checkin]"))
        #expect(error("[checkin]\nshow-last-names = yes\nshow-last-names = no\n")?.line == 3)
        #expect(error("[checkin \"x\"]\n")?.message == "[checkin] takes no name")
        #expect(error("[venue]\nname = x\n")?.line == 1)
    }
}
