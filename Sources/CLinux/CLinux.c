#include "CLinux.h"

int kiosk_ioctl_ptr(int fd, unsigned long request, void *arg) { return ioctl(fd, request, arg); }
int kiosk_ioctl_int(int fd, unsigned long request, unsigned long arg) { return ioctl(fd, request, arg); }
unsigned long kiosk_TIOCGWINSZ(void) { return TIOCGWINSZ; }
unsigned long kiosk_TIOCEXCL(void) { return TIOCEXCL; }
unsigned long kiosk_TIOCGEXCL(void) { return TIOCGEXCL; }

// --- Terminal (KioskSystem/Terminal, KioskSystem/Signals) ---
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

unsigned long kiosk_TIOCSWINSZ(void) { return TIOCSWINSZ; }

// Declared by <stdlib.h> only with _XOPEN_SOURCE; always present in glibc and musl.
extern int posix_openpt(int flags);
extern int grantpt(int fd);
extern int unlockpt(int fd);
extern int ptsname_r(int fd, char *buffer, size_t capacity);

int kiosk_posix_openpt(int flags) { return posix_openpt(flags); }
int kiosk_grantpt(int fd) { return grantpt(fd); }
int kiosk_unlockpt(int fd) { return unlockpt(fd); }
int kiosk_ptsname_r(int fd, char *buffer, unsigned long capacity) {
    int error = ptsname_r(fd, buffer, capacity);
    if (error != 0) { errno = error; return -1; }
    return 0;
}

#define KIOSK_RESTORE_CAPACITY 512
#define KIOSK_SIGNAL_LIMIT 65

// Written only by install/uninstall (normal context), read by the handler.
static unsigned char kiosk_restore_bytes[KIOSK_RESTORE_CAPACITY];
static volatile sig_atomic_t kiosk_restore_count = 0;
static volatile sig_atomic_t kiosk_restore_fd = -1;
static struct sigaction kiosk_restore_previous[KIOSK_SIGNAL_LIMIT];
static volatile sig_atomic_t kiosk_restore_installed[KIOSK_SIGNAL_LIMIT];

unsigned long kiosk_emergency_restore_capacity(void) { return KIOSK_RESTORE_CAPACITY; }

// Shared by the two crash handlers below: install `handler` for `signals`, remembering
// the previous dispositions, and put them back.
static int kiosk_install_crash_handler(void (*handler)(int), const int *signals, int signal_count,
                                       volatile sig_atomic_t *installed, struct sigaction *previous) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < signal_count; i++) {
        int sig = signals[i];
        if (installed[sig]) continue;
        if (sigaction(sig, &action, &previous[sig]) != 0) return -1;
        installed[sig] = 1;
    }
    return 0;
}

static void kiosk_uninstall_crash_handler(volatile sig_atomic_t *installed, struct sigaction *previous) {
    for (int sig = 1; sig < KIOSK_SIGNAL_LIMIT; sig++) {
        if (installed[sig]) {
            installed[sig] = 0;
            sigaction(sig, &previous[sig], NULL);
        }
    }
}

// From inside a crash handler (async-signal-safe: sigaction only): put back the
// disposition that was there before ours, or the default one.
static void kiosk_restore_previous_disposition(int sig, volatile sig_atomic_t *installed,
                                               struct sigaction *previous) {
    if (sig > 0 && sig < KIOSK_SIGNAL_LIMIT && installed[sig]) {
        installed[sig] = 0;
        sigaction(sig, &previous[sig], NULL);
    } else {
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigaction(sig, &dfl, NULL);
    }
}

// Only async-signal-safe calls: write, sigaction, raise.
static void kiosk_emergency_restore_handler(int sig) {
    int saved_errno = errno;
    int fd = kiosk_restore_fd;
    size_t count = (size_t)kiosk_restore_count;
    size_t offset = 0;
    while (fd >= 0 && offset < count) {
        ssize_t n = write(fd, kiosk_restore_bytes + offset, count - offset);
        if (n > 0) { offset += (size_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        break;
    }
    kiosk_restore_previous_disposition(sig, kiosk_restore_installed, kiosk_restore_previous);
    errno = saved_errno;
    // Blocked while this handler runs: delivered to the previous disposition on return.
    raise(sig);
}

int kiosk_emergency_restore_install(int fd, const unsigned char *bytes, unsigned long count,
                                    const int *signals, int signal_count) {
    if (count > KIOSK_RESTORE_CAPACITY || signal_count < 0) { errno = EINVAL; return -1; }
    for (int i = 0; i < signal_count; i++) {
        if (signals[i] <= 0 || signals[i] >= KIOSK_SIGNAL_LIMIT) { errno = EINVAL; return -1; }
    }
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0) return -1;
    // Disarm while the buffer changes.
    kiosk_restore_count = 0;
    int old = kiosk_restore_fd;
    kiosk_restore_fd = -1;
    if (old >= 0) close(old);
    memcpy(kiosk_restore_bytes, bytes, count);
    kiosk_restore_fd = copy;
    kiosk_restore_count = (sig_atomic_t)count;

    return kiosk_install_crash_handler(kiosk_emergency_restore_handler, signals, signal_count,
                                       kiosk_restore_installed, kiosk_restore_previous);
}

void kiosk_emergency_restore_uninstall(void) {
    kiosk_uninstall_crash_handler(kiosk_restore_installed, kiosk_restore_previous);
    kiosk_restore_count = 0;
    int old = kiosk_restore_fd;
    kiosk_restore_fd = -1;
    if (old >= 0) close(old);
}

// --- Framebuffer (KioskSystem/Framebuffer) ---
unsigned long kiosk_FBIO_WAITFORVSYNC(void) { return FBIO_WAITFORVSYNC; }

// --- Console (KioskSystem/Framebuffer/ConsoleCrashRestore) ---
// Written only by install/uninstall (normal context), read by the handler.
static volatile sig_atomic_t kiosk_console_fd = -1;
static struct sigaction kiosk_console_previous[KIOSK_SIGNAL_LIMIT];
static volatile sig_atomic_t kiosk_console_installed[KIOSK_SIGNAL_LIMIT];

// Only a raw ioctl (a plain system call), sigaction and raise.
static void kiosk_console_restore_handler(int sig) {
    int saved_errno = errno;
    int fd = kiosk_console_fd;
    if (fd >= 0) (void)ioctl(fd, KDSETMODE, KD_TEXT);
    kiosk_restore_previous_disposition(sig, kiosk_console_installed, kiosk_console_previous);
    errno = saved_errno;
    raise(sig);
}

int kiosk_console_restore_install(int fd, const int *signals, int signal_count) {
    if (signal_count < 0) { errno = EINVAL; return -1; }
    for (int i = 0; i < signal_count; i++) {
        if (signals[i] <= 0 || signals[i] >= KIOSK_SIGNAL_LIMIT) { errno = EINVAL; return -1; }
    }
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0) return -1;
    int old = kiosk_console_fd;
    kiosk_console_fd = copy;
    if (old >= 0) close(old);
    return kiosk_install_crash_handler(kiosk_console_restore_handler, signals, signal_count,
                                       kiosk_console_installed, kiosk_console_previous);
}

void kiosk_console_restore_uninstall(void) {
    kiosk_uninstall_crash_handler(kiosk_console_installed, kiosk_console_previous);
    int old = kiosk_console_fd;
    kiosk_console_fd = -1;
    if (old >= 0) close(old);
}

// --- Signals (KioskSystem/Signals) ---
int kiosk_signal_is_ignored(int sig) {
    struct sigaction current;
    if (sigaction(sig, NULL, &current) != 0) return 0;
    return current.sa_handler == SIG_IGN;
}

// --- Sockets (KioskSystem/Sockets) ---
#include <sys/socket.h>
// Declared by <sys/socket.h> only with _GNU_SOURCE; in glibc since 2.10 and in musl.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
int kiosk_accept4(int fd, struct sockaddr *address, unsigned int *length, int flags) {
    return accept4(fd, address, (socklen_t *)length, flags);
}
