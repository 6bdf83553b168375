#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "CSandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

// Landlock's user API (include/uapi/linux/landlock.h), spelled out here so that the
// build does not depend on the installed kernel headers' version. The system call
// numbers are the same on x86_64 and arm64 (the generic table).
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif

struct kiosk_landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net; // ABI 4
    uint64_t scoped;             // ABI 6
};

struct kiosk_landlock_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

struct kiosk_landlock_net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
};

enum { KIOSK_LANDLOCK_RULE_PATH_BENEATH = 1, KIOSK_LANDLOCK_RULE_NET_PORT = 2 };
#define KIOSK_LANDLOCK_CREATE_RULESET_VERSION (1U << 0)

static int result(long value) { return value < 0 ? -errno : (int)value; }

int kiosk_landlock_abi(void) {
    return result(syscall(__NR_landlock_create_ruleset, NULL, 0, KIOSK_LANDLOCK_CREATE_RULESET_VERSION));
}

int kiosk_landlock_create_ruleset(int abi, uint64_t handled_fs, uint64_t handled_net, uint64_t scoped) {
    struct kiosk_landlock_ruleset_attr attr = { handled_fs, handled_net, scoped };
    size_t size = abi >= 6 ? sizeof attr : abi >= 4 ? offsetof(struct kiosk_landlock_ruleset_attr, scoped)
                                                    : offsetof(struct kiosk_landlock_ruleset_attr, handled_access_net);
    return result(syscall(__NR_landlock_create_ruleset, &attr, size, 0));
}

int kiosk_landlock_allow_path(int ruleset_fd, int parent_fd, uint64_t allowed) {
    struct kiosk_landlock_path_beneath_attr attr = { allowed, parent_fd };
    return result(syscall(__NR_landlock_add_rule, ruleset_fd, KIOSK_LANDLOCK_RULE_PATH_BENEATH, &attr, 0));
}

int kiosk_landlock_allow_port(int ruleset_fd, uint64_t port, uint64_t allowed) {
    struct kiosk_landlock_net_port_attr attr = { allowed, port };
    return result(syscall(__NR_landlock_add_rule, ruleset_fd, KIOSK_LANDLOCK_RULE_NET_PORT, &attr, 0));
}

int kiosk_landlock_restrict_self(int ruleset_fd) {
    return result(syscall(__NR_landlock_restrict_self, ruleset_fd, 0));
}

int kiosk_open_path(const char *path, int *is_directory) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return -errno;
    struct stat status;
    *is_directory = fstat(fd, &status) == 0 && S_ISDIR(status.st_mode);
    return fd;
}

int kiosk_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    int reset[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGWINCH };
    for (unsigned i = 0; i < sizeof reset / sizeof reset[0]; i++) sigaddset(&defaults, reset[i]);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    int error = posix_spawn(&pid, path, &actions, &attributes, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return error == 0 ? (int)pid : -error;
}

int kiosk_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC) == 0 ? 0 : -errno; }

int kiosk_set_no_new_privs(void) { return result(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)); }

int kiosk_set_parent_death_signal(int signal) { return result(prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0)); }

int kiosk_set_not_dumpable(void) { return result(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)); }
