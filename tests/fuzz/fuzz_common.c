/*
 * fuzz_common.c - the set-up the fuzz targets share (see fuzz_common.h).
 */
#include "fuzz_common.h"

#include <stddef.h>
#include <stdlib.h>

#include "domain.h"
#include "mime.h"

#define FUZZ_ONCE_MAX	8	/* distinct init functions one target calls */

/* fuzz_once - see fuzz_common.h */
void
fuzz_once(int (*init)(void))
{
	static int (*done[FUZZ_ONCE_MAX])(void);
	static size_t ndone;
	size_t i;

	for (i = 0; i < ndone; i++)
		if (done[i] == init)
			return;
	if (ndone == FUZZ_ONCE_MAX || init() < 0)
		abort();
	done[ndone++] = init;
}

/* fuzz_limits - see fuzz_common.h */
const struct scan_limits *
fuzz_limits(fuzz_limits_tune *tune)
{
	static struct scan_limits limits;
	static int ready;

	if (!ready) {
		scan_limits_set_defaults(&limits);
		if (tune != NULL)
			tune(&limits);
		ready = 1;
	}
	return &limits;
}

/* fuzz_decoders_init - see fuzz_common.h */
void
fuzz_decoders_init(void)
{
	fuzz_once(domain_init);
	fuzz_once(mime_init);
}

/* fuzz_view_init - see fuzz_common.h */
int
fuzz_view_init(struct msgview *mv, fuzz_limits_tune *tune)
{
	fuzz_decoders_init();
	return msgview_init(mv, fuzz_limits(tune));
}
