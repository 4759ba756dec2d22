/* SPDX-License-Identifier: MIT */
#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "platform.h"
#include "util.h"

/* What the threads share; every field below lock is guarded by it. */
struct pool_state {
	const struct pool_job *job;
	pthread_mutex_t lock;
	pthread_cond_t idle; /* signalled when the last worker leaves */
	size_t next;         /* the next task to start */
	size_t done;         /* tasks finished */
	unsigned running;    /* workers still taking tasks */
	bool failed;         /* a task returned -1 or a stop was seen */
};

struct worker {
	struct pool_state *s;
	unsigned id;
	pthread_t thread;
};

static bool stop_asked(const struct pool_job *job)
{
	return job->stop && *job->stop;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct pool_state *s = w->s;
	const struct pool_job *job = s->job;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		if (!s->failed && stop_asked(job))
			s->failed = true;
		if (s->failed || s->next >= job->ntasks)
			break;
		size_t i = s->next++;
		pthread_mutex_unlock(&s->lock);
		int rc = job->run(job->ctx, i, w->id);
		pthread_mutex_lock(&s->lock);
		s->done++;
		if (rc)
			s->failed = true;
	}
	if (--s->running == 0)
		pthread_cond_signal(&s->idle);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Waits for every worker to leave, ticking on the way. */
static void wait_idle(struct pool_state *s)
{
	const struct pool_job *job = s->job;
	pthread_mutex_lock(&s->lock);
	while (s->running > 0) {
		if (job->tick && job->tick_ms) {
			struct timespec t = platform_deadline(job->tick_ms);
			int rc = pthread_cond_timedwait(&s->idle, &s->lock, &t);
			if (rc == ETIMEDOUT && s->running > 0) {
				size_t done = s->done;
				pthread_mutex_unlock(&s->lock);
				job->tick(job->tick_ctx, done);
				pthread_mutex_lock(&s->lock);
			}
		} else {
			pthread_cond_wait(&s->idle, &s->lock);
		}
	}
	pthread_mutex_unlock(&s->lock);
}

int pool_run(const struct pool_job *job, size_t *started)
{
	unsigned n = job->nthreads < 1 ? 1 : job->nthreads;
	if (n > POOL_MAX_THREADS)
		n = POOL_MAX_THREADS;
	if (n > job->ntasks)
		n = job->ntasks ? (unsigned)job->ntasks : 1;
	struct pool_state s = { .job = job, .running = n };
	pthread_mutex_init(&s.lock, NULL);
	platform_cond_init(&s.idle);

	/* The workers take no asynchronous signal: SIGINT and SIGTERM reach
	 * the calling thread, and a worker's write is never cut short by one. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	struct worker *w = xcalloc(n, sizeof *w);
	unsigned made = 0;
	for (unsigned k = 0; k < n; k++) {
		w[k] = (struct worker){ .s = &s, .id = k };
		if (pthread_create(&w[k].thread, NULL, work, &w[k]) != 0)
			break;
		made++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (made < n) {
		/* Fewer threads than asked: the ones there are do the work, and
		 * with none the calling thread does it (as worker made). */
		pthread_mutex_lock(&s.lock);
		s.running -= n - made - (made == 0);
		pthread_mutex_unlock(&s.lock);
		if (made == 0) {
			w[0].id = 0;
			work(&w[0]);
		}
	}
	wait_idle(&s);
	for (unsigned k = 0; k < made; k++)
		pthread_join(w[k].thread, NULL);
	free(w);
	if (job->tick)
		job->tick(job->tick_ctx, s.done);
	if (started)
		*started = s.next;
	bool failed = s.failed || stop_asked(job);
	pthread_cond_destroy(&s.idle);
	pthread_mutex_destroy(&s.lock);
	return failed ? -1 : 0;
}
