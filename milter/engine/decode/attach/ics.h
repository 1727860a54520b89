/*
 * ics.h - a calendar invitation (.ics, text/calendar) as its reader sees it.
 */
#ifndef VIGIE_ICS_H
#define VIGIE_ICS_H

#include <stddef.h>

struct attach_ctx;

/*
 * ics_decode - add SUMMARY, DESCRIPTION, LOCATION, COMMENT, the
 * organiser's name and the HTML description as text, URL and ATTACH
 * (by reference) as links, with origin "ics:eventN". -1 only on memory
 * failure.
 */
int	ics_decode(const struct attach_ctx *ctx, const char *data, size_t len);

#endif
