import CLinux

/// The kernel's view of the system clock.
public enum KernelClock {
    /// Whether an NTP client has disciplined the clock (`adjtimex(2)` without changing
    /// anything: synchronised unless it answers `TIME_ERROR` or sets `STA_UNSYNC`), which is
    /// what timedated reports as `NTPSynchronized` — read here without D-Bus. Nil when the
    /// call fails.
    public static func isSynchronized() -> Bool? {
        switch kiosk_kernel_clock_synchronized() {
        case 1: return true
        case 0: return false
        default: return nil
        }
    }
}
