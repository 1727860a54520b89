/*
 * scan_pool.h - vigie-scan's worker threads, with output in input order.
 *
 * The reader submits messages; workers judge them in parallel; results
 * are handed to the emit callback strictly in submission order (under the
 * pool's lock, so the callback needs no locking of its own). At most
 * `window` messages are held at once, which bounds memory.
 */
#ifndef VIGIE_SCAN_POOL_H
#define VIGIE_SCAN_POOL_H

#include <stddef.h>

#include "buf.h"
#include "verdict.h"

struct scan_pool;

struct scan_result {
	struct buf text;		/* what to print */
	enum action action;
	int	 error;
	size_t	*rules;			/* indexes of the rules that hit */
	size_t	 nrules;
};

/* judge - fill r for one message; runs in a worker thread */
typedef void (*scan_judge_fn)(void *arg, const char *label,
	    const struct buf *data, struct scan_result *r);
/* emit - consume one result, in submission order */
typedef void (*scan_emit_fn)(void *arg, const char *label,
	    const struct scan_result *r);

struct scan_pool *scan_pool_new(unsigned threads, unsigned window,
	    scan_judge_fn, void *judge_arg, scan_emit_fn, void *emit_arg);

/* scan_pool_submit - hand over a message (label and data are taken) */
int	scan_pool_submit(struct scan_pool *, char *label, struct buf *data);

/* scan_pool_finish - wait for every result, stop the threads, free */
void	scan_pool_finish(struct scan_pool *);

#endif
