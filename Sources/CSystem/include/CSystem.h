// Linux calls that Swift's Glibc module does not import: epoll, eventfd, accept4, mallopt, adjtimex.
#ifndef CATRACA_CSYSTEM_H
#define CATRACA_CSYSTEM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <malloc.h>
#include <sys/types.h>

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC: glibc declares it only under _GNU_SOURCE.
int csystem_accept_nonblocking(int fd, struct sockaddr *address, socklen_t *length);

/// Whether the kernel's clock is synchronised (by NTP, chrony, systemd-timesyncd...), read with adjtimex(2)
/// without changing anything: 1 synchronised, 0 not, -1 the call failed (errno set). The same test that
/// timedatectl's "System clock synchronized" shows.
int csystem_clock_synchronized(void);

/// Starts `path` with `argv` as a child process holding one end of a new Unix socket pair as descriptor 3
/// (stdin /dev/null, stdout and stderr inherited; every signal at its default, none blocked). The other end,
/// non-blocking and close-on-exec, is written to `*fd`, the child's pid to `*pid`. Returns 0, or an errno.
int csystem_spawn_with_socket(const char *path, char *const argv[], int *fd, pid_t *pid);

#endif
