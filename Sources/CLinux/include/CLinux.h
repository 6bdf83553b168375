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
#endif
