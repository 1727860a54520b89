/*
 * log.h - where the daemon's messages go: syslog (mail facility) or stderr.
 *
 * Callers format only fixed words, numbers, rule ids and values that have
 * gone through redact_text(); log.c adds nothing from messages itself.
 */
#ifndef VIGIE_LOG_H
#define VIGIE_LOG_H

#include <syslog.h>

/* log_open - to_stderr for -f and tools, else syslog */
void	log_open(const char *ident, int to_stderr);
void	log_msg(int priority, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
