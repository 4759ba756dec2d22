/* SPDX-License-Identifier: MIT */
/*
 * pool: runs n independent tasks, numbered 0 to n - 1, on a fixed number of
 * POSIX threads, and waits for them. Tasks are handed out in index order,
 * so when the pool stops early every task before the last one started has
 * run to its end. The pool owns only its threads; what a task reads and
 * writes is the caller's, and a task must write nothing another task reads
 * (in sapan: each page's render owns its diagnostics, counts and the
 * page's own rendered fields).
 *
 * Nothing here prints: the thread that calls pool_run waits, and every
 * tick_ms it calls the tick function (if any) with the number of tasks
 * finished, which is how a progress line is drawn without a worker ever
 * printing.
 */
#ifndef SAPAN_POOL_H
#define SAPAN_POOL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/* More threads than this buy nothing on the machines sapan runs on, and
 * the bound keeps a mistyped --jobs from exhausting the process. */
#define POOL_MAX_THREADS 256

struct pool_job {
	size_t ntasks;
	unsigned nthreads; /* 1 to POOL_MAX_THREADS; never more than ntasks are started */
	/* Runs task i. Returns 0, or -1 to stop the pool: no further task is
	 * started, the ones running finish. worker is the thread's number,
	 * below nthreads, for per-thread state. */
	int (*run)(void *ctx, size_t i, unsigned worker);
	void *ctx;
	/* When set (nonzero), no further task is started. May be NULL. */
	const atomic_int *stop;
	/* Called on the calling thread about every tick_ms while the tasks
	 * run, and once at the end, with the number finished. May be NULL. */
	void (*tick)(void *ctx, size_t done);
	void *tick_ctx;
	unsigned tick_ms;
};

/*
 * Runs the job. Returns 0 when every task ran and returned 0; -1 when a
 * task returned -1 or a stop was asked (then *started, if not NULL, is the
 * number of tasks started, all of which finished: tasks 0 to *started - 1).
 * When a thread cannot be created the tasks run on the threads there are,
 * at least the calling one.
 */
int pool_run(const struct pool_job *job, size_t *started);

#endif
