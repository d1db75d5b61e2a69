// Linux calls that Swift's Glibc module does not import: epoll, eventfd, accept4, mallopt.
#ifndef CATRACA_CSYSTEM_H
#define CATRACA_CSYSTEM_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <malloc.h>

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC: glibc declares it only under _GNU_SOURCE.
int csystem_accept_nonblocking(int fd, struct sockaddr *address, socklen_t *length);

#endif
