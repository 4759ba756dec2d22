/* SPDX-License-Identifier: MIT */
/*
 * platform: every call sapan makes that POSIX.1-2008 does not have, each
 * with a POSIX fallback, so that the rest of the generator is plain POSIX
 * and runs on Linux, macOS, the BSDs and Windows' WSL alike.
 *
 * The Linux implementations are compiled on Linux; elsewhere, and on Linux
 * with `make PORTABLE=1` (which defines SAPAN_PORTABLE and compiles every
 * file with -D_POSIX_C_SOURCE=200809L only), the fallbacks are: that build
 * runs the whole test suite, so the fallbacks are tested on every change,
 * and tests/e2e/portable.sh checks that its program calls none of the
 * Linux-only functions. What each fallback gives up is said beside it.
 *
 * File watching has its own module (watch.h): watch.c with inotify when
 * PLATFORM_LINUX, watch_poll.c otherwise.
 *
 * Nothing here keeps state; every function is thread-safe.
 */
#ifndef SAPAN_PLATFORM_H
#define SAPAN_PLATFORM_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#if defined(__linux__) && !defined(SAPAN_PORTABLE)
#define PLATFORM_LINUX 1
#else
#define PLATFORM_LINUX 0
#endif

/*
 * Opens rel below the folder open as root without following any symbolic
 * link and without leaving root, in one call: Linux's openat2 with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS. Returns -1 with errno ENOSYS
 * where the system has no such call (the fallback, and Linux before 5.6):
 * the caller then opens one component at a time with O_NOFOLLOW, which
 * gives the same guarantee in more calls. mode is that of a file O_CREAT
 * makes (0 otherwise).
 */
int platform_open_beneath(int root, const char *rel, int flags, mode_t mode);

/* The absolute path of path with every link resolved (realpath, from
 * POSIX's XSI option), malloc'ed, or NULL with errno set. */
char *platform_realpath(const char *path);

/* A stream socket of family that is closed on exec: one call on Linux
 * (SOCK_CLOEXEC), socket then fcntl(FD_CLOEXEC) in the fallback (no
 * other thread of sapan runs a program in between). -1 with errno. */
int platform_socket(int family);

/* Writes the IPv4 address of this computer on the local network (the
 * first interface that is up and not a loopback) into out. Returns 0, or
 * -1 when there is none. getifaddrs, which every target system has. */
int platform_lan_address(char *out, size_t size);

/* Initialises a condition variable whose timed waits take deadlines from
 * platform_deadline: on the monotonic clock where the system can say so
 * (a change of the wall clock then moves no deadline), on the real-time
 * clock in the fallback (macOS has no pthread_condattr_setclock). */
void platform_cond_init(pthread_cond_t *cond);
/* The deadline ms milliseconds from now, for platform_cond_init's
 * conditions. */
struct timespec platform_deadline(unsigned ms);

#endif
