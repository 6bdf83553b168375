#ifndef KIOSK_CLINUX_H
#define KIOSK_CLINUX_H
#include <termios.h>
#include <sys/ioctl.h>
#include <linux/fb.h>
#include <linux/kd.h>

/// ioctl is variadic in C: Swift cannot call it directly with a pointer argument.
int kiosk_ioctl_ptr(int fd, unsigned long request, void *arg);
int kiosk_ioctl_int(int fd, unsigned long request, unsigned long arg);

/// Request numbers that are function-like macros in the headers.
unsigned long kiosk_TIOCGWINSZ(void);
unsigned long kiosk_TIOCEXCL(void);

/// Serial port (badge reader): whether TIOCEXCL is set on a tty (Linux >= 3.8).
unsigned long kiosk_TIOCGEXCL(void);

// --- Terminal (KioskSystem/Terminal, KioskSystem/Signals) ---
unsigned long kiosk_TIOCSWINSZ(void);

/// Pseudo-terminal calls that glibc declares only under _XOPEN_SOURCE.
int kiosk_posix_openpt(int flags);
int kiosk_grantpt(int fd);
int kiosk_unlockpt(int fd);
int kiosk_ptsname_r(int fd, char *buffer, unsigned long capacity);

/// Crash-time terminal restore. `install` copies `count` bytes (at most
/// kiosk_emergency_restore_capacity()) into static memory, keeps a duplicate of `fd`, and
/// installs a handler for each of `signals` that writes the bytes with write(2) (async-signal-
/// safe), puts back the handler that was there before (or the default action) and re-raises.
/// Returns 0, or -1 with errno set. `uninstall` restores the previous handlers.
int kiosk_emergency_restore_install(int fd, const unsigned char *bytes, unsigned long count,
                                    const int *signals, int signal_count);
void kiosk_emergency_restore_uninstall(void);
unsigned long kiosk_emergency_restore_capacity(void);

// --- Framebuffer (KioskSystem/Framebuffer) ---
/// FBIO_WAITFORVSYNC is _IOW('F', 0x20, __u32): a function-like macro.
unsigned long kiosk_FBIO_WAITFORVSYNC(void);

// --- Console (KioskSystem/Framebuffer) ---
/// Crash-time console restore: keeps a duplicate of `fd` (a virtual console) and installs,
/// for each of `signals`, a handler that issues ioctl(fd, KDSETMODE, KD_TEXT), puts back the
/// previous handler and re-raises. Returns 0, or -1 with errno set.
int kiosk_console_restore_install(int fd, const int *signals, int signal_count);
void kiosk_console_restore_uninstall(void);
/// Whether the disposition of `sig` is currently SIG_IGN (a function-pointer macro in C).
int kiosk_signal_is_ignored(int sig);
// --- Clock (kioskctl doctor) ---
/// Whether the kernel's clock is synchronised (adjtimex with no change: neither
/// TIME_ERROR nor STA_UNSYNC), as timedated's NTPSynchronized: 1 yes, 0 no, -1 unknown.
int kiosk_kernel_clock_synchronized(void);
// --- Sockets (KioskSystem/Sockets) ---
#include <sys/socket.h>
/// accept4(2), which glibc declares only under _GNU_SOURCE: accepts with SOCK_CLOEXEC and
/// SOCK_NONBLOCK set atomically. `length` is a socklen_t (unsigned int on Linux).
int kiosk_accept4(int fd, struct sockaddr *address, unsigned int *length, int flags);

// --- DRM/KMS (KioskSystem/DRM) ---
#include "kiosk_drm.h"
/// A netlink socket bound to the kernel's uevent multicast group (NETLINK_KOBJECT_UEVENT,
/// group 1), close-on-exec and non-blocking; -1 with errno set on failure.
int kiosk_uevent_socket(void);
/// Receives one datagram from a uevent socket; the sender's netlink port id (0: the
/// kernel) goes to `sender`. Returns the length, or -1 with errno set.
long kiosk_uevent_receive(int fd, void *buffer, unsigned long capacity, unsigned int *sender);
/// VT_SETMODE on a virtual console: process-controlled switching with the two signals,
/// or (relsig = 0) automatic switching again. Returns 0, or -1 with errno set.
int kiosk_vt_set_mode(int fd, int release_signal, int acquire_signal);
/// VT_RELDISP: 1 lets a switch away happen; kiosk_VT_ACKACQ() acknowledges the return.
int kiosk_vt_release_display(int fd, int value);
int kiosk_VT_ACKACQ(void);
/// kiosk_vt_set_mode made by a thread that lives as long as the process: the kernel
/// signals the task that asked (vt_pid) and, when that task has gone, switches without
/// asking. The thread is started on the first call, blocks every signal and waits.
int kiosk_vt_set_mode_from_keeper(int fd, int release_signal, int acquire_signal);
/// Crash-time DRM release: the console crash handler (kiosk_console_restore_install) also
/// drops DRM master on `fd` (no duplicate is kept: call with -1 before closing it) and puts
/// the virtual console back to automatic switching (VT_AUTO) when `vt_process` is non-zero,
/// before it restores text mode.
void kiosk_console_restore_set_drm(int fd, int vt_process);
#include <malloc.h>
/// glibc's mmap threshold fixed at `bytes` (which also stops glibc raising it after the
/// first large free): buffers at least that large are mapped and given back when freed.
static inline int kiosk_fix_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
#endif
