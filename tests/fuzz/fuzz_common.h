/*
 * fuzz_common.h - the set-up the fuzz targets share: an initialisation
 * done once per process (abort when it fails), the scan limits (the
 * defaults, tightened once by the target) and a fresh message view over
 * them with the decoders ready.
 *
 * Linked into every libFuzzer target (make fuzz-targets) and every
 * replay driver (make fuzz-replay, replay.c).
 */
#ifndef VIGIE_FUZZ_COMMON_H
#define VIGIE_FUZZ_COMMON_H

#include "msgview.h"
#include "scan_limits.h"

/* fuzz_limits_tune - a target's changes to the default limits */
typedef void	fuzz_limits_tune(struct scan_limits *);

/*
 * fuzz_once - call init() the first time it is passed, never again;
 * abort when it fails (a target that cannot start finds nothing).
 */
void	fuzz_once(int (*init)(void));

/*
 * fuzz_limits - the default scan limits, passed to tune (when not NULL)
 * on the first call; every later call returns them unchanged.
 */
const struct scan_limits *fuzz_limits(fuzz_limits_tune *tune);

/* fuzz_decoders_init - domain_init() and mime_init(), once */
void	fuzz_decoders_init(void);

/*
 * fuzz_view_init - fuzz_decoders_init(), then an empty view over
 * fuzz_limits(tune); -1 on memory failure (skip the input).
 */
int	fuzz_view_init(struct msgview *mv, fuzz_limits_tune *tune);

#endif
