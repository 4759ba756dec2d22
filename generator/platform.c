/* SPDX-License-Identifier: MIT */
/* platform: the calls POSIX.1-2008 does not have (platform.h). */

/* The one file that asks the C library for more than POSIX.1-2008: its
 * XSI option (realpath), and getifaddrs with the interface flags, which
 * Linux, macOS and the BSDs have but POSIX does not name. Each system has
 * its own way to show them: glibc's _DEFAULT_SOURCE, macOS's
 * _DARWIN_C_SOURCE; the BSDs hide them whenever _POSIX_C_SOURCE (or
 * _XOPEN_SOURCE) is set, so it is unset there. */
#if defined(__linux__)
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#elif defined(__APPLE__)
#ifndef _DARWIN_C_SOURCE
#define _DARWIN_C_SOURCE
#endif
#else
#undef _POSIX_C_SOURCE
#endif

#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#if PLATFORM_LINUX
#include <linux/openat2.h>
#include <sys/syscall.h>
#endif

int platform_open_beneath(int root, const char *rel, int flags, mode_t mode)
{
#if PLATFORM_LINUX && defined(SYS_openat2)
	/* glibc 2.36 does not wrap openat2: the raw system call. */
	struct open_how how = { .flags = (unsigned long long)flags, .mode = mode,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS };
	return (int)syscall(SYS_openat2, root, rel, &how, sizeof how);
#else
	(void)root, (void)rel, (void)flags, (void)mode;
	errno = ENOSYS;
	return -1;
#endif
}

char *platform_realpath(const char *path)
{
	return realpath(path, NULL);
}

int platform_socket(int family)
{
#if PLATFORM_LINUX
	return socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
#else
	int fd = socket(family, SOCK_STREAM, 0);
	if (fd >= 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
#endif
}

int platform_lan_address(char *out, size_t size)
{
	struct ifaddrs *list;
	if (getifaddrs(&list) != 0)
		return -1;
	int rc = -1;
	for (struct ifaddrs *i = list; i && rc; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP) ||
		    (i->ifa_flags & IFF_LOOPBACK))
			continue;
		const struct sockaddr_in *a = (const struct sockaddr_in *)(void *)i->ifa_addr;
		if (inet_ntop(AF_INET, &a->sin_addr, out, (socklen_t)size))
			rc = 0;
	}
	freeifaddrs(list);
	return rc;
}

#if PLATFORM_LINUX
#define COND_CLOCK CLOCK_MONOTONIC
#else
#define COND_CLOCK CLOCK_REALTIME
#endif

void platform_cond_init(pthread_cond_t *cond)
{
#if PLATFORM_LINUX
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, COND_CLOCK);
	pthread_cond_init(cond, &attr);
	pthread_condattr_destroy(&attr);
#else
	pthread_cond_init(cond, NULL);
#endif
}

struct timespec platform_deadline(unsigned ms)
{
	struct timespec t;
	clock_gettime(COND_CLOCK, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}
