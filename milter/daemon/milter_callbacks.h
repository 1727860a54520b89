/*
 * milter_callbacks.h - vigie's libmilter filter description.
 */
#ifndef VIGIE_MILTER_CALLBACKS_H
#define VIGIE_MILTER_CALLBACKS_H

#include <libmilter/mfapi.h>

/* the filter registered with smfi_register() */
extern struct smfiDesc milter_callbacks_desc;

/*
 * milter_callbacks_init - at most slots messages are judged at once; the
 * others wait their turn at end of message. Judging is CPU-bound: more
 * at once than the CPUs can run only adds memory (a flood of connections
 * ending their messages together). 0 on success, -1 on failure.
 */
int	milter_callbacks_init(unsigned slots);

#endif
