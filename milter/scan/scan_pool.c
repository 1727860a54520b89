/*
 * scan_pool.c - a fixed set of worker threads over a ring of message slots.
 *
 * Sequence numbers tell the slots apart: the reader fills slot
 * (submitted % window), workers take slots in order, and whoever
 * completes the slot at `emitted` emits it and every completed slot after
 * it. Judging happens outside the lock; emitting inside it.
 */
#include "scan_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum slot_state {
	SLOT_FREE,
	SLOT_QUEUED,
	SLOT_RUNNING,
	SLOT_DONE,
};

struct slot {
	enum slot_state state;
	char	*label;
	struct buf data;
	struct scan_result result;
};

struct scan_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;		/* a slot was queued, or closing */
	pthread_cond_t space;		/* a slot was emitted */
	struct slot *slots;
	unsigned window;
	size_t	 submitted, taken, emitted;
	int	 closing;
	pthread_t *threads;
	unsigned nthreads;
	scan_judge_fn judge;
	void	*judge_arg;
	scan_emit_fn emit;
	void	*emit_arg;
};

/* slot_clear - free what a slot held */
static void
slot_clear(struct slot *s)
{
	free(s->label);
	buf_free(&s->data);
	buf_free(&s->result.text);
	free(s->result.rules);
	memset(s, 0, sizeof(*s));
}

/* emit_ready - emit every completed slot in order; lock held */
static void
emit_ready(struct scan_pool *p)
{
	struct slot *s;

	while (p->emitted < p->taken &&
	    (s = &p->slots[p->emitted % p->window])->state == SLOT_DONE) {
		p->emit(p->emit_arg, s->label, &s->result);
		slot_clear(s);
		p->emitted++;
		pthread_cond_broadcast(&p->space);
	}
}

/* worker - take, judge, complete */
static void *
worker(void *arg)
{
	struct scan_pool *p = arg;
	struct slot *s;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->taken == p->submitted && !p->closing)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->taken == p->submitted)
			break;
		s = &p->slots[p->taken++ % p->window];
		s->state = SLOT_RUNNING;
		pthread_mutex_unlock(&p->lock);
		p->judge(p->judge_arg, s->label, &s->data, &s->result);
		buf_free(&s->data);
		pthread_mutex_lock(&p->lock);
		s->state = SLOT_DONE;
		emit_ready(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* scan_pool_new - see scan_pool.h */
struct scan_pool *
scan_pool_new(unsigned threads, unsigned window, scan_judge_fn judge,
    void *judge_arg, scan_emit_fn emit, void *emit_arg)
{
	struct scan_pool *p;
	unsigned i;

	if (threads == 0)
		threads = 1;
	if (window < threads * 2)
		window = threads * 2;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->slots = calloc(window, sizeof(*p->slots))) == NULL ||
	    (p->threads = calloc(threads, sizeof(*p->threads))) == NULL) {
		if (p != NULL)
			free(p->slots);
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->space, NULL);
	p->window = window;
	p->judge = judge;
	p->judge_arg = judge_arg;
	p->emit = emit;
	p->emit_arg = emit_arg;
	for (i = 0; i < threads; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			break;
		p->nthreads++;
	}
	if (p->nthreads == 0) {
		scan_pool_finish(p);
		return NULL;
	}
	return p;
}

/* scan_pool_submit - see scan_pool.h */
int
scan_pool_submit(struct scan_pool *p, char *label, struct buf *data)
{
	struct slot *s;

	pthread_mutex_lock(&p->lock);
	while (p->submitted - p->emitted >= p->window)
		pthread_cond_wait(&p->space, &p->lock);
	s = &p->slots[p->submitted % p->window];
	s->state = SLOT_QUEUED;
	s->label = label;
	s->data = *data;
	buf_init(data);
	buf_init(&s->result.text);
	p->submitted++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/* scan_pool_finish - see scan_pool.h */
void
scan_pool_finish(struct scan_pool *p)
{
	unsigned i;

	pthread_mutex_lock(&p->lock);
	p->closing = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	for (i = 0; i < p->window; i++)
		slot_clear(&p->slots[i]);
	pthread_cond_destroy(&p->space);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p->threads);
	free(p->slots);
	free(p);
}
