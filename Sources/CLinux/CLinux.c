#include "CLinux.h"

int kiosk_ioctl_ptr(int fd, unsigned long request, void *arg) { return ioctl(fd, request, arg); }
int kiosk_ioctl_int(int fd, unsigned long request, unsigned long arg) { return ioctl(fd, request, arg); }
unsigned long kiosk_TIOCGWINSZ(void) { return TIOCGWINSZ; }
unsigned long kiosk_TIOCEXCL(void) { return TIOCEXCL; }
unsigned long kiosk_TIOCGEXCL(void) { return TIOCGEXCL; }
