#define _GNU_SOURCE
#include "CSystem.h"
#include <sys/timex.h>

int csystem_accept_nonblocking(int fd, struct sockaddr *address, socklen_t *length) {
    return accept4(fd, address, length, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int csystem_clock_synchronized(void) {
    struct timex reading = {0};
    int state = adjtimex(&reading);
    if (state == -1) {
        return -1;
    }
    return (state != TIME_ERROR && (reading.status & STA_UNSYNC) == 0) ? 1 : 0;
}
