/* SPDX-License-Identifier: MIT */
/*
 * Replays inputs through a fuzz harness without libFuzzer, so `make check`
 * runs every committed corpus seed and crash reproducer with the normal
 * compiler (and under the sanitizers with `make check-asan`).
 *
 * Usage: replay_NAME PATH...  where each PATH is a file or a folder of
 * files. Each input is one test, run in a child process with a time limit,
 * so a crash, a sanitizer report (including a leak, reported when the child
 * exits), an abort from a broken invariant or a hang fails that input and
 * the others still run. Ends with "N passed, N failed"; exits 1 if any
 * input failed or none was found.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"
#include "util.h"

/* Every committed input runs in milliseconds; this bound, far above that
 * even under the sanitizers, is what turns a regression to quadratic or
 * worse behaviour into a failure instead of a hung test run. */
#define REPLAY_SECONDS 20

struct tally {
	int passed, failed;
};

/* Reads path into an exactly sized heap copy, as libFuzzer passes inputs,
 * so that reading past the end is caught by AddressSanitizer. Returns NULL
 * with errno set on failure. */
static uint8_t *read_input(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		buf_free(&b);
		errno = EIO;
		return NULL;
	}
	uint8_t *data = xmalloc(b.len ? b.len : 1);
	memcpy(data, b.ptr, b.len);
	*size = b.len;
	buf_free(&b);
	return data;
}

/* Runs one input in a child; returns 0 when it passed, else prints why. */
static int run_one(const char *path)
{
	size_t size = 0;
	uint8_t *data = read_input(path, &size);
	if (!data) {
		printf("FAIL %s: cannot read: %s\n", path, strerror(errno));
		return -1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("FAIL %s: cannot fork: %s\n", path, strerror(errno));
		free(data);
		return -1;
	}
	if (pid == 0) {
		alarm(REPLAY_SECONDS);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		exit(0); /* not _exit: LeakSanitizer checks at exit */
	}
	free(data);
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			printf("FAIL %s: waitpid: %s\n", path, strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		printf("FAIL %s: took more than %d seconds\n", path, REPLAY_SECONDS);
	else if (WIFSIGNALED(status))
		printf("FAIL %s: killed by signal %d (%s)\n", path, WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
	else
		printf("FAIL %s: exit status %d (a sanitizer report is above)\n", path,
		       WEXITSTATUS(status));
	return -1;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every file of a folder, in name order; dot files are skipped. */
static void run_dir(const char *dir, DIR *d, struct tally *t)
{
	char **names = NULL;
	size_t len = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = xgrow(names, &cap, len + 1, sizeof *names);
		names[len++] = xasprintf("%s/%s", dir, e->d_name);
	}
	if (len)
		qsort(names, len, sizeof *names, compare_names);
	for (size_t i = 0; i < len; i++) {
		if (run_one(names[i]) == 0)
			t->passed++;
		else
			t->failed++;
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	struct tally t = { 0, 0 };
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		if (d) {
			run_dir(argv[i], d, &t);
			closedir(d);
		} else if (errno == ENOTDIR) {
			if (run_one(argv[i]) == 0)
				t.passed++;
			else
				t.failed++;
		} else if (errno == ENOENT) {
			printf("%s: no such folder, nothing to replay there\n", argv[i]);
		} else {
			printf("FAIL %s: %s\n", argv[i], strerror(errno));
			t.failed++;
		}
	}
	if (t.passed + t.failed == 0) {
		printf("FAIL: no inputs found\n");
		t.failed++;
	}
	printf("%d passed, %d failed\n", t.passed, t.failed);
	return t.failed ? 1 : 0;
}
