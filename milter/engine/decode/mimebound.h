/*
 * mimebound.h - how much of a raw message GMime may be given.
 *
 * Private helper of mime.c: a linear pre-scan of the MIME structure that
 * finds where nesting or part count would pass the limits, so that the
 * parser is never handed a structure it would take seconds or gigabytes
 * to build (see mimebound.c for the measurements).
 */
#ifndef VIGIE_MIMEBOUND_H
#define VIGIE_MIMEBOUND_H

#include <stddef.h>

#include <gmime/gmime.h>

/*
 * mimebound_cut - length of the prefix of raw that keeps multipart and
 * message nesting within max_depth and the number of parts within
 * max_parts; or-s MV_ANOM_* bits into *anomalies (limit reached,
 * missing, unclosed or ambiguous boundaries). Never fails: on memory
 * shortage it cuts early.
 */
size_t	mimebound_cut(const char *raw, size_t len, unsigned max_depth,
	    unsigned max_parts, GMimeParserOptions *options,
	    unsigned *anomalies);

#endif
