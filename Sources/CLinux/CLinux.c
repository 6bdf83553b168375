#include "CLinux.h"

int kiosk_ioctl_ptr(int fd, unsigned long request, void *arg) { return ioctl(fd, request, arg); }
int kiosk_ioctl_int(int fd, unsigned long request, unsigned long arg) { return ioctl(fd, request, arg); }
unsigned long kiosk_TIOCGWINSZ(void) { return TIOCGWINSZ; }
unsigned long kiosk_TIOCEXCL(void) { return TIOCEXCL; }
unsigned long kiosk_TIOCGEXCL(void) { return TIOCGEXCL; }

// --- Terminal (KioskSystem/Terminal, KioskSystem/Signals) ---
#include <errno.h>
#include <linux/vt.h>
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

static volatile sig_atomic_t kiosk_console_drm_fd = -1;
static volatile sig_atomic_t kiosk_console_vt_process = 0;

void kiosk_console_restore_set_drm(int fd, int vt_process) {
    kiosk_console_drm_fd = fd;
    kiosk_console_vt_process = vt_process;
}

// Only raw ioctls (plain system calls), sigaction and raise.
static void kiosk_console_restore_handler(int sig) {
    int saved_errno = errno;
    int fd = kiosk_console_fd;
    int drm = kiosk_console_drm_fd;
    // Master first, so that the kernel's console may set its own mode again.
    if (drm >= 0) (void)ioctl(drm, kiosk_DRM_IOCTL_DROP_MASTER(), 0);
    if (fd >= 0 && kiosk_console_vt_process) {
        struct vt_mode automatic;
        memset(&automatic, 0, sizeof automatic);
        automatic.mode = VT_AUTO;
        (void)ioctl(fd, VT_SETMODE, &automatic);
    }
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

// --- DRM/KMS (KioskSystem/DRM) ---
// The kernel's request numbers (include/uapi/drm/drm.h), from the structures declared in
// kiosk_drm.h.
#include <asm/ioctl.h>
#define DRM_IOCTL_BASE 'd'
#define DRM_IO(nr) _IO(DRM_IOCTL_BASE, nr)
#define DRM_IOW(nr, type) _IOW(DRM_IOCTL_BASE, nr, type)
#define DRM_IOWR(nr, type) _IOWR(DRM_IOCTL_BASE, nr, type)
#define DRM_IOCTL_DROP_MASTER DRM_IO(0x1f)

unsigned long kiosk_DRM_IOCTL_VERSION(void) { return DRM_IOWR(0x00, struct drm_version); }
unsigned long kiosk_DRM_IOCTL_GET_CAP(void) { return DRM_IOWR(0x0c, struct drm_get_cap); }
unsigned long kiosk_DRM_IOCTL_SET_CLIENT_CAP(void) { return DRM_IOW(0x0d, struct drm_set_client_cap); }
unsigned long kiosk_DRM_IOCTL_SET_MASTER(void) { return DRM_IO(0x1e); }
unsigned long kiosk_DRM_IOCTL_DROP_MASTER(void) { return DRM_IOCTL_DROP_MASTER; }
unsigned long kiosk_DRM_IOCTL_MODE_GETRESOURCES(void) { return DRM_IOWR(0xA0, struct drm_mode_card_res); }
unsigned long kiosk_DRM_IOCTL_MODE_GETCRTC(void) { return DRM_IOWR(0xA1, struct drm_mode_crtc); }
unsigned long kiosk_DRM_IOCTL_MODE_SETCRTC(void) { return DRM_IOWR(0xA2, struct drm_mode_crtc); }
unsigned long kiosk_DRM_IOCTL_MODE_GETENCODER(void) { return DRM_IOWR(0xA6, struct drm_mode_get_encoder); }
unsigned long kiosk_DRM_IOCTL_MODE_GETCONNECTOR(void) { return DRM_IOWR(0xA7, struct drm_mode_get_connector); }
unsigned long kiosk_DRM_IOCTL_MODE_GETPROPERTY(void) { return DRM_IOWR(0xAA, struct drm_mode_get_property); }
unsigned long kiosk_DRM_IOCTL_MODE_RMFB(void) { return DRM_IOWR(0xAF, unsigned int); }
unsigned long kiosk_DRM_IOCTL_MODE_PAGE_FLIP(void) { return DRM_IOWR(0xB0, struct drm_mode_crtc_page_flip); }
unsigned long kiosk_DRM_IOCTL_MODE_DIRTYFB(void) { return DRM_IOWR(0xB1, struct drm_mode_fb_dirty_cmd); }
unsigned long kiosk_DRM_IOCTL_MODE_CREATE_DUMB(void) { return DRM_IOWR(0xB2, struct drm_mode_create_dumb); }
unsigned long kiosk_DRM_IOCTL_MODE_MAP_DUMB(void) { return DRM_IOWR(0xB3, struct drm_mode_map_dumb); }
unsigned long kiosk_DRM_IOCTL_MODE_DESTROY_DUMB(void) { return DRM_IOWR(0xB4, struct drm_mode_destroy_dumb); }
unsigned long kiosk_DRM_IOCTL_MODE_GETPLANERESOURCES(void) { return DRM_IOWR(0xB5, struct drm_mode_get_plane_res); }
unsigned long kiosk_DRM_IOCTL_MODE_GETPLANE(void) { return DRM_IOWR(0xB6, struct drm_mode_get_plane); }
unsigned long kiosk_DRM_IOCTL_MODE_ADDFB2(void) { return DRM_IOWR(0xB8, struct drm_mode_fb_cmd2); }
unsigned long kiosk_DRM_IOCTL_MODE_OBJ_GETPROPERTIES(void) { return DRM_IOWR(0xB9, struct drm_mode_obj_get_properties); }
unsigned long kiosk_DRM_IOCTL_MODE_OBJ_SETPROPERTY(void) { return DRM_IOWR(0xBA, struct drm_mode_obj_set_property); }

// --- Uevents and VT switching (KioskSystem/Devices, KioskSystem/Terminal) ---
#include <linux/netlink.h>

int kiosk_uevent_socket(void) {
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
    if (fd < 0) return -1;
    struct sockaddr_nl address;
    memset(&address, 0, sizeof address);
    address.nl_family = AF_NETLINK;
    address.nl_groups = 1;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

long kiosk_uevent_receive(int fd, void *buffer, unsigned long capacity, unsigned int *sender) {
    struct sockaddr_nl from;
    socklen_t length = sizeof from;
    memset(&from, 0, sizeof from);
    ssize_t n = recvfrom(fd, buffer, capacity, 0, (struct sockaddr *)&from, &length);
    if (n >= 0) *sender = from.nl_pid;
    return (long)n;
}

int kiosk_vt_set_mode(int fd, int release_signal, int acquire_signal) {
    struct vt_mode mode;
    memset(&mode, 0, sizeof mode);
    mode.mode = release_signal ? VT_PROCESS : VT_AUTO;
    mode.relsig = (short)release_signal;
    mode.acqsig = (short)acquire_signal;
    return ioctl(fd, VT_SETMODE, &mode);
}

int kiosk_vt_release_display(int fd, int value) { return ioctl(fd, VT_RELDISP, value); }
int kiosk_VT_ACKACQ(void) { return VT_ACKACQ; }

#include <pthread.h>
static pthread_mutex_t kiosk_keeper_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kiosk_keeper_cond = PTHREAD_COND_INITIALIZER;
static int kiosk_keeper_started, kiosk_keeper_pending, kiosk_keeper_fd, kiosk_keeper_release,
    kiosk_keeper_acquire, kiosk_keeper_result, kiosk_keeper_errno;

static void *kiosk_keeper_main(void *unused) {
    (void)unused;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_mutex_lock(&kiosk_keeper_lock);
    for (;;) {
        while (!kiosk_keeper_pending) pthread_cond_wait(&kiosk_keeper_cond, &kiosk_keeper_lock);
        kiosk_keeper_result = kiosk_vt_set_mode(kiosk_keeper_fd, kiosk_keeper_release, kiosk_keeper_acquire);
        kiosk_keeper_errno = errno;
        kiosk_keeper_pending = 0;
        pthread_cond_broadcast(&kiosk_keeper_cond);
    }
    return NULL;
}

int kiosk_vt_set_mode_from_keeper(int fd, int release_signal, int acquire_signal) {
    pthread_mutex_lock(&kiosk_keeper_lock);
    if (!kiosk_keeper_started) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attributes, 64 * 1024);
        int error = pthread_create(&thread, &attributes, kiosk_keeper_main, NULL);
        pthread_attr_destroy(&attributes);
        if (error != 0) {
            pthread_mutex_unlock(&kiosk_keeper_lock);
            errno = error;
            return -1;
        }
        kiosk_keeper_started = 1;
    }
    while (kiosk_keeper_pending) pthread_cond_wait(&kiosk_keeper_cond, &kiosk_keeper_lock);
    kiosk_keeper_fd = fd;
    kiosk_keeper_release = release_signal;
    kiosk_keeper_acquire = acquire_signal;
    kiosk_keeper_pending = 1;
    pthread_cond_broadcast(&kiosk_keeper_cond);
    while (kiosk_keeper_pending) pthread_cond_wait(&kiosk_keeper_cond, &kiosk_keeper_lock);
    int result = kiosk_keeper_result, saved = kiosk_keeper_errno;
    pthread_mutex_unlock(&kiosk_keeper_lock);
    errno = saved;
    return result;
}

// --- Clock (kioskctl doctor) ---
#include <sys/timex.h>
int kiosk_kernel_clock_synchronized(void) {
    struct timex t = {0};
    int state = adjtimex(&t);
    if (state < 0) return -1;
    return (state == TIME_ERROR || (t.status & STA_UNSYNC)) ? 0 : 1;
}
