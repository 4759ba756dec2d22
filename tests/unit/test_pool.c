/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "pool.h"
#include "test.h"

struct count {
	atomic_int *runs;     /* per task: how often it ran */
	unsigned nthreads;
	atomic_int bad_worker; /* a worker number out of range was seen */
	size_t fail_at;        /* the task that returns -1; SIZE_MAX: none */
	pthread_t caller;
	int ticks_elsewhere;   /* ticks that came from another thread */
	size_t last_tick;
};

static int count_task(void *ctx, size_t i, unsigned worker)
{
	struct count *c = ctx;
	atomic_fetch_add(&c->runs[i], 1);
	if (worker >= c->nthreads)
		atomic_store(&c->bad_worker, 1);
	return i == c->fail_at ? -1 : 0;
}

static void count_tick(void *ctx, size_t done)
{
	struct count *c = ctx;
	if (!pthread_equal(pthread_self(), c->caller))
		c->ticks_elsewhere++;
	c->last_tick = done;
}

static void run_counted(size_t ntasks, unsigned nthreads)
{
	struct count c = { .runs = calloc(ntasks + 1, sizeof *c.runs), .nthreads = nthreads,
			   .fail_at = SIZE_MAX, .caller = pthread_self() };
	struct pool_job job = { .ntasks = ntasks, .nthreads = nthreads, .run = count_task,
				.ctx = &c, .tick = count_tick, .tick_ctx = &c, .tick_ms = 1 };
	size_t started = 0;
	CHECK_INT(pool_run(&job, &started), 0);
	CHECK_INT(started, ntasks);
	for (size_t i = 0; i < ntasks; i++)
		CHECK_INT(atomic_load(&c.runs[i]), 1);
	CHECK_INT(atomic_load(&c.bad_worker), 0);
	CHECK_INT(c.ticks_elsewhere, 0);
	CHECK_INT(c.last_tick, ntasks); /* the last tick sees every task done */
	free(c.runs);
}

static void every_task_runs_once(void)
{
	run_counted(0, 4);
	run_counted(1, 8);
	run_counted(1000, 1);
	run_counted(1000, 2);
	run_counted(1000, 8);
	run_counted(50, POOL_MAX_THREADS);
}

/* A failed task stops the pool: every task before the last one started has
 * run, none after it. How many start while the failing task still runs is
 * up to the scheduler (the others may race through many), so only one
 * thread gives an exact count. */
static void failure_stops_in_order(void)
{
	for (unsigned threads = 1; threads <= 8; threads *= 2) {
		size_t n = 500;
		struct count c = { .runs = calloc(n, sizeof *c.runs), .nthreads = threads,
				   .fail_at = 10, .caller = pthread_self() };
		struct pool_job job = { .ntasks = n, .nthreads = threads, .run = count_task,
					.ctx = &c };
		size_t started = 0;
		CHECK_INT(pool_run(&job, &started), -1);
		CHECK(started > 10);
		if (threads == 1)
			CHECK_INT(started, 11);
		for (size_t i = 0; i < n; i++)
			CHECK_INT(atomic_load(&c.runs[i]), i < started ? 1 : 0);
		free(c.runs);
	}
}

static void stop_flag_starts_nothing(void)
{
	static atomic_int stop = 1;
	struct count c = { .runs = calloc(100, sizeof *c.runs), .nthreads = 4,
			   .fail_at = SIZE_MAX, .caller = pthread_self() };
	struct pool_job job = { .ntasks = 100, .nthreads = 4, .run = count_task, .ctx = &c,
				.stop = &stop };
	size_t started = 99;
	CHECK_INT(pool_run(&job, &started), -1);
	CHECK_INT(started, 0);
	for (size_t i = 0; i < 100; i++)
		CHECK_INT(atomic_load(&c.runs[i]), 0);
	free(c.runs);
}

TEST_LIST(T(every_task_runs_once), T(failure_stops_in_order), T(stop_flag_starts_nothing));
TEST_MAIN()
