// Raw system calls Swift cannot make itself (syscall(2) is variadic): Landlock, the
// prctl options a sandboxed child sets, posix_spawn with closefrom. Used by KioskSystem's
// ProcessSandbox.
#ifndef KIOSK_CSANDBOX_H
#define KIOSK_CSANDBOX_H

#include <stdint.h>

/// The Landlock ABI version of the running kernel, or -errno (-ENOSYS, -EOPNOTSUPP when
/// Landlock is built but disabled).
int kiosk_landlock_abi(void);

/// A Landlock ruleset handling these filesystem rights, TCP rights (ABI 4+) and scopes
/// (ABI 6+); `abi` picks how much of the attribute the kernel is given. Returns its
/// descriptor or -errno.
int kiosk_landlock_create_ruleset(int abi, uint64_t handled_fs, uint64_t handled_net, uint64_t scoped);

/// Allows `allowed` beneath the file or directory open as `parent_fd` (O_PATH). 0 or -errno.
int kiosk_landlock_allow_path(int ruleset_fd, int parent_fd, uint64_t allowed);

/// Allows `allowed` (bind, connect) on TCP port `port`. 0 or -errno.
int kiosk_landlock_allow_port(int ruleset_fd, uint64_t port, uint64_t allowed);

/// Enforces the ruleset on the calling thread and its future children (all threads of a
/// process started single-threaded). Needs no_new_privs. 0 or -errno.
int kiosk_landlock_restrict_self(int ruleset_fd);

/// open(path, O_PATH | O_CLOEXEC): a descriptor naming a file or directory for a rule;
/// `is_directory` says which. The descriptor or -errno.
int kiosk_open_path(const char *path, int *is_directory);

/// posix_spawn with `stdin_fd` and `stdout_fd` as the child's 0 and 1, stderr kept, every
/// other descriptor closed in the child (closefrom 3, whatever its close-on-exec flag),
/// an empty signal mask and SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGWINCH at their
/// defaults. The child's pid, or -errno.
int kiosk_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd);

/// pipe2(fds, O_CLOEXEC). 0 or -errno.
int kiosk_pipe_cloexec(int fds[2]);

/// prctl(PR_SET_NO_NEW_PRIVS, 1). 0 or -errno.
int kiosk_set_no_new_privs(void);

/// prctl(PR_SET_PDEATHSIG, signal): the child gets `signal` when its parent dies. 0 or -errno.
int kiosk_set_parent_death_signal(int signal);

/// prctl(PR_SET_DUMPABLE, 0): no core dump, no ptrace by same-uid processes. 0 or -errno.
int kiosk_set_not_dumpable(void);

#endif
