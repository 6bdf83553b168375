import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// What a short-lived child process (the feed helper) gives up before it touches outside
/// bytes: inherited descriptors, core dumps and ptrace, privileges, most of the file
/// system, TCP but for the ports it needs, signals and abstract sockets outside itself,
/// and unbounded resources.
///
/// Landlock (Linux 5.13+, through raw system calls in `CSandbox`) does the file system
/// (ABI 1+), TCP ports (ABI 4+) and scopes (ABI 6+); what the running kernel does not
/// know is reported in `Report.missing`, not silently assumed. Apply it once, early, while
/// the process has one thread (Landlock restricts the calling thread and the threads it
/// starts afterwards).
public struct ProcessSandbox: Sendable {
    /// Files and directories that may be read (and listed, and their programs run).
    public var readable: [String] = []
    /// TCP ports that may be connected to; every other TCP connect and every bind is refused.
    public var tcpConnectPorts: [UInt16] = []
    /// Resource limits set with setrlimit (soft = hard).
    public var limits: [(resource: Int32, value: UInt64)] = []

    public init(readable: [String] = [], tcpConnectPorts: [UInt16] = [], limits: [(resource: Int32, value: UInt64)] = []) {
        self.readable = readable
        self.tcpConnectPorts = tcpConnectPorts
        self.limits = limits
    }

    /// What was enforced.
    public struct Report: Sendable, CustomStringConvertible {
        public var landlockABI: Int
        public var fileSystem = false
        public var tcp = false
        public var scopes = false
        /// Restrictions the kernel could not apply (an old kernel), in words.
        public var missing: [String] = []
        public var description: String {
            "Landlock ABI \(landlockABI): \(fileSystem ? "file system restricted" : Self.fileSystemOpen), TCP \(tcp ? "restricted" : "open"), signals and abstract sockets \(scopes ? "scoped" : "open")"
                + (missing.isEmpty ? "" : Self.missingMarker + missing.joined(separator: ", "))
        }
        /// What `description` holds when the kernel could not apply part of the sandbox.
        public static let missingMarker = "; missing: "
        /// What `description` holds when not even the file system could be restricted (no
        /// Landlock at all): the helper could then read the state directory.
        public static let fileSystemOpen = "file system open"
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var step: String
        public var errno: Int32
        public var description: String { "sandbox: \(step) failed: \(String(cString: strerror(errno)))" }
    }

    // Landlock access rights (include/uapi/linux/landlock.h).
    static let fsExecute: UInt64 = 1 << 0, fsReadFile: UInt64 = 1 << 2, fsReadDir: UInt64 = 1 << 3
    static func handledFileSystemRights(abi: Int) -> UInt64 {
        var rights: UInt64 = (1 << 13) - 1                  // ABI 1: execute … make_sym
        if abi >= 2 { rights |= 1 << 13 }                   // refer
        if abi >= 3 { rights |= 1 << 14 }                   // truncate
        if abi >= 5 { rights |= 1 << 15 }                   // ioctl_dev
        return rights
    }
    static let tcpBind: UInt64 = 1 << 0, tcpConnect: UInt64 = 1 << 1
    static let scopeAbstractUnixSocket: UInt64 = 1 << 0, scopeSignal: UInt64 = 1 << 1

    /// A pipe whose two ends close on exec (a child gets only what is dup2'ed to it).
    public static func closeOnExecPipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard kiosk_pipe_cloexec(&fds) == 0 else { return nil }
        return (fds[0], fds[1])
    }

    /// Starts `path` with `arguments` (`argv[0]` first) and `environment`, the given
    /// descriptors as its standard input and output and every other descriptor closed
    /// (nothing the parent had open — the database, the HTTP listener, the reader — stays
    /// reachable, whatever its close-on-exec flag), signals at their defaults. Returns the
    /// pid, or the errno of the failure as a negative number.
    public static func spawn(path: String, arguments: [String], environment: [String], standardInput: Int32, standardOutput: Int32) -> Int32 {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        return kiosk_spawn(path, &argv, &envp, standardInput, standardOutput)
    }

    /// Applies everything, in order: no core dumps or ptrace, die with the parent,
    /// limits, no new privileges, Landlock.
    public func apply() throws(Failure) -> Report {
        _ = kiosk_set_not_dumpable()
        _ = kiosk_set_parent_death_signal(SIGKILL)
        for (resource, value) in limits {
            var limit = rlimit(rlim_cur: rlim_t(value), rlim_max: rlim_t(value))
            guard setrlimit(__rlimit_resource_t(UInt32(resource)), &limit) == 0 else { throw Failure(step: "setrlimit(\(resource))", errno: errno) }
        }
        let noNewPrivs = kiosk_set_no_new_privs()
        guard noNewPrivs == 0 else { throw Failure(step: "PR_SET_NO_NEW_PRIVS", errno: -noNewPrivs) }

        let abi = Int(kiosk_landlock_abi())
        var report = Report(landlockABI: max(0, abi))
        guard abi >= 1 else {
            report.missing = ["Landlock (the kernel has none, or it is disabled)"]
            return report
        }
        let handledNet: UInt64 = abi >= 4 ? Self.tcpBind | Self.tcpConnect : 0
        let scoped: UInt64 = abi >= 6 ? Self.scopeAbstractUnixSocket | Self.scopeSignal : 0
        let ruleset = kiosk_landlock_create_ruleset(Int32(abi), Self.handledFileSystemRights(abi: abi), handledNet, scoped)
        guard ruleset >= 0 else { throw Failure(step: "landlock_create_ruleset", errno: -ruleset) }
        defer { close(ruleset) }
        for path in readable {
            var isDirectory: Int32 = 0
            let fd = kiosk_open_path(path, &isDirectory)
            guard fd >= 0 else { continue }  // absent on this system: nothing to allow
            defer { close(fd) }
            let rights = isDirectory != 0 ? Self.fsExecute | Self.fsReadFile | Self.fsReadDir : Self.fsExecute | Self.fsReadFile
            let added = kiosk_landlock_allow_path(ruleset, fd, rights)
            guard added == 0 else { throw Failure(step: "landlock_add_rule(\(path))", errno: -added) }
        }
        if abi >= 4 {
            for port in Set(tcpConnectPorts) {
                let added = kiosk_landlock_allow_port(ruleset, UInt64(port), Self.tcpConnect)
                guard added == 0 else { throw Failure(step: "landlock_add_rule(port \(port))", errno: -added) }
            }
        }
        let restricted = kiosk_landlock_restrict_self(ruleset)
        guard restricted == 0 else { throw Failure(step: "landlock_restrict_self", errno: -restricted) }
        report.fileSystem = true
        report.tcp = abi >= 4
        report.scopes = abi >= 6
        if abi < 4 { report.missing.append("TCP port rules (Landlock ABI 4)") }
        if abi < 6 { report.missing.append("signal and abstract socket scopes (Landlock ABI 6)") }
        return report
    }
}
