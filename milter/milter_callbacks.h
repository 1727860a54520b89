/*
 * milter_callbacks.h - vigie's libmilter filter description.
 */
#ifndef VIGIE_MILTER_CALLBACKS_H
#define VIGIE_MILTER_CALLBACKS_H

#include <libmilter/mfapi.h>

/* the filter registered with smfi_register() */
extern struct smfiDesc milter_callbacks_desc;

#endif
