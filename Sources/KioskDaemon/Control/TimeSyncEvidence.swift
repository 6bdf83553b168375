import Foundation
import KioskCore
import KioskSystem

/// What `kioskctl doctor` can learn about time synchronisation without depending on any
/// one source: the kernel (adjtimex, no D-Bus needed), systemd-timesyncd's flag file
/// `/run/systemd/timesync/synchronized`, `systemctl is-active systemd-timesyncd`, and
/// `timedatectl show` (which needs the D-Bus system bus: a board without dbus still has
/// systemd). Each source that could not be read says why, and the doctor says it too.
struct TimeSyncEvidence: Sendable, Equatable {
    /// `KernelClock.isSynchronized()`; nil when adjtimex failed.
    var kernelSynchronized: Bool?
    /// `/run/systemd/system` exists: systemd is PID 1.
    var systemdRunning: Bool
    /// `/lib/systemd/systemd-timesyncd` exists.
    var timesyncdInstalled: Bool
    /// `systemctl is-active systemd-timesyncd`: `active`, `inactive`, `failed`…, or why it
    /// could not be asked.
    var timesyncdState: Result<String, Reason>
    /// `/run/systemd/timesync/synchronized` exists: timesyncd synchronised since boot.
    var timesyncdSynchronizedSinceBoot: Bool
    /// `timedatectl show -p NTPSynchronized --value`, or why it could not be asked.
    var timedatectl: Result<Bool, Reason>

    /// Why a source could not be read.
    struct Reason: Error, Sendable, Equatable, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }

    /// The finding for the `ntp` check.
    func finding() -> DoctorFinding {
        var facts: [String] = []
        var unknown: [String] = []
        switch kernelSynchronized {
        case true?: facts.append("the kernel clock is synchronised (adjtimex)")
        case false?: facts.append("the kernel clock is not synchronised (adjtimex: STA_UNSYNC)")
        case nil: unknown.append("adjtimex failed")
        }
        if !systemdRunning {
            unknown.append("systemd is not running here, so neither systemd-timesyncd nor timedatectl")
        } else {
            if !timesyncdInstalled {
                facts.append("systemd-timesyncd is not installed")
            } else {
                switch timesyncdState {
                case .success(let state): facts.append("systemd-timesyncd is \(state)")
                case .failure(let reason): unknown.append("systemd-timesyncd's state (\(reason))")
                }
                facts.append(timesyncdSynchronizedSinceBoot ? "it synchronised since boot (/run/systemd/timesync/synchronized)" : "it has not synchronised since boot")
            }
            switch timedatectl {
            case .success(let synced): facts.append("timedatectl says NTPSynchronized=\(synced ? "yes" : "no")")
            case .failure(let reason): unknown.append("timedatectl (\(reason))")
            }
        }
        // The kernel is authoritative (timedatectl reads the same flag); then timedatectl,
        // then timesyncd's own flag file.
        let synced: Bool?
        if let kernelSynchronized {
            synced = kernelSynchronized
        } else if case .success(let value) = timedatectl {
            synced = value
        } else {
            synced = timesyncdSynchronizedSinceBoot ? true : nil
        }
        var message = facts.joined(separator: "; ")
        if !unknown.isEmpty { message += (message.isEmpty ? "" : "; ") + "not checked: " + unknown.joined(separator: ", ") }
        switch synced {
        case true?:
            return .ok("ntp", "synchronised: " + message)
        case false?:
            return .warn("ntp", "not synchronised: " + message, fix: fix)
        case nil:
            return .ok("ntp", "synchronisation state unknown: " + message)
        }
    }

    private var fix: String {
        guard systemdRunning else { return "run an NTP client (chrony, ntpsec) so that the clock is right after a reboot" }
        if !timesyncdInstalled { return "apt install systemd-timesyncd (or chrony), then check the network" }
        if case .success(let state) = timesyncdState, state != "active" {
            return "systemctl enable --now systemd-timesyncd"
        }
        return "check the network and the NTP servers (timedatectl timesync-status, /etc/systemd/timesyncd.conf); the screen hides the time until the clock is trusted"
    }

    /// Reads every source on this machine.
    static func gather(run: (String, [String]) -> CommandOutcome = CommandOutcome.run) -> TimeSyncEvidence {
        let files = FileManager.default
        let systemd = files.fileExists(atPath: "/run/systemd/system")
        let installed = ["/lib/systemd/systemd-timesyncd", "/usr/lib/systemd/systemd-timesyncd"].contains { files.fileExists(atPath: $0) }
        var state: Result<String, Reason> = .failure(Reason("not asked"))
        var timedatectl: Result<Bool, Reason> = .failure(Reason("not asked"))
        if systemd {
            if installed {
                // is-active prints the state and exits non-zero unless active: the text counts.
                let outcome = run("systemctl", ["is-active", "systemd-timesyncd.service"])
                let text = outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
                state = !text.isEmpty && !text.contains(" ") ? .success(text) : .failure(Reason(outcome.problem))
            }
            let outcome = run("timedatectl", ["show", "-p", "NTPSynchronized", "--value"])
            switch (outcome.status, outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)) {
            case (0, "yes"): timedatectl = .success(true)
            case (0, "no"): timedatectl = .success(false)
            default: timedatectl = .failure(Reason(outcome.problem))
            }
        }
        return TimeSyncEvidence(
            kernelSynchronized: KernelClock.isSynchronized(), systemdRunning: systemd, timesyncdInstalled: installed,
            timesyncdState: state, timesyncdSynchronizedSinceBoot: files.fileExists(atPath: "/run/systemd/timesync/synchronized"),
            timedatectl: timedatectl)
    }
}

/// What a command printed and how it ended (`kioskctl doctor` runs systemctl and timedatectl).
struct CommandOutcome: Sendable, Equatable {
    /// The exit status; -1 when it could not be started.
    var status: Int32
    var output: String
    var error: String

    /// In a few words, why the command did not answer: its first error line, with the
    /// usual causes named (no D-Bus system bus, no systemd).
    var problem: String {
        if status == -1 { return error }
        let line = error.split(separator: "\n").first.map(String.init) ?? "exit status \(status)"
        if line.contains("Failed to connect to bus") || line.contains("Failed to create bus connection") {
            return "no D-Bus system bus (dbus is not installed or not running): \(line)"
        }
        if line.contains("System has not been booted with systemd") { return "systemd is not running: \(line)" }
        return line
    }

    /// Runs `name` (found in /usr/bin or /bin) with `LC_ALL=C`, waiting for it to end.
    static func run(_ name: String, _ arguments: [String]) -> CommandOutcome {
        guard let path = ["/usr/bin/\(name)", "/bin/\(name)"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return CommandOutcome(status: -1, output: "", error: "\(name) is not installed")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment["SYSTEMD_PAGER"] = ""
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return CommandOutcome(status: -1, output: "", error: "\(name) could not be started: \(error)") }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandOutcome(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), error: String(decoding: err, as: UTF8.self))
    }
}
